"""Sinusoidal positional encoding, and why a shift by k is a rotation."""

# --8<-- [start:sinusoidal_pe]
import torch


def sinusoidal_encoding(n_positions, d_model, base=10000.0, dtype=torch.float32):
    """PE(pos, 2i)   = sin(pos / base^(2i/d))
    PE(pos, 2i+1) = cos(pos / base^(2i/d))"""
    if d_model % 2:
        raise ValueError(f"d_model must be even, got {d_model}")
    pos = torch.arange(n_positions, dtype=torch.float64)[:, None]
    freq = base ** (-torch.arange(0, d_model, 2, dtype=torch.float64) / d_model)
    pe = torch.empty(n_positions, d_model, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(pos * freq)
    pe[:, 1::2] = torch.cos(pos * freq)
    return pe.to(dtype)


if __name__ == "__main__":
    pe = sinusoidal_encoding(50, 16)
    print("shape:", tuple(pe.shape))
    print("PE(0)[:4]:", [round(v, 4) for v in pe[0, :4].tolist()])
    print("PE(1)[:4]:", [round(v, 4) for v in pe[1, :4].tolist()])
    print("every row has norm sqrt(d/2):",
          torch.allclose(pe.norm(dim=1), torch.full((50,), 8 ** 0.5)))
# --8<-- [end:sinusoidal_pe]


# needs: sinusoidal_pe
# --8<-- [start:relative_rotation]
import torch


def shift_matrix(k, d_model, base=10000.0):
    """Block-diagonal R(k) with PE(pos + k) = R(k) PE(pos) for every pos:
    one 2x2 rotation by k * w_i for each (sin, cos) pair."""
    freq = base ** (-torch.arange(0, d_model, 2, dtype=torch.float64) / d_model)
    r = torch.zeros(d_model, d_model, dtype=torch.float64)
    cos, sin = torch.cos(k * freq), torch.sin(k * freq)
    r[0::2, 0::2] = torch.diag(cos)  # sin(a+b) =  cos b * sin a + sin b * cos a
    r[0::2, 1::2] = torch.diag(sin)
    r[1::2, 0::2] = torch.diag(-sin)  # cos(a+b) = -sin b * sin a + cos b * cos a
    r[1::2, 1::2] = torch.diag(cos)
    return r


if __name__ == "__main__":
    d = 16
    pe = sinusoidal_encoding(200, d, dtype=torch.float64)
    for k in (1, 7, 50):
        r = shift_matrix(k, d)
        error = (pe[:-k] @ r.T - pe[k:]).abs().max().item()
        orthogonal = torch.allclose(r @ r.T, torch.eye(d, dtype=torch.float64))
        print(f"k={k:2d}: R(k) PE(pos) == PE(pos+k) for pos 0..{199 - k}:"
              f" {error < 1e-12};  R(k) orthogonal: {orthogonal}")
# --8<-- [end:relative_rotation]
