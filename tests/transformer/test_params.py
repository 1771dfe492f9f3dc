import pytest
import torch
from torch import nn

from snippets.transformer.layers import Seq2SeqTransformer
from snippets.transformer.params import count_parameters

BASE = dict(d_model=512, heads=8, d_ff=2048, layers=6)
BIG = dict(d_model=1024, heads=16, d_ff=4096, layers=6)


def n_params(module):
    return sum(p.numel() for p in module.parameters())


def test_formula_counts_a_real_small_model_exactly():
    torch.manual_seed(0)
    model = Seq2SeqTransformer(vocab=321, d_model=24, heads=4, d_ff=40, layers=2)
    assert n_params(model) == count_parameters(24, 40, 2, 321)


def test_formula_counts_nn_transformer_without_embedding():
    core = nn.Transformer(24, 4, 2, 2, 40, batch_first=True)
    assert n_params(core) == count_parameters(24, 40, 2, vocab=0)


@pytest.mark.parametrize(("cfg", "paper"), [(BASE, 65e6), (BIG, 213e6)])
def test_paper_sizes_land_within_a_few_percent_of_table_3(cfg, paper):
    with torch.device("meta"):
        model = Seq2SeqTransformer(37000, **cfg)
    counted = n_params(model)
    assert counted == count_parameters(cfg["d_model"], cfg["d_ff"], cfg["layers"], 37000)
    assert abs(counted / paper - 1) < 0.04


def test_head_count_does_not_change_the_parameter_count():
    with torch.device("meta"):
        counts = {h: n_params(nn.Transformer(512, h, 1, 1, 2048, batch_first=True))
                  for h in (2, 8, 16)}
    assert len(set(counts.values())) == 1
