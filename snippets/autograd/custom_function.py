"""A custom torch.autograd.Function: log-sum-exp with a hand-written backward."""

# --8<-- [start:custom_function]
import torch


class LogSumExp(torch.autograd.Function):
    """y = log(sum_j exp(x_j)) over the last dimension, computed stably.

    Its derivative is the softmax: dy/dx_j = exp(x_j - y).
    """

    @staticmethod
    def forward(ctx, x):
        top = x.amax(dim=-1, keepdim=True)  # so exp() cannot overflow
        y = top.squeeze(-1) + (x - top).exp().sum(dim=-1).log()
        ctx.save_for_backward(x, y)  # what backward will need
        return y

    @staticmethod
    def backward(ctx, grad_y):
        x, y = ctx.saved_tensors
        softmax = (x - y.unsqueeze(-1)).exp()  # dy/dx, row by row
        return grad_y.unsqueeze(-1) * softmax  # v^T J: one per input


def logsumexp(x):
    """LogSumExp.apply, for a floating-point tensor of 1 or more dims."""
    if isinstance(x, torch.Tensor):
        if x.is_floating_point() and x.dim() > 0:
            return LogSumExp.apply(x)
        got = f"a {x.dtype} tensor of shape {tuple(x.shape)}"
    else:
        got = type(x).__name__
    raise ValueError("logsumexp() needs a floating-point tensor with at "
                     f"least one dimension, got {got}")


if __name__ == "__main__":  # the tests import this module: print nothing then
    scores = torch.tensor([[1.0, 2.0, 3.0], [1000.0, 1000.0, 0.0]],
                          requires_grad=True)
    lse = logsumexp(scores)
    print("ours :", [round(v, 4) for v in lse.tolist()],
          " grad_fn:", type(lse.grad_fn).__name__)
    reference = torch.logsumexp(scores, dim=-1)
    print("torch:", [round(v, 4) for v in reference.tolist()])
    lse.sum().backward()
    for row in scores.grad.tolist():  # each row is a softmax
        print("grad :", [round(g, 4) for g in row])
# --8<-- [end:custom_function]
