import math

import pytest
import torch
from torch import nn

from snippets.transformer.layers import EncoderLayer, Seq2SeqTransformer


@pytest.mark.parametrize("pre_ln", [False, True])
def test_encoder_layer_equals_pytorch_with_padding_mask(pre_ln):
    torch.manual_seed(0)
    ref = nn.TransformerEncoderLayer(16, 4, 32, dropout=0.0, batch_first=True,
                                     norm_first=pre_ln, dtype=torch.float64).eval()
    ours = EncoderLayer(16, 4, 32, pre_ln=pre_ln).double().copy_from(ref)
    x = torch.randn(3, 6, 16, dtype=torch.float64)
    padding = torch.zeros(3, 6, dtype=torch.bool)
    padding[2, 4:] = True
    out = ours(x, key_padding_mask=padding)
    assert torch.allclose(out, ref(x, src_key_padding_mask=padding), rtol=0, atol=1e-12)


def test_post_ln_and_pre_ln_differ():
    torch.manual_seed(0)
    post = EncoderLayer(16, 4, 32, pre_ln=False)
    pre = EncoderLayer(16, 4, 32, pre_ln=True)
    pre.load_state_dict(post.state_dict())
    x = torch.randn(2, 5, 16)
    assert not torch.allclose(post(x), pre(x))
    # post-LN output is normalised per position; pre-LN output is not
    assert torch.allclose(post(x).mean(-1), torch.zeros(2, 5), atol=1e-5)


def small_model():
    torch.manual_seed(0)
    return Seq2SeqTransformer(vocab=50, d_model=16, heads=4, d_ff=32, layers=2).eval()


def test_output_projection_is_the_shared_embedding():
    model = small_model()
    src, tgt = torch.randint(0, 50, (2, 6)), torch.randint(0, 50, (2, 4))
    logits = model(src, tgt)
    with torch.no_grad():  # one matrix: changing a row changes that token's output score
        model.embed.weight[7] += torch.randn(16, generator=torch.Generator().manual_seed(1))
    assert not torch.allclose(model(src, tgt)[..., 7], logits[..., 7])
    names = [n for n, _ in model.named_parameters()]
    assert names.count("embed.weight") == 1 and not any("generator" in n for n in names)


def test_embeddings_are_scaled_by_sqrt_d_model_before_adding_positions():
    model = small_model()
    ids = torch.tensor([[3, 4, 5]])
    expected = model.embed(ids) * math.sqrt(16) + model.pe[:3]
    assert torch.allclose(model.embed_tokens(ids), expected)


def test_decoder_logits_ignore_later_target_tokens():
    model = small_model()
    src, tgt = torch.randint(0, 50, (2, 6)), torch.randint(0, 50, (2, 5))
    later = tgt.clone()
    later[:, 3:] = (later[:, 3:] + 1) % 50
    a, b = model(src, tgt), model(src, later)
    assert torch.allclose(a[:, :3], b[:, :3], atol=1e-5)
    assert not torch.allclose(a[:, 3:], b[:, 3:], atol=1e-5)
