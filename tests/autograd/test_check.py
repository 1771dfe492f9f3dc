import warnings

import pytest
import torch
from torch.autograd import gradcheck, gradgradcheck
from torch.autograd.gradcheck import GradcheckError

from snippets.autograd import check
from snippets.autograd.custom_function import LogSumExp


@pytest.mark.parametrize("shape", [(5,), (3, 5), (2, 3, 4)])
def test_the_custom_function_passes_gradcheck_in_float64(shape):
    x = torch.randn(*shape, generator=torch.Generator().manual_seed(3), dtype=torch.float64, requires_grad=True)
    assert gradcheck(LogSumExp.apply, (x,))
    assert gradgradcheck(LogSumExp.apply, (x,))


def test_gradcheck_fails_when_backward_ignores_the_incoming_gradient():
    assert gradcheck(check.ForgetsGradOutput.apply, (check.x_bug,), raise_exception=False) is False
    with pytest.raises(GradcheckError, match="Jacobian mismatch"):
        gradcheck(check.ForgetsGradOutput.apply, (check.x_bug,))


def test_gradcheck_fails_a_correct_backward_in_float32():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert gradcheck(LogSumExp.apply, (check.x32,), raise_exception=False) is False
    with pytest.warns(UserWarning, match="not a double precision"):
        gradcheck(LogSumExp.apply, (check.x32,), raise_exception=False)
    assert check.passed is False


def test_gradcheck_catches_an_ignored_grad_output_even_for_a_scalar_output():
    x = torch.randn(4, generator=torch.Generator().manual_seed(4), dtype=torch.float64, requires_grad=True)
    assert check.ForgetsGradOutput.apply(x).dim() == 0  # one output: the Jacobian alone cannot tell
    with pytest.raises(GradcheckError, match="backward not multiplied by grad_output"):
        gradcheck(check.ForgetsGradOutput.apply, (x,))
