"""What a Module owns: parameters and buffers go to state_dict, .to() and the optimizer."""

# --8<-- [start:state_dict_contents]
import torch
import torch.nn as nn


class Holder(nn.Module):
    def __init__(self):
        super().__init__()
        # An ordinary attribute: the module does not know about it.
        self.plain = torch.zeros(2)
        # Learnable: trained, saved, moved.
        self.weight = nn.Parameter(torch.ones(2))
        # State: saved and moved, not trained.
        self.register_buffer("running", torch.zeros(2))
        # Moved, but neither trained nor saved.
        self.register_buffer("scratch", torch.zeros(2), persistent=False)


if __name__ == "__main__":  # so that importing Holder elsewhere prints nothing
    holder = Holder()
    print("state_dict keys:", list(holder.state_dict()))
    print("parameters:     ", [name for name, _ in holder.named_parameters()])
    print("buffers:        ", [name for name, _ in holder.named_buffers()])
# --8<-- [end:state_dict_contents]
