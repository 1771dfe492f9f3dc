"""Registered tensors follow .to(); a plain tensor attribute stays behind."""

# On the page Holder comes from the earlier block that `# needs:` names.
from snippets.nn_vs_functional.state import Holder

# needs: state.py:state_dict_contents
# --8<-- [start:to_moves_registered_tensors]
import torch

moved = Holder().to(torch.float64)  # the same call moves tensors to a GPU
for name in ("plain", "weight", "running", "scratch"):
    print(f"{name:<8} {getattr(moved, name).dtype}")

optimizer = torch.optim.SGD(moved.parameters(), lr=0.1)
print("tensors the optimizer updates:", len(optimizer.param_groups[0]["params"]))
# --8<-- [end:to_moves_registered_tensors]
