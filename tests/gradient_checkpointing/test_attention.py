import pytest
import torch
import torch.nn.functional as F

from snippets.gradient_checkpointing.attention import GPTLayer, layer_saved_bytes
from snippets.gradient_checkpointing.budget import activation_bytes
from snippets.gradient_checkpointing.mlp import saved_bytes

B, H, A = 2, 64, 4
NORM_STATS = 2 * 2 * 4  # per token: two LayerNorms keep mean and 1/std, float32
LOGSUMEXP = 4 * A  # per token: the flash kernel keeps one float32 per head


@pytest.mark.parametrize("seq", [32, 64])
def test_eager_attention_saves_exactly_the_formula_with_the_s_by_s_term(seq):
    measured = layer_saved_bytes("eager, dropout 0.1", seq, B, H, A)
    formula = activation_bytes(seq, B, H, A, layers=1, attention="eager", value_bytes=4, mask_bytes=4)
    assert measured == formula + NORM_STATS * seq * B


@pytest.mark.parametrize("seq", [32, 64])
def test_flash_attention_saves_exactly_the_formula_without_the_s_by_s_term(seq):
    measured = layer_saved_bytes("sdpa flash, no dropout", seq, B, H, A)
    formula = activation_bytes(seq, B, H, A, layers=1, attention="flash", value_bytes=4, mask_bytes=4)
    assert measured == formula + (NORM_STATS + LOGSUMEXP) * seq * B


def test_flash_bytes_grow_linearly_and_eager_bytes_faster():
    flash = [layer_saved_bytes("sdpa flash, no dropout", s, B, H, A) for s in (32, 64)]
    eager = [layer_saved_bytes("eager, dropout 0.1", s, B, H, A) for s in (32, 64)]
    assert flash[1] == 2 * flash[0]
    assert eager[1] > 2 * eager[0]


def test_sdpa_with_dropout_on_cpu_saves_exactly_what_the_eager_code_saves():
    # No fused CPU kernel takes dropout, so SDPA runs its math kernel: the s x s matrices.
    for seq in (32, 64):
        assert (layer_saved_bytes("sdpa, dropout 0.1", seq, B, H, A)
                == layer_saved_bytes("eager, dropout 0.1", seq, B, H, A))


def test_the_cpu_flash_kernel_refuses_dropout():
    from torch.nn.attention import SDPBackend, sdpa_kernel

    q = torch.randn(1, 2, 8, 4)
    with sdpa_kernel(SDPBackend.FLASH_ATTENTION), pytest.warns(UserWarning), \
            pytest.raises(RuntimeError, match="No available kernel"):
        F.scaled_dot_product_attention(q, q, q, dropout_p=0.1)


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
def test_cpu_dropout_keeps_a_mask_of_the_input_dtype_and_native_dropout_a_bool_one(dtype):
    x = torch.randn(8, 8, dtype=dtype, requires_grad=True)
    _, nbytes = saved_bytes(lambda: F.dropout(x, 0.1), torch.nn.Identity())
    assert nbytes == x.numel() * x.element_size()
    assert torch.native_dropout(x, 0.1, True)[1].dtype == torch.bool


def test_an_evaluating_layer_uses_no_dropout_and_both_attentions_agree():
    torch.manual_seed(0)
    eager = GPTLayer(16, 2, "eager").eval()
    sdpa = GPTLayer(16, 2, "sdpa").eval()
    sdpa.load_state_dict(eager.state_dict())
    x = torch.randn(2, 5, 16, dtype=torch.float64)
    eager.double(), sdpa.double()
    torch.testing.assert_close(eager(x), sdpa(x), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("args", "message"), [
    ((16, 2, "flash"), "attention must be 'eager' or 'sdpa'"),
    ((16, 3), "heads .3. must divide hidden .16."),
])
def test_gpt_layer_rejects_bad_arguments(args, message):
    with pytest.raises(ValueError, match=message):
        GPTLayer(*args)


