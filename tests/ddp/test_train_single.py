import pytest
import torch

from snippets.ddp import train, train_single


def test_single_process_script_trains_and_saves(tmp_path, capsys):
    model = train_single.main(["--epochs", "3", "--out", str(tmp_path)])
    assert [line.split(":")[0] for line in capsys.readouterr().out.splitlines()] == [
        "epoch 0", "epoch 1", "epoch 2"]
    x, y = train_single.make_data().tensors
    mse = torch.nn.functional.mse_loss
    with torch.no_grad():
        assert mse(model(x), y) < mse(train_single.make_model()(x), y) / 10
    saved = torch.load(tmp_path / "model.pt", weights_only=True)
    for p, q in zip(saved.values(), model.state_dict().values(), strict=True):
        assert torch.equal(p, q)


def test_both_scripts_build_the_same_data_and_model():
    x1, y1 = train_single.make_data().tensors
    x2, y2 = train.make_data().tensors
    assert torch.equal(x1, x2) and torch.equal(y1, y2)
    for p, q in zip(train_single.make_model().parameters(), train.make_model().parameters(), strict=True):
        assert torch.equal(p, q)


def test_bad_arguments_give_a_one_line_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        train_single.parse_args(["--epochs", "0", "--out", str(tmp_path)])
    assert exit_info.value.code == 2
    assert "--epochs and --batch-size must be >= 1 and --lr > 0" in capsys.readouterr().err
