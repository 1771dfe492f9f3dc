"""A small CNN + SPP + FC trained on two image sizes (the paper's multi-size training, in miniature)."""

# --8<-- [start:multi_size_training]
import torch
import torch.nn.functional as F
from torch import nn


def quadrant_images(count, size, generator):
    """Noisy images with one bright square; the label is its quadrant (0..3)."""
    images = 0.3 * torch.randn(count, 1, size, size, generator=generator)
    labels = torch.randint(0, 4, (count,), generator=generator)
    side, half = size // 4, size // 2
    offsets = torch.randint(0, half - side + 1, (count, 2), generator=generator)
    for i in range(count):
        top = (labels[i] // 2) * half + offsets[i, 0]
        left = (labels[i] % 2) * half + offsets[i, 1]
        images[i, 0, top:top + side, left:left + side] += 1.0
    return images, labels


class SppNet(nn.Module):
    """conv layers -> spatial pyramid pooling -> one fully connected layer."""

    def __init__(self, levels=(4, 2, 1), classes=4):
        super().__init__()
        if not levels or any(n < 1 for n in levels):
            raise ValueError(f"levels must be positive integers, got {levels!r}")
        self.levels = levels
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU())
        bins = sum(n * n for n in levels)
        self.fc = nn.Linear(16 * bins, classes)  # input length fixed by the bins

    def forward(self, x):
        f = self.features(x)
        pooled = [F.adaptive_max_pool2d(f, n).flatten(1) for n in self.levels]
        return self.fc(torch.cat(pooled, dim=1))


def train_multi_size(levels, sizes=(32, 48), epochs=4, seed=0):
    """As in the paper: a whole epoch at one size, the next epoch at the other."""
    data = torch.Generator().manual_seed(seed)
    train_sets = {s: quadrant_images(128, s, data) for s in sizes}
    torch.manual_seed(seed)
    net = SppNet(levels)
    opt = torch.optim.Adam(net.parameters(), lr=1e-2)
    losses = []
    for epoch in range(epochs):
        images, labels = train_sets[sizes[epoch % len(sizes)]]
        for start in range(0, len(labels), 32):
            batch = slice(start, start + 32)
            loss = F.cross_entropy(net(images[batch]), labels[batch])
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
    return net, losses


def held_out_accuracy(net, size, seed=1):
    generator = torch.Generator().manual_seed(seed + size)  # unseen images
    images, labels = quadrant_images(128, size, generator)
    with torch.no_grad():
        return (net(images).argmax(1) == labels).float().mean().item()


if __name__ == "__main__":
    net, losses = train_multi_size(levels=(4, 2, 1))
    last_epoch = sum(losses[-4:]) / 4
    print(f"loss: first batch {losses[0]:.3f}, last epoch mean {last_epoch:.4f}")
    for size in (32, 48, 40):
        acc = held_out_accuracy(net, size)
        note = "  (a size never seen in training)" if size == 40 else ""
        print(f"held-out accuracy at {size}x{size}: {acc:.3f}{note}")
# --8<-- [end:multi_size_training]


# needs: multi_size_training
# --8<-- [start:global_pool_only]
if __name__ == "__main__":
    global_net, _ = train_multi_size(levels=(1,))  # 1x1 only: global max pooling
    for size in (32, 48):
        acc = held_out_accuracy(global_net, size)
        print(f"global pooling only, held-out accuracy {size}x{size}: {acc:.3f}")
# --8<-- [end:global_pool_only]
