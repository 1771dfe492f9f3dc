"""nn.Sequential holds modules only."""

# --8<-- [start:sequential_needs_modules]
import torch.nn as nn
import torch.nn.functional as F

try:
    nn.Sequential(nn.Linear(4, 4), F.relu)  # a function, not a module
except TypeError as err:
    print("TypeError:", err)

model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Dropout(0.1))
print([type(layer).__name__ for layer in model])
model.eval()
print("eval() reached every layer:", all(not layer.training for layer in model))
# --8<-- [end:sequential_needs_modules]
