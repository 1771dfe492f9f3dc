"""What happens to training when .grad is never cleared."""

# --8<-- [start:forgetting_zero_grad]
import torch
from torch.nn.functional import mse_loss


def fit_line(steps, zero_grad, lr=0.1):
    """Fit y = 2x + 1 by gradient descent; return each step's loss.

    With zero_grad=False, .grad is never cleared.
    """
    torch.manual_seed(0)
    line = torch.nn.Linear(1, 1)
    xs = torch.linspace(-1, 1, 16).unsqueeze(1)
    ys = 2 * xs + 1
    losses = []
    for _ in range(steps):
        if zero_grad:
            line.zero_grad()
        loss = mse_loss(line(xs), ys)
        loss.backward()  # without zero_grad: the sum of all gradients
        with torch.no_grad():  # the update must not be recorded
            for param in line.parameters():
                param -= lr * param.grad
        losses.append(loss.item())
    return losses


if __name__ == "__main__":  # imported by the figure: print nothing then
    cleared = fit_line(40, zero_grad=True)
    never = fit_line(40, zero_grad=False)
    print("largest loss in steps 31-40:")
    print(f"  zero_grad every step: {max(cleared[-10:]):.4f}")
    print(f"  never zero_grad:      {max(never[-10:]):.4f}")
# --8<-- [end:forgetting_zero_grad]
