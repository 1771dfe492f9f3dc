import math

import pytest
import torch

from snippets.transformer.positional import shift_matrix, sinusoidal_encoding


def test_encoding_follows_the_paper_formula():
    d = 16
    pe = sinusoidal_encoding(40, d, dtype=torch.float64)
    for pos in (0, 1, 7, 39):
        for i in range(d // 2):
            angle = pos / 10000 ** (2 * i / d)
            assert pe[pos, 2 * i].item() == pytest.approx(math.sin(angle), abs=1e-12)
            assert pe[pos, 2 * i + 1].item() == pytest.approx(math.cos(angle), abs=1e-12)


@pytest.mark.parametrize("k", [1, 3, 17, 100])
def test_shift_by_k_is_one_fixed_rotation_for_every_position(k):
    d = 32
    pe = sinusoidal_encoding(300, d, dtype=torch.float64)
    r = shift_matrix(k, d)
    assert torch.allclose(pe[:-k] @ r.T, pe[k:], rtol=0, atol=1e-12)
    assert torch.allclose(r @ r.T, torch.eye(d, dtype=torch.float64), atol=1e-12)
    # block diagonal: only the 2x2 blocks on the diagonal are non-zero
    mask = torch.block_diag(*[torch.ones(2, 2)] * (d // 2)).bool()
    assert bool((r[~mask] == 0).all())
    # each block is a rotation: determinant 1
    assert all(torch.det(r[i:i + 2, i:i + 2]).item() == pytest.approx(1.0) for i in range(0, d, 2))


def test_dot_product_of_two_encodings_depends_only_on_their_offset():
    pe = sinusoidal_encoding(200, 64, dtype=torch.float64)
    for k in (0, 1, 5, 30):
        dots = (pe[:-k or None] * pe[k:]).sum(-1)
        assert torch.allclose(dots, dots[0].expand_as(dots), atol=1e-9)


def test_encoding_rejects_odd_width():
    with pytest.raises(ValueError, match="d_model must be even"):
        sinusoidal_encoding(10, 7)
