import math

import pytest
import torch

from snippets.face_recognition.margins import margin_logits


def _grid(n=1801):
    theta = torch.linspace(0, math.pi, n, dtype=torch.float64)
    return theta, torch.cos(theta)[:, None], torch.zeros(n, dtype=torch.long)


@pytest.fixture
def batch():
    g = torch.Generator().manual_seed(0)
    f = torch.nn.functional.normalize(torch.randn(32, 8, generator=g), dim=1)
    w = torch.nn.functional.normalize(torch.randn(5, 8, generator=g), dim=1)
    return f @ w.T, torch.randint(0, 5, (32,), generator=g)


@pytest.mark.parametrize("kind", ["cosface", "arcface"])
def test_zero_margin_is_normalized_softmax_bitwise(batch, kind):
    cosine, labels = batch
    assert torch.equal(margin_logits(cosine, labels, kind, s=64.0, m=0.0), 64.0 * cosine)


def test_sphereface_with_m_1_is_normalized_softmax(batch):
    cosine, labels = batch
    torch.testing.assert_close(margin_logits(cosine, labels, "sphereface", s=64.0, m=1),
                               64.0 * cosine, atol=1e-4, rtol=0)


@pytest.mark.parametrize("kind", ["cosface", "arcface", "sphereface"])
def test_only_the_target_logit_changes(batch, kind):
    cosine, labels = batch
    out = margin_logits(cosine, labels, kind, s=64.0, m=4 if kind == "sphereface" else 0.4)
    mask = torch.nn.functional.one_hot(labels, 5).bool()
    assert torch.equal(out[~mask], 64.0 * cosine[~mask])
    assert (out[mask] < 64.0 * cosine[mask]).all()


@pytest.mark.parametrize("kind", ["cosface", "arcface"])
def test_target_logit_falls_as_the_margin_grows(kind):
    theta, cosine, labels = _grid()
    margins = [0.0, 0.1, 0.2, 0.35, 0.5]
    keep = theta < math.pi - 0.5  # before ArcFace's fallback region
    rows = [margin_logits(cosine, labels, kind, s=1.0, m=m)[keep, 0] for m in margins]
    for smaller, larger in zip(rows, rows[1:], strict=False):
        assert (larger < smaller).all()


def test_arcface_is_cos_theta_plus_m_where_theta_plus_m_below_pi():
    theta, cosine, labels = _grid()
    keep = theta + 0.5 < math.pi
    out = margin_logits(cosine, labels, "arcface", s=64.0, m=0.5)[keep, 0]
    # sin(theta) is computed with a 1e-12 floor under the root: tiny error at theta = 0
    torch.testing.assert_close(out, 64.0 * torch.cos(theta[keep] + 0.5), atol=1e-4, rtol=0)


def test_raw_cos_theta_plus_m_rises_after_pi_minus_m(run):
    ns, out = run("margins", "theta_plus_m")
    raw, theta = ns["curves"]["cos(theta + m) as is"], ns["theta"]
    first_rise = math.degrees(theta[(raw.diff() > 1e-12).nonzero()[0, 0]])
    assert first_rise == pytest.approx(math.degrees(math.pi - 0.5), abs=0.11)
    assert f"rises again from theta = {first_rise:.1f} deg" in out


def test_the_page_table_holds_the_formulas(run):
    ns, out = run("margins", "margin_logits")
    rows = {line.split()[0]: [float(v) for v in line.split()[2:]] for line in out.splitlines()[1:]}
    theta = torch.deg2rad(ns["degrees"].double())
    torch.testing.assert_close(torch.tensor(rows["softmax"], dtype=torch.float64), torch.cos(theta),
                               atol=5e-4, rtol=0)
    torch.testing.assert_close(torch.tensor(rows["cosface"], dtype=torch.float64), torch.cos(theta) - 0.35,
                               atol=5e-4, rtol=0)
    below = theta + 0.5 < math.pi  # ArcFace's fallback takes over past pi - m
    torch.testing.assert_close(torch.tensor(rows["arcface"], dtype=torch.float64)[below],
                               torch.cos(theta[below] + 0.5), atol=5e-4, rtol=0)


def test_arcface_fallback_never_rises_but_easy_margin_does_at_90_degrees():
    theta, cosine, labels = _grid()
    fallback = margin_logits(cosine, labels, "arcface", s=1.0, m=0.5)[:, 0]
    assert (fallback.diff() <= 1e-12).all()
    easy = margin_logits(cosine, labels, "arcface", s=1.0, m=0.5, easy_margin=True)[:, 0]
    jump = (easy.diff() > 1e-12).nonzero()
    assert math.degrees(theta[jump[0, 0]]) == pytest.approx(90, abs=0.11)


def test_sphereface_psi_runs_from_1_down_to_minus_7_for_m_4():
    theta, cosine, labels = _grid()
    psi = margin_logits(cosine, labels, "sphereface", s=1.0, m=4)[:, 0]
    assert psi[0] == pytest.approx(1.0) and psi[-1] == pytest.approx(-7.0)
    assert (psi.diff() <= 1e-12).all()


@pytest.mark.parametrize(("kind", "m"), [("softmax", 0.0), ("sphereface", 4), ("cosface", 0.35),
                                       ("arcface", 0.5)])
def test_gradient_is_finite_when_cosine_is_exactly_plus_or_minus_one(kind, m):
    cosine = torch.tensor([[1.0, 0.2], [-1.0, 0.3]], requires_grad=True)
    margin_logits(cosine, torch.tensor([0, 0]), kind, m=m).sum().backward()
    assert torch.isfinite(cosine.grad).all()


def test_sphereface_psi_is_the_papers_formula_in_theta():
    theta, cosine, labels = _grid()
    for m in (1, 2, 3, 4):
        k = torch.floor(m * theta / math.pi).clamp(max=m - 1)
        expected = (-1.0) ** k * torch.cos(m * theta) - 2 * k
        psi = margin_logits(cosine, labels, "sphereface", s=1.0, m=m)[:, 0]
        torch.testing.assert_close(psi, expected, atol=1e-9, rtol=0)


def test_bad_arguments_raise_clear_errors(batch):
    cosine, labels = batch
    with pytest.raises(ValueError, match="unknown kind 'arc'"):
        margin_logits(cosine, labels, "arc")
    with pytest.raises(ValueError, match="integer margin m >= 1, got 1.35"):
        margin_logits(cosine, labels, "sphereface", m=1.35)
    with pytest.raises(ValueError, match=r"need cosine \(N, C\) and labels \(N,\)"):
        margin_logits(cosine, labels[:3])
