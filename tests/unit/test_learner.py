"""The training loop (nnbook.training.learner): what fit and Learner do for a reader's own data and runs."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from workloads import Rows, Stream, curve_split, regression3, small_split, three_classes

import nnbook
from nnbook.models import mlp
from nnbook.training import (
    Callback,
    EarlyStopping,
    Learner,
    evaluate,
    fit,
    fit_seeds,
    predict,
)


def test_fit_learns_a_curve_and_records_history():
    split = curve_split()
    nnbook.set_seed(0)
    history = fit(
        mlp([1, 50, 1]),
        split,
        epochs=10,
        lr=0.03,
        batch_size=100,
        schedule="one_cycle",
        metrics=["mae"],
        progress=False,
    )
    assert history.columns == ["epoch", "train_loss", "valid_loss", "mae", "lr", "time"]
    assert len(history) == 10
    assert history["valid_loss"][-1] < 0.5  # the best straight line only reaches about 0.76


def test_fit_is_reproducible():
    split = small_split()
    runs = []
    for _ in range(2):
        nnbook.set_seed(3)
        runs.append(fit(mlp([1, 10, 1]), split, epochs=3, lr=0.01, batch_size=32, progress=False)["valid_loss"])
    assert runs[0] == runs[1]


def test_fit_accepts_a_dataloader():
    split = curve_split()
    loader = DataLoader(
        TensorDataset(*split.train), batch_size=100, shuffle=True, generator=torch.Generator().manual_seed(0)
    )
    nnbook.set_seed(0)
    history = fit(mlp([1, 50, 1]), loader, split.valid, epochs=10, lr=0.03, schedule="one_cycle", progress=False)
    assert history["valid_loss"][-1] < 0.5


def test_three_input_regression_learns():
    x, y = regression3()
    nnbook.set_seed(0)
    h = fit(mlp([3, 16, 1]), (x[:240], y[:240]), (x[240:], y[240:]), epochs=150, lr=0.01, progress=False)
    assert h.last["valid_loss"] < 0.1 * float(y.var())


def test_three_classes_with_cross_entropy_on_1d_labels():
    x, labels = three_classes()
    assert labels.dim() == 1
    nnbook.set_seed(0)
    model = mlp([3, 16, 3])
    h = fit(model, (x, labels), epochs=100, lr=0.02, loss="cross_entropy", metrics=["accuracy"], progress=False)
    assert h.last["accuracy"] > 0.9
    assert predict(model, x, output="labels").shape == (300,)
    probs = predict(model, x, output="probabilities")
    assert torch.allclose(probs.sum(dim=1), torch.ones(300))
    assert evaluate(model, (x, labels), ["accuracy"])["accuracy"] == pytest.approx(h.last["accuracy"], abs=0.02)


def test_own_dataset_and_dataloader_match_tensors():
    x, y = regression3()
    nnbook.set_seed(0)
    a = fit(mlp([3, 8, 1]), (x, y), epochs=5, lr=0.01, progress=False)
    nnbook.set_seed(0)
    b = fit(mlp([3, 8, 1]), Rows(x, y), epochs=5, lr=0.01, progress=False)  # full batch either way
    assert a.last["train_loss"] == pytest.approx(b.last["train_loss"], rel=1e-5)
    nnbook.set_seed(0)
    loader = DataLoader(Rows(x.double(), y.double()), batch_size=50, shuffle=True)  # float64 from NumPy, say
    c = fit(mlp([3, 8, 1]), loader, Rows(x, y), epochs=5, lr=0.01, progress=False)
    assert math.isfinite(c.last["valid_loss"])


def test_numpy_arrays_and_scalars_are_accepted():
    x, y = regression3()
    h = fit(
        mlp([3, 8, 1]),
        (x.numpy(), y.numpy().astype(np.float64)),
        epochs=np.int64(3),
        lr=np.float32(0.01),
        batch_size=np.int64(100),
        weight_decay=np.float64(1e-4),
        progress=False,
    )
    assert len(h) == 3
    assert predict(mlp([3, 8, 1]), x.numpy()).shape == (300, 1)


def test_learner_fit_twice_continues():
    x, y = regression3()
    stopper = EarlyStopping(monitor="train_loss", patience=1, min_delta=1e9)  # stops after 2 epochs
    learner = Learner(mlp([3, 8, 1]), (x, y), lr=0.01, progress=False, callbacks=[stopper], schedule="one_cycle")
    learner.fit(10)
    assert learner.history["epoch"] == [1, 2]
    learner.fit(10)  # the earlier stop is cleared, the epochs continue
    assert learner.history["epoch"] == [1, 2, 3, 4]
    assert learner.state.first_epoch == 3


def test_ctrl_c_returns_the_history_marked_interrupted():
    x, y = regression3()

    class PressCtrlC(Callback):
        def after_batch(self, state):
            if state.epoch == 3:
                raise KeyboardInterrupt

    learner = Learner(mlp([3, 8, 1]), (x, y), lr=0.01, progress=False, callbacks=[PressCtrlC()])
    with pytest.warns(UserWarning, match="interrupted"):
        h = learner.fit(10)
    assert h.interrupted and h["epoch"] == [1, 2]
    assert not learner.model.training


def test_a_failing_callback_carries_the_history():
    x, y = regression3()

    class Fails(Callback):
        def after_epoch(self, state):
            if state.epoch == 2:
                raise RuntimeError("my callback broke")

    with pytest.raises(RuntimeError, match="my callback broke") as info:
        fit(mlp([3, 8, 1]), (x, y), epochs=10, lr=0.01, callbacks=[Fails()], progress=False)
    assert info.value.history["epoch"] == [1, 2]


def test_fit_leaves_the_model_in_eval_mode_and_predict_restores_modes():
    x, y = regression3()
    model = nn.Sequential(nn.Linear(3, 8), nn.Dropout(0.5), nn.Linear(8, 1))
    fit(model, (x, y), epochs=2, lr=0.01, progress=False)
    assert not model.training
    model.train()
    a, b = predict(model, x), predict(model, x)
    assert torch.equal(a, b) and model.training


def test_import_sets_no_thread_count_and_fit_restores_it():
    import subprocess
    import sys

    code = (
        "import torch; torch.set_num_threads(2); import nnbook, nnbook.training; "
        "assert torch.get_num_threads() == 2; "
        "from nnbook.models import mlp; x = torch.rand(20, 1); "
        "seen = []\n"
        "class C(nnbook.training.Callback):\n"
        "    def after_epoch(self, s): seen.append(torch.get_num_threads())\n"
        "nnbook.training.fit(mlp([1, 4, 1]), (x, x), epochs=1, lr=0.1, progress=False, callbacks=[C()])\n"
        "assert seen == [1] and torch.get_num_threads() == 2, (seen, torch.get_num_threads())"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_loss_of_ones_own_and_a_warning_free_run():
    x, y = regression3()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = fit(mlp([3, 8, 1]), (x, y), epochs=2, lr=0.01, loss=lambda p, t: ((p - t) ** 2).mean(), progress=False)
    assert h.columns[:2] == ["epoch", "train_loss"]


def test_an_iterable_dataset_trains_through_a_dataloader():
    x, y = regression3()
    h = fit(mlp([3, 8, 1]), DataLoader(Stream(x, y), batch_size=50), epochs=2, lr=0.01, progress=False)
    assert len(h) == 2 and math.isfinite(h.last["train_loss"])
    with pytest.raises(TypeError, match="wrap it in a DataLoader"):
        fit(mlp([3, 8, 1]), Stream(x, y), epochs=2, lr=0.01, progress=False)
    with pytest.raises(ValueError, match="schedule='one_cycle' cannot know"):
        fit(
            mlp([3, 8, 1]),
            DataLoader(Stream(x, y), batch_size=50),
            epochs=2,
            lr=0.01,
            schedule="one_cycle",
            progress=False,
        )


def test_a_real_ctrl_c_stops_at_the_end_of_the_batch():
    """SIGINT during a batch (as Ctrl-C sends it) lets that batch finish, then training stops."""
    import os
    import signal

    x, y = regression3()
    seen = []

    class PressCtrlC(Callback):
        def after_backward(self, state):
            if state.epoch == 2 and state.batch == 1:
                os.kill(os.getpid(), signal.SIGINT)

        def after_batch(self, state):
            seen.append((state.epoch, state.batch))

    before = signal.getsignal(signal.SIGINT)
    with pytest.warns(UserWarning, match="interrupted during epoch 2"):
        h = fit(mlp([3, 8, 1]), (x, y), epochs=5, lr=0.01, batch_size=100, callbacks=[PressCtrlC()], progress=False)
    assert h.interrupted and h["epoch"] == [1]
    assert seen[-1] == (2, 1), "the interrupted batch finished its step"
    assert signal.getsignal(signal.SIGINT) is before


def two_class_points() -> tuple[torch.Tensor, torch.Tensor]:
    torch.manual_seed(0)
    x = torch.randn(100, 2)
    return x, (x[:, 0] > 0).long()


@pytest.mark.parametrize("label", [7, -1])
def test_a_bad_label_past_the_first_batch_of_a_dataset_is_named(label):
    """Every batch's labels are checked, not only the first items: a label far into the Dataset gets nnbook's error."""
    x, y = two_class_points()
    y[50 if label == 7 else 70] = label
    with pytest.raises(ValueError, match=f"labels run from {min(label, 0)} to {max(label, 1)}") as caught:
        fit(mlp([2, 8, 2]), TensorDataset(x, y), epochs=2, lr=0.1, loss="cross_entropy", progress=False)
    message = str(caught.value)
    assert f"Item(s) [{50 if label == 7 else 70}] of the Dataset" in message
    assert ("here 0 … 1" in message) if label == 7 else ("Renumber them from 0" in message)


def test_a_bad_label_in_a_later_validation_batch_is_named():
    x, y = two_class_points()
    bad = y.clone()
    bad[90] = 5
    valid = DataLoader(TensorDataset(x, bad), batch_size=40)
    with pytest.raises(ValueError, match="In batch 2 of the valid DataLoader: the valid labels run from 0 to 5"):
        fit(mlp([2, 8, 2]), (x, y), valid, epochs=1, lr=0.1, loss="cross_entropy", progress=False)


def test_nan_in_a_later_dataset_item_raises_instead_of_blaming_the_learning_rate():
    x, y = two_class_points()
    x[60, 0] = float("nan")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no DivergenceWarning: the data is at fault
        with pytest.raises(ValueError, match="train x contains 1 NaN") as caught:
            fit(mlp([2, 8, 2]), TensorDataset(x, y), epochs=2, lr=0.1, loss="cross_entropy", progress=False)
    message = str(caught.value)
    assert "In batch 0 of the train Dataset" in message and "Item(s) [60] of the Dataset" in message
    assert "clean it" in message and "learning rate" not in message
    assert len(caught.value.history) == 0


def test_nan_targets_in_a_dataloader_batch_are_refused():
    x, y = regression3()
    y[250, 0] = float("inf")
    with pytest.raises(ValueError, match="In batch 2 of the train DataLoader: train y contains 1 NaN"):
        fit(mlp([3, 8, 1]), DataLoader(TensorDataset(x, y), batch_size=100), epochs=1, lr=0.01, progress=False)


def test_a_hand_written_layer_gets_the_module_to_build_instead():
    from nnbook.models import Linear

    x = torch.rand(20, 3)
    with pytest.raises(TypeError, match=r"torch\.nn\.Linear\(3, 1\) or mlp\(\[3, 1\]\)") as caught:
        fit(Linear.zeros(3, 1), (x, x.sum(dim=1, keepdim=True)), epochs=2, lr=0.1, progress=False)
    assert "Linear is the book's hand-written layer" in str(caught.value)
    assert "not mlp" not in str(caught.value)
    with pytest.raises(TypeError, match=r"mlp\(\[1, 50, 1\]\), not mlp"):
        fit(mlp, (x, x), epochs=2, lr=0.1, progress=False)
    with pytest.raises(TypeError, match="A plain function has no weights"):
        fit(lambda t: t, (x, x), epochs=2, lr=0.1, progress=False)
    with pytest.raises(TypeError, match=r"Create one first: Linear\(…\), not Linear\."):
        predict(torch.nn.Linear, x)


def test_a_frozen_model_is_refused_with_how_to_unfreeze():
    x, y = regression3()
    model = mlp([3, 8, 1])
    model.requires_grad_(False)
    with pytest.raises(ValueError, match=r"all its weights are frozen \(requires_grad=False\)") as info:
        fit(model, (x, y), epochs=1, lr=0.1, progress=False)
    assert "model.requires_grad_(True)" in str(info.value)
    model.requires_grad_(True)
    assert len(fit(model, (x, y), epochs=1, lr=0.1, progress=False)) == 1
    partly = mlp([3, 8, 1])
    partly.hidden1.requires_grad_(False)  # some weights still train: nothing to refuse
    assert len(fit(partly, (x, y), epochs=1, lr=0.1, progress=False)) == 1


def test_the_frozen_stack_of_fit_seeds_points_to_run_model():
    x, y = regression3()
    run = fit_seeds(lambda: mlp([3, 4, 1]), range(2), (x, y), epochs=1, lr=0.01)
    with pytest.raises(ValueError, match=r"fit_seeds result \(run.stack\)") as info:
        fit(run.stack, (x, y), epochs=1, lr=0.1, progress=False)
    assert "run.model(i)" in str(info.value)
    assert len(fit(run.model(0), (x, y), epochs=1, lr=0.1, progress=False)) == 1
