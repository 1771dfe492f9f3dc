"""gradcheck compares a backward with finite differences: it passes, it catches a bug, it needs float64."""

# On the page LogSumExp comes from the earlier block that `# needs:` names.
from snippets.autograd.custom_function import LogSumExp

# needs: custom_function.py:custom_function
# --8<-- [start:gradcheck_passes]
import torch
from torch.autograd import gradcheck, gradgradcheck

gen = torch.Generator().manual_seed(0)
x64 = torch.randn(3, 5, generator=gen, dtype=torch.float64,
                  requires_grad=True)
print("gradcheck, float64:    ", gradcheck(LogSumExp.apply, (x64,)))
# backward is made of differentiable torch ops: differentiate it again
print("gradgradcheck, float64:", gradgradcheck(LogSumExp.apply, (x64,)))
# --8<-- [end:gradcheck_passes]


# needs: custom_function.py:custom_function
# --8<-- [start:gradcheck_catches_a_bug]
import torch
from torch.autograd import gradcheck
from torch.autograd.gradcheck import GradcheckError


class ForgetsGradOutput(LogSumExp):
    """A common bug: backward ignores the incoming gradient grad_y."""

    @staticmethod
    def backward(ctx, grad_y):
        x, y = ctx.saved_tensors
        return (x - y.unsqueeze(-1)).exp()


gen = torch.Generator().manual_seed(0)
x_bug = torch.randn(3, 5, generator=gen, dtype=torch.float64,
                    requires_grad=True)
passed_bug = gradcheck(ForgetsGradOutput.apply, (x_bug,),
                       raise_exception=False)
print("gradcheck of the buggy backward:", passed_bug)
try:
    gradcheck(ForgetsGradOutput.apply, (x_bug,))
except GradcheckError as err:
    print("GradcheckError:", str(err).splitlines()[0])
# --8<-- [end:gradcheck_catches_a_bug]


# needs: custom_function.py:custom_function
# --8<-- [start:gradcheck_needs_float64]
import textwrap
import warnings

import torch
from torch.autograd import gradcheck

gen = torch.Generator().manual_seed(0)
x32 = torch.randn(3, 5, generator=gen, dtype=torch.float32,
                  requires_grad=True)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    passed = gradcheck(LogSumExp.apply, (x32,), raise_exception=False)
print("gradcheck, float32:", passed)  # the same, correct backward
message = "warning: " + str(caught[0].message).split(". ")[0]
print(textwrap.fill(message, 76, subsequent_indent="  "))
# --8<-- [end:gradcheck_needs_float64]
