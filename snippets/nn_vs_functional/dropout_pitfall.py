"""F.dropout defaults to training=True: model.eval() does not reach it unless you pass it."""

# --8<-- [start:dropout_pitfall]
import torch
import torch.nn as nn
import torch.nn.functional as F


class ForgetfulNet(nn.Module):
    def forward(self, x):
        # training defaults to True, whatever eval() says:
        return F.dropout(x, p=0.5)


class FixedNet(nn.Module):
    def forward(self, x):
        # follows train() / eval():
        return F.dropout(x, p=0.5, training=self.training)


class ModuleNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.drop = nn.Dropout(p=0.5)  # a submodule: eval() switches it off

    def forward(self, x):
        return self.drop(x)


x = torch.ones(4, 6)
for net in (ForgetfulNet(), FixedNet(), ModuleNet()):
    for mode in ("train", "eval"):
        getattr(net, mode)()
        torch.manual_seed(0)
        out = net(x)
        zeros = int((out == 0).sum())
        values = sorted(set(out.flatten().tolist()))
        name = type(net).__name__
        print(f"{name:<12} {mode:<5}: {zeros:2d}/{x.numel()} zeroed, values {values}")
# --8<-- [end:dropout_pitfall]
