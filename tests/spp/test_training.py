import pytest
import torch

from snippets.spp.training import SppNet, held_out_accuracy, quadrant_images, train_multi_size


@pytest.fixture(scope="module")
def pyramid_run():
    net, losses = train_multi_size(levels=(4, 2, 1))
    return net, losses, {s: held_out_accuracy(net, s) for s in (32, 48, 40)}


@pytest.fixture(scope="module")
def global_run():
    net, _ = train_multi_size(levels=(1,))
    return {s: held_out_accuracy(net, s) for s in (32, 48)}


def test_loss_drops_during_multi_size_training(pyramid_run):
    _, losses, _ = pyramid_run
    assert sum(losses[-4:]) / 4 < 0.25 * losses[0]


def test_held_out_accuracy_well_above_chance_at_both_training_sizes(pyramid_run):
    _, _, acc = pyramid_run
    assert acc[32] > 0.9 and acc[48] > 0.9  # chance is 0.25


def test_same_weights_work_at_an_unseen_size(pyramid_run):
    assert pyramid_run[2][40] > 0.9


def test_global_pooling_alone_loses_the_layout(pyramid_run, global_run):
    for size in (32, 48):
        assert global_run[size] < pyramid_run[2][size] - 0.3


def test_fc_input_length_does_not_depend_on_image_size():
    net = SppNet((4, 2, 1))
    for size in (32, 40, 48, 64):
        assert net(torch.zeros(2, 1, size, size)).shape == (2, 4)
    assert net.fc.in_features == 16 * 21


def test_quadrant_labels_match_where_the_square_is():
    images, labels = quadrant_images(32, 32, torch.Generator().manual_seed(0))
    quadrants = images[:, 0].reshape(32, 2, 16, 2, 16).mean(dim=(2, 4)).flatten(1)  # (N, 4)
    assert torch.equal(quadrants.argmax(1), labels)


def test_empty_pyramid_is_a_clear_error():
    with pytest.raises(ValueError, match="levels must be positive integers"):
        SppNet(())
