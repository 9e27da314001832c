"""What a reader brings after the book: their own shapes, classes, seeds, Datasets, and the reuse bugs.

A 3-input regression, a 3-class classifier (cross-entropy on 1-D long labels), ten seeds at once,
their own Dataset and DataLoader, a reused EarlyStopping, Learner.fit twice, Ctrl-C, a failing
callback, predict/evaluate/save/load and lr_find.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

import nnbook
from nnbook.models import Rescaled, load, mlp, save
from nnbook.training import (
    Callback,
    DivergenceWarning,
    EarlyStopping,
    GradientClipping,
    Learner,
    StackedModels,
    accuracy,
    evaluate,
    fit,
    fit_seeds,
    lr_find,
    predict,
)


def regression3(n: int = 300) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(1)
    x = torch.randn(n, 3, generator=g)
    y = x @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.1 * torch.randn(n, 1, generator=g)
    return x, y


def three_classes(n: int = 300) -> tuple[torch.Tensor, torch.Tensor]:
    x, _ = regression3(n)
    return x, (x[:, 0] > 0).long() + (x[:, 1] > 0).long()  # labels 0, 1, 2 as a 1-D long tensor


class Rows(Dataset):
    """A reader's Dataset over tensors: item i is (x[i], y[i])."""

    def __init__(self, x: torch.Tensor, y: torch.Tensor) -> None:
        self.x, self.y = x, y

    def __len__(self) -> int:
        return len(self.x)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.x[i], self.y[i]


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


def test_accuracy_on_logits_probabilities_and_labels_agrees():
    logits = torch.tensor([[2.0, 0.0, -1.0], [0.0, 3.0, 0.0], [0.0, 0.0, 1.0], [1.0, 2.0, 0.0]])
    target = torch.tensor([0, 1, 2, 0])
    assert float(accuracy(logits, target)) == 0.75
    assert float(accuracy(torch.softmax(logits, 1), target, kind="probabilities")) == 0.75
    assert float(accuracy(logits.argmax(1), target, kind="labels")) == 0.75
    binary = torch.tensor([[1.5], [-0.5], [0.2]])
    assert float(accuracy(binary, torch.tensor([[1.0], [0.0], [0.0]]))) == pytest.approx(2 / 3)
    assert float(accuracy(torch.sigmoid(binary), torch.tensor([1, 0, 0]), kind="probabilities")) == pytest.approx(2 / 3)


def test_ten_seeds_of_a_classifier_with_metrics_and_a_split():
    x, labels = three_classes()
    run = fit_seeds(
        lambda: mlp([3, 8, 3]),
        range(10),
        (x[:240], labels[:240]),
        (x[240:], labels[240:]),
        epochs=40,
        lr=0.02,
        loss="cross_entropy",
        metrics=["accuracy"],
        weight_decay=1e-4,
        schedule="cosine",
        batch_size=60,
    )
    assert run.train_loss.shape == (40, 10) and run.valid_loss.shape == (40, 10)
    assert run.metrics["accuracy"].shape == (40, 10)
    assert (run.metrics["accuracy"][-1] > 0.7).all()
    assert not run.diverged.any()
    # the stacked seed i is the model fit would train from seed i (same batches, same steps)
    nnbook.set_seed(3)
    alone = mlp([3, 8, 3])
    h = fit(
        alone,
        (x[:240], labels[:240]),
        (x[240:], labels[240:]),
        epochs=40,
        lr=0.02,
        loss="cross_entropy",
        weight_decay=1e-4,
        schedule="cosine",
        batch_size=60,
        progress=False,
    )
    assert run.final_valid_loss[3].item() == pytest.approx(h.last["valid_loss"], rel=1e-4)


def test_fit_seeds_takes_a_split_callbacks_and_progress(capsys):
    x, y = regression3()
    from nnbook.data import train_valid_split

    split = train_valid_split(x, y, seed=0)
    events = []

    class Count(Callback):
        def after_epoch(self, state):
            events.append(state.n_models)

    run = fit_seeds(lambda: mlp([3, 8, 1]), range(4), split, epochs=3, lr=0.01, callbacks=[Count()], progress=True)
    assert events == [4, 4, 4] and run.valid_loss.shape == (3, 4)


def test_one_diverging_seed_is_masked_and_the_others_kept():
    x, y = regression3()

    def make():
        model = nn.Linear(3, 1)
        if torch.initial_seed() == 1:
            with torch.no_grad():
                model.weight.fill_(1e38)  # this seed's loss overflows at once
        return model

    with pytest.warns(DivergenceWarning, match=r"seed\(s\) \[1\]"):
        run = fit_seeds(make, [0, 1, 2], (x, y), epochs=30, lr=0.05)
    assert run.diverged.tolist() == [False, True, False]
    assert torch.isnan(run.final_train_loss[1])
    assert (run.final_train_loss[[0, 2]] < 0.5 * float(y.var())).all()
    assert not run.history.diverged and len(run.history) == 30


def test_fit_seeds_trains_dropout_models():
    x, y = regression3()
    run = fit_seeds(
        lambda: nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Dropout(0.1), nn.Linear(16, 1)),
        range(3),
        (x, y),
        epochs=20,
        lr=0.01,
    )
    assert torch.isfinite(run.final_train_loss).all()
    assert run.final_train_loss.mean() < run.train_loss[0].mean()
    first = run.predict(x[:5])
    assert torch.equal(first, run.predict(x[:5])), "predictions run in evaluation mode: no dropout"


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


def test_reused_early_stopping_starts_fresh():
    x, y = regression3()
    train, valid = (x[:240], y[:240]), (x[240:], y[240:])
    stopper = EarlyStopping(patience=3)
    nnbook.set_seed(0)
    first = mlp([3, 64, 1])
    fit(first, train, valid, epochs=300, lr=0.01, callbacks=[stopper], progress=False)
    assert stopper.stopped_epoch > 0
    nnbook.set_seed(1)
    second = mlp([3, 64, 1])
    h = fit(second, train, valid, epochs=300, lr=0.01, callbacks=[stopper], progress=False)
    assert not torch.equal(first[0].weight, second[0].weight), "the second model kept its own weights"
    assert stopper.best == pytest.approx(min(h["valid_loss"]))
    assert stopper.best_epoch == 1 + h["valid_loss"].index(min(h["valid_loss"]))


def test_early_stopping_on_a_metric_with_min_delta():
    x, labels = three_classes()
    stopper = EarlyStopping(monitor="accuracy", min_delta=0.01, patience=2, restore_best=False)
    assert stopper.mode == "max"
    h = fit(
        mlp([3, 8, 3]),
        (x, labels),
        epochs=200,
        lr=0.05,
        loss="cross_entropy",
        metrics=["accuracy"],
        callbacks=[stopper],
        progress=False,
    )
    assert len(h) < 200 and stopper.stopped_epoch == len(h)


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


def test_callbacks_see_the_events_and_add_a_column():
    x, y = regression3()
    events = []

    class Watch(Callback):
        def before_fit(self, state):
            events.append("before_fit")

        def after_backward(self, state):
            events.append("after_backward")
            assert all(p.grad is not None for p in state.model.parameters())

        def after_epoch(self, state):
            state.log("twice_loss", 2 * state.history.last["train_loss"])

    h = fit(
        mlp([3, 8, 1]),
        (x, y),
        epochs=2,
        lr=0.01,
        batch_size=100,
        callbacks=[Watch(), GradientClipping(0.5)],
        progress=False,
    )
    assert events == ["before_fit"] + ["after_backward"] * 6
    assert h["twice_loss"] == [2 * v for v in h["train_loss"]]
    assert all(v >= 0 for v in h["grad_norm"])


def test_fit_leaves_the_model_in_eval_mode_and_predict_restores_modes():
    x, y = regression3()
    model = nn.Sequential(nn.Linear(3, 8), nn.Dropout(0.5), nn.Linear(8, 1))
    fit(model, (x, y), epochs=2, lr=0.01, progress=False)
    assert not model.training
    model.train()
    a, b = predict(model, x), predict(model, x)
    assert torch.equal(a, b) and model.training


def test_save_and_load_an_mlp_and_a_rescaled_model(tmp_path):
    x, y = regression3()
    model = mlp([3, 6, 6, 1], "leaky_relu")
    fit(model, (x, y), epochs=2, lr=0.01, progress=False)
    save(model, tmp_path / "m.pt")
    assert torch.equal(predict(load(tmp_path / "m.pt"), x), predict(model, x))
    wrapped = Rescaled(mlp([3, 4, 1], "tanh"), x.mean(0), x.std(0), y.mean(), y.std())
    save(wrapped, str(tmp_path / "r.pt"))
    back = load(tmp_path / "r.pt")
    assert isinstance(back, Rescaled) and torch.allclose(predict(back, x), predict(wrapped, x))
    assert torch.load(tmp_path / "r.pt", weights_only=True)["format"] == "nnbook-model-1"


def test_lr_find_suggests_a_rate_that_trains_and_leaves_the_model_alone():
    x, y = regression3()
    nnbook.set_seed(0)
    model = mlp([3, 16, 1])
    before = [p.clone() for p in model.parameters()]
    finder = lr_find(model, (x, y), batch_size=50)
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))
    assert 1e-5 < finder.suggestion < 1
    assert finder.lrs == sorted(finder.lrs)
    h = fit(model, (x, y), epochs=30, lr=finder.suggestion, batch_size=50, progress=False)
    assert h.last["train_loss"] < 0.2 * float(y.var())
    import matplotlib

    matplotlib.use("Agg")
    ax = finder.plot()
    assert ax.get_xscale() == "log" and ax.lines
    import matplotlib.pyplot as plt

    plt.close(ax.figure)


def test_any_lr_scheduler_object_and_reduce_on_plateau():
    x, y = regression3()
    model = mlp([3, 8, 1])
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    h = fit(model, (x, y), epochs=4, optimizer=opt, schedule=torch.optim.lr_scheduler.StepLR(opt, 2), progress=False)
    assert h["lr"] == pytest.approx([0.05, 0.005, 0.005, 0.0005])
    plateau = fit(
        mlp([3, 8, 1]),
        (x, y),
        (x, y),
        epochs=3,
        lr=0.01,
        schedule=lambda o: torch.optim.lr_scheduler.ReduceLROnPlateau(o, patience=0),
        progress=False,
    )
    assert len(plateau) == 3


def test_cosine_schedule_falls_to_zero():
    x, y = regression3()
    h = fit(mlp([3, 8, 1]), (x, y), epochs=5, lr=0.1, schedule="cosine", batch_size=100, progress=False)
    assert h.lrs[0] == pytest.approx(0.1) and h.lrs[-1] < 0.01
    assert all(a >= b for a, b in zip(h.lrs, h.lrs[1:], strict=False))


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


def test_stacked_models_give_back_each_seed():
    models = [mlp([2, 4, 1], "prelu") for _ in range(3)]
    stack = StackedModels(models)
    x = torch.rand(5, 2)
    with torch.no_grad():
        out = stack(x)
        for i, m in enumerate(models):
            assert torch.allclose(out[i], m(x), atol=1e-6)
            assert torch.allclose(stack.model(i)(x), m(x), atol=1e-6)


def test_a_loss_of_ones_own_and_a_warning_free_run():
    x, y = regression3()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = fit(mlp([3, 8, 1]), (x, y), epochs=2, lr=0.01, loss=lambda p, t: ((p - t) ** 2).mean(), progress=False)
    assert h.columns[:2] == ["epoch", "train_loss"]


class Stream(torch.utils.data.IterableDataset):
    """A reader's streaming data: no length, no random access."""

    def __init__(self, x: torch.Tensor, y: torch.Tensor) -> None:
        self.x, self.y = x, y

    def __iter__(self):
        return iter(zip(self.x, self.y, strict=True))


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


def test_numpy_integers_index_and_count_seeds():
    x, y = regression3()
    run = fit_seeds(lambda: mlp([3, 4, 1]), np.arange(3), (x, y), epochs=np.int64(2), lr=0.01)
    assert run.seeds == [0, 1, 2] and isinstance(run.model(np.int64(2)), nn.Sequential)


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


def test_gradient_clipping_clips_each_seed_by_its_own_norm():
    x, y = regression3()
    clip = GradientClipping(max_norm=0.1)
    run = fit_seeds(lambda: mlp([3, 8, 1]), range(3), (x, y), epochs=3, lr=0.01, callbacks=[clip])
    assert run.history["grad_norm"][0] > 0.1 and torch.isfinite(run.final_train_loss).all()
    stack = run.stack.requires_grad_(True)
    stack.zero_grad()
    (stack(x) - y).pow(2).mean(dim=(1, 2)).sum().backward()
    from nnbook.training import TrainState

    clip.after_backward(TrainState(model=stack, stacked=True))
    per_seed = torch.stack([p.grad.reshape(3, -1).pow(2).sum(1) for p in stack.parameters()]).sum(0).sqrt()
    assert torch.allclose(per_seed, torch.full((3,), 0.1), rtol=1e-3)


def test_lr_find_ignores_a_lucky_first_batch():
    """On minibatches the first smoothed loss is one batch's loss; a low one must not make the suggestion start_lr/10."""
    from nnbook.data import train_valid_split, wiggly_curve

    split = train_valid_split(*wiggly_curve(), valid_fraction=0.2, seed=42)
    suggestions = []
    for seed in range(3):
        nnbook.set_seed(seed)
        finder = lr_find(mlp([1, 50, 1]), split.train, optimizer="adam", batch_size=100, seed=seed)
        suggestions.append(finder.suggestion)
    assert all(s > 1e-4 for s in suggestions), f"suggestions {suggestions}: one sits at the start of the range"
