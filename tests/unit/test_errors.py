"""A catalogue of mistakes a reader will make, one per row, and the error each one must get.

Every row calls the public API with one bad input and states the exception (or warning) type it
must raise and phrases its message must contain: what was wrong, with the actual values, and how
to fix it. An error must come from nnbook's own checks, never from deep inside torch.
"""

from __future__ import annotations

import importlib
import inspect
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
import torch
from torch import nn
from torch.utils.data import TensorDataset

import nnbook
from nnbook.analysis import feature_decomposition, top_features
from nnbook.animation import Snapshots, curve_animation
from nnbook.data import temperature_data, train_valid_split, wiggly_curve
from nnbook.data.gistemp import FILE_NAME
from nnbook.models import Linear, collapse_linear, load, mlp, save
from nnbook.training import (
    Callback,
    DivergenceWarning,
    EarlyStopping,
    GradientClipping,
    History,
    Learner,
    LRRangeWarning,
    StackedModels,
    TrainState,
    accuracy,
    evaluate,
    fit,
    fit_seeds,
    fit_sequential,
    lr_find,
    mae,
    make_loss,
    make_optimizer,
    make_schedule,
    mse,
    predict,
)

PACKAGE = Path(nnbook.__file__).resolve().parent
# The module itself: the name nnbook.data.gistemp is shadowed by the function of the same name.
gistemp_module = importlib.import_module("nnbook.data.gistemp")


@dataclass
class Case:
    """One bad input: ``call(env)`` must raise (or warn) ``expect`` with every phrase in its message."""

    id: str
    call: Callable[[SimpleNamespace], Any]
    expect: type[BaseException]
    wrong: str  # a phrase of the message that says what was wrong
    fix: str  # a phrase that says how to fix it

    @property
    def phrases(self) -> tuple[str, ...]:
        return tuple(p for p in (self.wrong, self.fix) if p)


def x100(columns: int = 1) -> torch.Tensor:
    return torch.linspace(0, 1, 100).repeat(columns, 1).T.contiguous()


def y100() -> torch.Tensor:
    return 2 * x100() + 1


def train(model: nn.Module, data: Any, valid: Any = None, **options: Any):
    """``fit`` with quiet defaults, so each row only states what it gets wrong."""
    options = {"epochs": 1, "lr": 0.01, "progress": False, **options}
    return fit(model, data, valid, **options)


def with_nan(t: torch.Tensor, row: int = 3) -> torch.Tensor:
    t = t.clone()
    t[row, 0] = float("nan")
    return t


def fake_data_dir(env: SimpleNamespace, content: str | None) -> None:
    """Point the package's data folder at a temporary one, holding ``content`` (None: no file at all)."""
    if content is not None:
        (env.tmp_path / FILE_NAME).write_text(content, encoding="utf-8")
    env.monkeypatch.setattr(gistemp_module.resources, "files", lambda package: env.tmp_path)


def diverging_run(env: SimpleNamespace):
    """Plain SGD with a huge learning rate on a steep line: the loss explodes after a few epochs."""
    nnbook.set_seed(0)
    x = torch.linspace(-10, 10, 100)[:, None]
    return fit(nn.Linear(1, 1), (x, 3 * x), epochs=100, lr=1e6, optimizer="sgd", progress=False)


class Items(torch.utils.data.Dataset):
    """A reader's own Dataset: ``__getitem__`` returns whatever ``item(i)`` builds."""

    def __init__(self, item: Callable[[int], Any], n: int = 100) -> None:
        self.item, self.n = item, n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> Any:
        return self.item(i)


def seeds_run() -> Any:
    return fit_seeds(lambda: mlp([1, 4, 1]), range(2), (x100(), y100()), epochs=1, lr=0.01)


def always(model: nn.Module) -> Callable[[], nn.Module]:
    """A model factory that returns the same module every time, instead of building a new one."""
    return lambda: model


def runaway_run(env: SimpleNamespace):
    """SGD just above the stable rate: the loss grows about 5× per epoch but stays finite for 12 epochs."""
    x = torch.linspace(-10, 10, 100)[:, None]
    return fit(nn.Linear(1, 1), (x, 3 * x), epochs=12, lr=0.05, optimizer="sgd", progress=False)


def threads_env(env: SimpleNamespace, value: str):
    env.monkeypatch.setenv("NNBOOK_THREADS", value)
    return train(mlp([1, 5, 1]), (x100(), y100()))


def save_to(env: SimpleNamespace, model: nn.Module, name: str):
    return save(model, env.tmp_path / name)


def load_text_file(env: SimpleNamespace):
    path = env.tmp_path / "notes.pt"
    path.write_text("not a model", encoding="utf-8")
    return load(path)


def load_state_dict_file(env: SimpleNamespace):
    path = env.tmp_path / "weights.pt"
    torch.save(mlp([1, 4, 1]).state_dict(), path)
    return load(path)


def log_bad_name(env: SimpleNamespace):
    return TrainState(model=nn.Linear(1, 1)).log(3, 1.0)


def many_frames(env: SimpleNamespace):
    x = x100()
    return curve_animation(x, y100(), x, [k / 100 * x for k in range(100)], max_frames=10)


def sigmoid_model() -> nn.Module:
    return nn.Sequential(mlp([1, 4, 1]), nn.Sigmoid())


class Bad(Callback):
    """A callback that returns True from after_epoch, as "stop" does in some libraries."""

    def after_epoch(self, state):
        return True


class Writer(Callback):
    """A callback that sets an attribute of the state that belongs to the loop."""

    def before_fit(self, state):
        state.epoch = 5


def define_callback(hook: str, takes_state: bool = True):
    body = (lambda self, state: None) if takes_state else (lambda self: None)
    return type("Mine", (Callback,), {hook: body})


def truncated_model_file(env: SimpleNamespace):
    path = env.tmp_path / "model.pt"
    save(mlp([1, 4, 1]), path)
    path.write_bytes(path.read_bytes()[:300])
    return load(path)


def mismatched_model_file(env: SimpleNamespace):
    path = env.tmp_path / "model.pt"
    save(mlp([1, 4, 1]), path)
    saved = torch.load(path, weights_only=True)
    saved["recipe"]["layout"] = [1, 8, 1]
    torch.save(saved, path)
    return load(path)


def odd_item(i: int):
    x = torch.full((2,) if i == 30 else (1,), i / 100)
    return x, 2 * x[:1]


def unpack_split():
    x_train, x_valid, y_train, y_valid = train_valid_split(x100(), y100())  # scikit-learn's order
    return x_train


def one_step_one_cycle(env: SimpleNamespace):
    return train(mlp([1, 4, 1]), (x100(), y100()), schedule="one_cycle", epochs=1)


CASES = [
    # ---- the API added last: predict, evaluate, save/load, lr_find, callbacks, schedules, analysis -------
    Case(
        "accuracy-of-probabilities-without-kind",
        lambda e: accuracy(torch.sigmoid(10 * (x100() - 0.5)), (x100() > 0.5).float()),
        ValueError,
        "probabilities or logits?",
        "kind='probabilities'",
    ),
    Case(
        "accuracy-of-predicted-probabilities",
        lambda e: accuracy(predict(mlp([1, 4, 1]), x100(), output="probabilities"), (x100() > 0.5).float()),
        ValueError,
        "between 0 and 1",
        "kind='probabilities'",
    ),
    Case(
        "fit-sigmoid-model-with-bce",
        lambda e: train(sigmoid_model(), (x100(), (x100() > 0.5).float()), loss="bce", metrics=["accuracy"]),
        ValueError,
        "ends in Sigmoid",
        "Remove the last layer",
    ),
    Case(
        "fit-softmax-model-with-cross-entropy",
        lambda e: train(
            nn.Sequential(mlp([1, 4, 3]), nn.Softmax(dim=1)), (x100(), (2 * x100()).long()), loss="cross_entropy"
        ),
        ValueError,
        "ends in Softmax",
        "output='probabilities'",
    ),
    Case(
        "predict-unknown-kind",
        lambda e: predict(mlp([1, 4, 1]), x100(), output="labels", kind="scores"),
        ValueError,
        "got 'scores'",
        "kind='logits'",
    ),
    Case(
        "predict-probabilities-kind-but-logits",
        lambda e: predict(nn.Linear(1, 1), 100 * x100(), output="labels", kind="probabilities"),
        ValueError,
        "outside [0, 1]",
        "kind='logits'",
    ),
    Case(
        "evaluate-empty-dataset",
        lambda e: evaluate(mlp([1, 4, 1]), TensorDataset(torch.zeros(0, 1), torch.zeros(0, 1)), ["mse"]),
        ValueError,
        "Dataset is empty",
        "Check how it was built",
    ),
    Case(
        "evaluate-seed-ensemble",
        lambda e: evaluate(seeds_run(), (x100(), y100()), ["mse"]),
        TypeError,
        "result of fit_seeds",
        "run.model(i)",
    ),
    Case("load-truncated-file", truncated_model_file, ValueError, "damaged or incomplete", "Save the model again"),
    Case(
        "load-recipe-and-weights-disagree", mismatched_model_file, ValueError, "does not match", "Save the model again"
    ),
    Case(
        "lr-find-with-a-schedule",
        lambda e: lr_find(mlp([1, 4, 1]), (x100(), y100()), schedule="cosine"),
        TypeError,
        "no option 'schedule'",
        "Its options are",
    ),
    Case(
        "lr-find-start-above-end",
        lambda e: lr_find(mlp([1, 4, 1]), (x100(), y100()), start_lr=1.0, end_lr=0.1),
        ValueError,
        "must be larger than start_lr=1",
        "1e-7 and 10",
    ),
    Case(
        "callback-hook-misspelled",
        lambda e: define_callback("after_epcoh"),
        TypeError,
        "after_epcoh is not a hook",
        "Did you mean after_epoch?",
    ),
    Case(
        "callback-hook-without-state",
        lambda e: define_callback("after_epoch", takes_state=False),
        TypeError,
        "takes (self)",
        "def after_epoch(self, state)",
    ),
    Case(
        "callback-returns-true",
        lambda e: train(mlp([1, 4, 1]), (x100(), y100()), callbacks=[Bad()]),
        TypeError,
        "returned True",
        "state.stop = True",
    ),
    Case(
        "callback-writes-the-loop-state",
        lambda e: train(mlp([1, 4, 1]), (x100(), y100()), callbacks=[Writer()]),
        AttributeError,
        "not state.epoch",
        "state.stop",
    ),
    Case(
        "schedule-negative-total",
        lambda e: make_schedule("cosine", torch.optim.SGD(nn.Linear(1, 1).parameters(), lr=0.1), 0.1, -5),
        ValueError,
        "total_steps=-5",
        "Train for more epochs",
    ),
    Case(
        "schedule-zero-total",
        lambda e: make_schedule("cosine", torch.optim.SGD(nn.Linear(1, 1).parameters(), lr=0.1), 0.1, 0),
        ValueError,
        "needs at least 1",
        "schedule='constant'",
    ),
    Case(
        "schedule-negative-lr",
        lambda e: make_schedule("cosine", torch.optim.SGD(nn.Linear(1, 1).parameters(), lr=0.1), -1, 10),
        ValueError,
        "lr must be a finite number > 0, got -1",
        "lr=0.01",
    ),
    Case(
        "schedule-lr-as-text",
        lambda e: make_schedule("one_cycle", torch.optim.SGD(nn.Linear(1, 1).parameters(), lr=0.1), "0.1", 10),
        TypeError,
        "got '0.1' (str)",
        "lr=0.01",
    ),
    Case("one-cycle-one-step", one_step_one_cycle, ValueError, "total_steps=1", "smaller batches"),
    Case(
        "schedule-a-class",
        lambda e: train(mlp([1, 4, 1]), (x100(), y100()), schedule=torch.optim.lr_scheduler.StepLR),
        TypeError,
        "the class StepLR",
        "schedule=lambda opt: torch.optim.lr_scheduler.StepLR(opt, …)",
    ),
    Case(
        "cross-entropy-one-hot-floats",
        lambda e: train(
            mlp([1, 4, 3]),
            (x100(), nn.functional.one_hot((2.9 * x100()[:, 0]).long(), 3).float()),
            loss="cross_entropy",
        ),
        ValueError,
        "one-hot rows",
        "y.argmax(dim=1)",
    ),
    Case(
        "cross-entropy-labels-from-one",
        lambda e: train(mlp([1, 4, 3]), (x100(), 1 + (2.9 * x100()).long()), loss="cross_entropy"),
        ValueError,
        "run from 1 to 3",
        "Renumber them from 0",
    ),
    Case(
        "epochs-given-by-position",
        lambda e: fit(mlp([1, 4, 1]), (x100(), y100()), 10, lr=0.01),
        TypeError,
        "valid=10 was given by position",
        "did you mean epochs=10?",
    ),
    Case(
        "model-without-parameters",
        lambda e: train(nn.ReLU(), (x100(), y100())),
        ValueError,
        "no parameters to train",
        "nn.Parameter",
    ),
    Case(
        "optimizer-for-no-parameters",
        lambda e: make_optimizer("sgd", [], lr=0.1),
        ValueError,
        "no parameters to train",
        "nn.Parameter",
    ),
    Case("seed-too-large", lambda e: nnbook.set_seed(2**70), ValueError, "between 0 and", "seed=42"),
    Case(
        "split-unpacked-like-scikit-learn",
        lambda e: unpack_split(),
        TypeError,
        "not four arrays to unpack",
        "split.x_train",
    ),
    Case(
        "dataset-item-of-another-shape",
        lambda e: train(mlp([1, 4, 1]), Items(odd_item), batch_size=10),
        TypeError,
        "item 30",
        "the same shape for every item",
    ),
    Case(
        "features-of-a-sigmoid-classifier",
        lambda e: feature_decomposition(sigmoid_model(), x100()),
        ValueError,
        "ends in Sigmoid",
        "model[:-1]",
    ),
    Case(
        "features-of-a-seed-ensemble",
        lambda e: feature_decomposition(seeds_run(), x100()),
        TypeError,
        "every seed of fit_seeds",
        "run.model(i)",
    ),
    Case(
        "features-of-a-deep-model-bad-layer",
        lambda e: top_features(mlp([1, 4, 3, 1]), k=2, layer=1),
        ValueError,
        "last hidden layer (layer=2) only",
        "hidden_features(model, x, layer=1)",
    ),
    Case(
        "features-of-a-deep-model-layer-zero",
        lambda e: feature_decomposition(mlp([1, 4, 3, 1]), x100(), layer=0),
        ValueError,
        "got 0",
        "2 hidden layer(s)",
    ),
    # ---- shapes and data -------------------------------------------------------------------------------
    Case(
        "xy-row-mismatch",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()[:90])),
        ValueError,
        "x has 100 rows",
        "one target",
    ),
    Case(
        "split-row-mismatch",
        lambda e: train_valid_split(x100(), y100()[:90]),
        ValueError,
        "100 rows",
        "same data set",
    ),
    Case(
        "x-1d",
        lambda e: train(mlp([1, 5, 1]), (x100()[:, 0], y100())),
        ValueError,
        "1-D",
        "x.view(-1, 1)",
    ),
    Case(
        "y-1d",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()[:, 0])),
        ValueError,
        "y is 1-D",
        "y.view(-1, 1)",
    ),
    Case(
        "split-x-1d",
        lambda e: train_valid_split(torch.rand(10), torch.rand(10, 1)),
        ValueError,
        "x is 1-D",
        "x[:, None]",
    ),
    Case(
        "m-at-x-weights-as-row",
        lambda e: Linear(torch.zeros(1, 2)).forward(x100(2)),
        ValueError,
        "(100, 2)",
        "(2, 1)",
    ),
    Case(
        "m-at-x-x-transposed",
        lambda e: Linear(torch.zeros(2, 1)).forward(x100(2).T),
        ValueError,
        "(2, 100)",
        "(100, 2)",
    ),
    Case(
        "linear-x-1d",
        lambda e: Linear(torch.zeros(1, 1)).forward(torch.rand(100)),
        ValueError,
        "(100,)",
        "x.view(-1, 1)",
    ),
    Case(
        "linear-weights-1d",
        lambda e: Linear(torch.zeros(2)),
        ValueError,
        "shape (2,)",
        "torch.tensor([[0.0]])",
    ),
    Case(
        "model-wants-other-inputs",
        lambda e: train(mlp([1, 5, 1]), (x100(2), y100())),
        ValueError,
        "(100, 2)",
        "mlp([2, 50, 1])",
    ),
    Case(
        "model-gives-other-outputs",
        lambda e: train(mlp([1, 5, 2]), (x100(), y100())),
        ValueError,
        "2 output(s)",
        "last width of the layout 1",
    ),
    Case(
        "fit-seeds-other-inputs",
        lambda e: fit_seeds(lambda: mlp([1, 5, 1]), range(2), (x100(3), y100()), epochs=1, lr=0.01),
        ValueError,
        "(100, 3)",
        "mlp([3, 50, 1])",
    ),
    Case(
        "int-targets-for-mse",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100().long())),
        TypeError,
        "torch.int64",
        "y.float()",
    ),
    Case(
        "bool-labels-for-bce",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100() > 2), loss="bce"),
        TypeError,
        "torch.bool",
        "y.float()",
    ),
    Case(
        "float-labels-for-cross-entropy",
        lambda e: train(mlp([1, 5, 2]), (x100(), (y100() > 2).float()), loss="cross_entropy"),
        TypeError,
        "torch.float32",
        "y.long()",
    ),
    Case(
        "labels-beyond-outputs",
        lambda e: train(mlp([1, 5, 2]), (x100(), (3 * x100()).long()), loss="cross_entropy"),
        ValueError,
        "from 0 to 3",
        "last width of the layout 4",
    ),
    Case(
        "bool-inputs",
        lambda e: train(mlp([1, 5, 1]), (x100() > 0.5, y100())),
        TypeError,
        "torch.bool",
        "x.float()",
    ),
    Case(
        "inputs-not-a-tensor",
        lambda e: train_valid_split(np.array([["a"], ["b"]]), torch.zeros(2, 1)),
        TypeError,
        "x holds text",
        "Convert its columns to numbers",
    ),
    Case("train-not-a-pair", lambda e: train(mlp([1, 5, 1]), x100()), TypeError, "pair (x, y)", "Tensor"),
    Case(
        "empty-data",
        lambda e: train(mlp([1, 5, 1]), (torch.zeros(0, 1), torch.zeros(0, 1))),
        ValueError,
        "train x has shape (0, 1)",
        "it needs at least one row",
    ),
    Case(
        "empty-dataset",
        lambda e: train(mlp([1, 5, 1]), TensorDataset(torch.zeros(0, 1), torch.zeros(0, 1))),
        ValueError,
        "Dataset is empty",
        "Check how it was built",
    ),
    Case(
        "nan-in-x",
        lambda e: train(mlp([1, 5, 1]), (with_nan(x100()), y100())),
        ValueError,
        "1 NaN",
        "x[keep]",
    ),
    Case(
        "nan-in-y",
        lambda e: train(mlp([1, 5, 1]), (x100(), with_nan(y100()))),
        ValueError,
        "1 NaN",
        "torch.isfinite(y)",
    ),
    Case(
        "nan-in-valid-y",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()), (x100(), with_nan(y100(), 0))),
        ValueError,
        "valid y contains 1 NaN",
        "remove those rows",
    ),
    Case(
        "features-of-1d-x",
        lambda e: feature_decomposition(mlp([1, 5, 1]), torch.rand(30), k=3),
        ValueError,
        "(n, 1)",
        "x[:, None]",
    ),
    # ---- models ----------------------------------------------------------------------------------------
    Case("layout-one-entry", lambda e: mlp([1]), ValueError, "at least two widths", "[1, 50, 1]"),
    Case("layout-empty", lambda e: mlp([]), ValueError, "at least two widths", "[]"),
    Case("layout-zero-width", lambda e: mlp([1, 0, 1]), ValueError, "layout[1] = 0", "[1, 0, 1]"),
    Case("layout-negative-width", lambda e: mlp([1, 50, -3]), ValueError, "layout[2] = -3", "at least one unit"),
    Case(
        "layout-float-width",
        lambda e: mlp([1, 2.5, 1]),
        TypeError,
        "layout[1] = 2.5",
        "int such as 10",
    ),
    Case("layout-not-a-list", lambda e: mlp("1,50,1"), TypeError, "list of layer widths", "'1,50,1'"),
    Case(
        "unknown-activation",
        lambda e: mlp([1, 5, 1], activation="Relu"),
        ValueError,
        "'Relu'",
        "None",
    ),
    Case(
        "collapse-with-activation",
        lambda e: collapse_linear(mlp([1, 5, 1])),
        TypeError,
        "ReLU",
        "stack of linear layers",
    ),
    Case(
        "fit-seeds-given-a-model",
        lambda e: fit_seeds(mlp([1, 5, 1]), range(2), (x100(), y100()), epochs=1, lr=0.01),
        TypeError,
        "Sequential",
        "lambda: mlp([1, 50, 1])",
    ),
    # ---- training --------------------------------------------------------------------------------------
    Case(
        "unknown-optimizer",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()), optimizer="adma"),
        ValueError,
        "'adma'",
        "'adamw'",
    ),
    Case(
        "unknown-schedule",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()), schedule="cosin"),
        ValueError,
        "'cosin'",
        "lr_scheduler",
    ),
    Case(
        "unknown-loss",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()), loss="l2"),
        ValueError,
        "'l2'",
        "'bce'",
    ),
    Case(
        "unknown-metric",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()), metrics=["rmse"]),
        ValueError,
        "'rmse'",
        "'accuracy'",
    ),
    Case(
        "lr-zero",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()), lr=0),
        ValueError,
        "lr=0",
        "lr=0.01",
    ),
    Case("lr-negative", lambda e: train(mlp([1, 5, 1]), (x100(), y100()), lr=-0.1), ValueError, "got -0.1", "lr=0.01"),
    Case("lr-nan", lambda e: train(mlp([1, 5, 1]), (x100(), y100()), lr=math.nan), ValueError, "got nan", "lr=0.01"),
    Case("lr-inf", lambda e: train(mlp([1, 5, 1]), (x100(), y100()), lr=math.inf), ValueError, "got inf", "lr=0.01"),
    Case("lr-text", lambda e: train(mlp([1, 5, 1]), (x100(), y100()), lr="0.1"), TypeError, "'0.1'", "0.01"),
    Case(
        "epochs-zero",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()), epochs=0),
        ValueError,
        "epochs must be a whole number ≥ 1, got 0",
        "epochs=30",
    ),
    Case(
        "epochs-negative",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()), epochs=-5),
        ValueError,
        "got -5",
        "epochs=30",
    ),
    Case(
        "epochs-float",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()), epochs=2.5),
        TypeError,
        "2.5",
        "whole number",
    ),
    Case(
        "fit-seeds-epochs-zero",
        lambda e: fit_seeds(lambda: mlp([1, 5, 1]), range(2), (x100(), y100()), epochs=0, lr=0.1),
        ValueError,
        "epochs must be a whole number ≥ 1, got 0",
        "epochs=30",
    ),
    Case(
        "batch-size-zero",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()), batch_size=0),
        ValueError,
        "batch_size must be a whole number ≥ 1, got 0",
        "None for full-batch",
    ),
    Case(
        "batch-size-negative",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()), batch_size=-25),
        ValueError,
        "got -25",
        "None for full-batch",
    ),
    Case(
        "batch-size-larger-than-data",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()), batch_size=1000),
        UserWarning,
        "batch_size=1000",
        "full batches of 100",
    ),
    Case(
        "fit-seeds-batch-larger-than-data",
        lambda e: fit_seeds(lambda: mlp([1, 5, 1]), range(2), (x100(), y100()), epochs=1, lr=0.01, batch_size=500),
        UserWarning,
        "batch_size=500",
        "100 training rows",
    ),
    Case(
        "valid-fraction-zero",
        lambda e: train_valid_split(x100(), y100(), valid_fraction=0),
        ValueError,
        "valid_fraction must be a finite number > 0 and < 1, got 0",
        "0.2 keeps one in five",
    ),
    Case(
        "valid-fraction-one",
        lambda e: train_valid_split(x100(), y100(), valid_fraction=1.0),
        ValueError,
        "got 1",
        "0.2 keeps one in five",
    ),
    Case(
        "valid-fraction-percent",
        lambda e: train_valid_split(x100(), y100(), valid_fraction=20),
        ValueError,
        "got 20",
        "0.2 keeps one in five",
    ),
    Case(
        "valid-fraction-negative",
        lambda e: train_valid_split(x100(), y100(), valid_fraction=-0.2),
        ValueError,
        "got -0.2",
        "0.2 keeps one in five",
    ),
    Case(
        "valid-fraction-leaves-nothing",
        lambda e: train_valid_split(x100()[:10], y100()[:10], valid_fraction=0.01),
        ValueError,
        "10 rows",
        "at least one row",
    ),
    Case(
        "negative-weight-decay",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()), weight_decay=-1),
        ValueError,
        "weight_decay",
        "1e-4",
    ),
    Case(
        "early-stopping-without-valid",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()), callbacks=[EarlyStopping()]),
        ValueError,
        "validation loss",
        "valid=(x_valid, y_valid)",
    ),
    Case(
        "callback-class-not-object",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()), callbacks=[EarlyStopping]),
        TypeError,
        "EarlyStopping()",
        "Callback objects",
    ),
    Case(
        "loss-explodes",
        diverging_run,
        DivergenceWarning,
        "Training stopped at epoch 4",
        "3 finished epochs is kept",
    ),
    Case(
        "fit-seeds-loss-explodes",
        lambda e: fit_seeds(
            lambda: nn.Linear(1, 1), [0, 1], (10 * x100(), 30 * x100()), epochs=50, lr=1e3, optimizer="sgd"
        ),
        DivergenceWarning,
        "Training stopped at epoch",
        "lr=100",
    ),
    Case(
        "fit-seeds-no-seeds",
        lambda e: fit_seeds(lambda: mlp([1, 5, 1]), [], (x100(), y100()), epochs=1, lr=0.1),
        ValueError,
        "seeds is empty",
        "range(8)",
    ),
    # ---- training: options checked and named ----------------------------------------------------------
    Case(
        "fit-unknown-option",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()), epoch=5),
        TypeError,
        "no option 'epoch'",
        "weight_decay",
    ),
    Case(
        "fit-seeds-unknown-option",
        lambda e: fit_seeds(lambda: mlp([1, 5, 1]), range(2), (x100(), y100()), epochs=1, lr=0.1, shuffle=True),
        TypeError,
        "fit_seeds() has no option 'shuffle'",
        "metrics",
    ),
    Case(
        "learner-unknown-option",
        lambda e: Learner(mlp([1, 5, 1]), (x100(), y100()), lr=0.1, metric=["mae"]),
        TypeError,
        "Learner() has no option 'metric'",
        "Did you mean metrics",
    ),
    Case(
        "lr-missing",
        lambda e: fit(mlp([1, 5, 1]), (x100(), y100()), epochs=1, progress=False),
        TypeError,
        "needs a learning rate",
        "lr_find",
    ),
    Case(
        "lr-with-optimizer-object",
        lambda e: (m := mlp([1, 5, 1]), train(m, (x100(), y100()), optimizer=torch.optim.SGD(m.parameters(), lr=0.1))),
        TypeError,
        "ready optimizer",
        "leave them out of fit",
    ),
    Case(
        "momentum-with-adam",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()), momentum=0.9),
        ValueError,
        "momentum=0.9",
        "drop momentum",
    ),
    Case(
        "momentum-one",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()), optimizer="sgd", momentum=1.5),
        ValueError,
        "momentum must be a finite number ≥ 0 and < 1, got 1.5",
        "0.9",
    ),
    Case(
        "metrics-bare-string",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()), metrics="mae"),
        TypeError,
        "metrics must be a list",
        "metrics=['mae']",
    ),
    Case(
        "callbacks-single-object",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()), x100(), callbacks=EarlyStopping()),
        TypeError,
        "callbacks must be a list",
        "callbacks=[EarlyStopping()]",
    ),
    Case(
        "loss-function-not-reduced",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()), loss=lambda p, y: (p - y) ** 2),
        ValueError,
        "returned a tensor of shape (8, 1)",
        ".mean()",
    ),
    Case(
        "device-cuda-missing",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()), device="cuda"),
        ValueError,
        "device='cuda'",
        "leave device out",
    ),
    Case(
        "device-unknown",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()), device="gpu"),
        ValueError,
        "device='gpu'",
        "device='cpu'",
    ),
    Case(
        "schedule-on-other-optimizer",
        lambda e: train(
            mlp([1, 5, 1]),
            (x100(), y100()),
            schedule=torch.optim.lr_scheduler.StepLR(torch.optim.SGD(mlp([1, 1]).parameters(), lr=0.1), 5),
        ),
        ValueError,
        "another optimizer",
        "schedule=lambda opt:",
    ),
    Case(
        "schedule-wrong-type",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()), schedule=5),
        TypeError,
        "schedule must be one of",
        "int",
    ),
    Case(
        "threads-env-not-a-number",
        lambda e: threads_env(e, "two"),
        ValueError,
        "NNBOOK_THREADS='two'",
        "NNBOOK_THREADS=1",
    ),
    Case(
        "threads-env-zero",
        lambda e: threads_env(e, "0"),
        ValueError,
        "NNBOOK_THREADS='0'",
        "≥ 1",
    ),
    Case(
        "loss-runs-away-while-finite",
        runaway_run,
        DivergenceWarning,
        "grew from",
        "lr=0.005",
    ),
    Case(
        "model-not-built",
        lambda e: train(mlp, (x100(), y100())),
        TypeError,
        "torch.nn.Module",
        "mlp([1, 50, 1]), not mlp",
    ),
    Case(
        "model-hand-written-layer",
        lambda e: train(Linear.zeros(1, 1), (x100(), y100())),
        TypeError,
        "got Linear",
        "torch.nn.Linear(1, 1) or mlp([1, 1])",
    ),
    Case(
        "batch-size-with-dataloader",
        lambda e: train(mlp([1, 5, 1]), torch.utils.data.DataLoader(TensorDataset(x100(), y100())), batch_size=10),
        ValueError,
        "train is a DataLoader",
        "leave batch_size out",
    ),
    Case(
        "valid-given-a-split",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()), train_valid_split(x100(), y100())),
        TypeError,
        "valid is a Split",
        "fit(model, split",
    ),
    # ---- training: classes ----------------------------------------------------------------------------
    Case(
        "bce-label-two",
        lambda e: train(mlp([1, 5, 1]), (x100(), (3 * x100()).round()), loss="bce"),
        ValueError,
        "[0.0, 1.0, 2.0, 3.0]",
        "loss='cross_entropy'",
    ),
    Case(
        "cross-entropy-negative-label",
        lambda e: train(mlp([1, 5, 2]), (x100(), torch.full((100,), -1)), loss="cross_entropy"),
        ValueError,
        "run from -1",
        "Renumber them from 0",
    ),
    Case(
        "cross-entropy-one-hot",
        lambda e: train(mlp([1, 5, 2]), (x100(), torch.zeros(100, 2, dtype=torch.long)), loss="cross_entropy"),
        ValueError,
        "shape (100, 2)",
        "y.argmax(dim=1)",
    ),
    Case(
        "bce-with-two-outputs",
        lambda e: train(mlp([1, 5, 2]), (x100(), (x100() > 0.5).float()), loss="bce"),
        ValueError,
        "2 output(s)",
        "one output (a logit)",
    ),
    Case(
        "accuracy-labels-beyond-two-on-one-column",
        lambda e: accuracy(torch.zeros(3, 1), torch.tensor([0, 1, 2])),
        ValueError,
        "one column (two classes)",
        "kind='labels'",
    ),
    Case(
        "accuracy-probabilities-out-of-range",
        lambda e: accuracy(torch.tensor([[2.0], [-1.0]]), torch.tensor([1, 0]), kind="probabilities"),
        ValueError,
        "outside [0, 1]",
        "kind='logits'",
    ),
    Case(
        "accuracy-unknown-kind",
        lambda e: accuracy(torch.zeros(3, 1), torch.zeros(3), kind="scores"),
        ValueError,
        "'scores'",
        "'labels'",
    ),
    Case(
        "accuracy-row-mismatch",
        lambda e: accuracy(torch.zeros(3, 2), torch.zeros(4, dtype=torch.long)),
        ValueError,
        "3 rows",
        "target has 4",
    ),
    Case(
        "mse-shape-mismatch",
        lambda e: mse(torch.zeros(5, 1), torch.zeros(5)),
        ValueError,
        "same shape",
        "y[:, None]",
    ),
    Case("mae-shape-mismatch", lambda e: mae(torch.zeros(5, 2), torch.zeros(5, 1)), ValueError, "(5, 2)", "(5, 1)"),
    Case(
        "metric-function-wrong-name",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()), metrics=["r2"]),
        ValueError,
        "'r2'",
        "function (pred, y)",
    ),
    Case("make-loss-unknown", lambda e: make_loss("huber"), ValueError, "'huber'", "function"),
    Case(
        "make-optimizer-momentum-adamw",
        lambda e: make_optimizer("adamw", mlp([1, 1]).parameters(), lr=0.1, momentum=0.5),
        ValueError,
        "momentum=0.5",
        "optimizer='sgd' only",
    ),
    Case(
        "make-schedule-unknown",
        lambda e: make_schedule("linear", torch.optim.SGD(mlp([1, 1]).parameters(), lr=0.1), 0.1, 10),
        ValueError,
        "'linear'",
        "'cosine'",
    ),
    # ---- training: a reader's own Dataset / DataLoader -------------------------------------------------
    Case(
        "dataset-1d-targets",
        lambda e: train(mlp([1, 5, 1]), Items(lambda i: (x100()[i], y100()[i, 0]))),
        ValueError,
        "first batch of the train Dataset",
        "torch.tensor([value])",
    ),
    Case(
        "dataloader-dict-batches",
        lambda e: train(mlp([1, 5, 1]), torch.utils.data.DataLoader(Items(lambda i: {"x": x100()[i], "y": y100()[i]}))),
        TypeError,
        "dicts with keys ['x', 'y']",
        "return item['x'], item['y']",
    ),
    Case(
        "dataset-triples",
        lambda e: train(mlp([1, 5, 1]), Items(lambda i: (x100()[i], y100()[i], i))),
        TypeError,
        "list of 3 items",
        "exactly (x, y)",
    ),
    Case(
        "dataset-nan-in-x",
        lambda e: train(mlp([1, 5, 1]), Items(lambda i: (with_nan(x100())[i], y100()[i]))),
        ValueError,
        "train x contains 1 NaN",
        "remove those rows",
    ),
    Case(
        "dataset-model-width",
        lambda e: train(mlp([2, 5, 1]), Items(lambda i: (x100()[i], y100()[i]))),
        ValueError,
        "1 column(s) per row",
        "mlp([1, 50, 1])",
    ),
    Case(
        "dataset-float-labels-for-cross-entropy",
        lambda e: train(mlp([1, 5, 2]), Items(lambda i: (x100()[i], torch.tensor(float(i % 2)))), loss="cross_entropy"),
        TypeError,
        "first batch",
        "y.long()",
    ),
    Case(
        "dataset-nan-later-blamed-on-data",
        lambda e: train(mlp([1, 5, 1]), Items(lambda i: (with_nan(x100(), 50)[i], y100()[i]))),
        ValueError,
        "Item(s) [50] of the Dataset",
        "clean it before training",
    ),
    Case(
        "dataset-label-later-beyond-outputs",
        lambda e: train(
            mlp([1, 5, 2]), Items(lambda i: (x100()[i], torch.tensor(7 if i == 60 else i % 2))), loss="cross_entropy"
        ),
        ValueError,
        "labels run from 0 to 7",
        "Item(s) [60] of the Dataset",
    ),
    Case(
        "dataset-items-of-different-sizes",
        lambda e: train(mlp([1, 5, 1]), Items(lambda i: (torch.zeros(1 + i % 2), torch.zeros(1)))),
        TypeError,
        "Item 1 has x of shape (2,), item 0 (1,)",
        "same shapes for every item",
    ),
    # ---- seeds -----------------------------------------------------------------------------------------
    Case(
        "fit-seeds-repeated-seeds",
        lambda e: fit_seeds(lambda: mlp([1, 5, 1]), [0, 0], (x100(), y100()), epochs=1, lr=0.1),
        ValueError,
        "[0, 0]",
        "distinct seeds",
    ),
    Case(
        "fit-seeds-batch-norm",
        lambda e: fit_seeds(
            lambda: nn.Sequential(nn.Linear(1, 4), nn.BatchNorm1d(4), nn.Linear(4, 1)),
            range(2),
            (x100(), y100()),
            epochs=1,
            lr=0.1,
        ),
        TypeError,
        "BatchNorm1d",
        "fit_sequential",
    ),
    Case(
        "fit-seeds-make-model-returns-other",
        lambda e: fit_seeds(lambda: "model", range(2), (x100(), y100()), epochs=1, lr=0.1),
        TypeError,
        "make_model() must return",
        "str",
    ),
    Case(
        "fit-seeds-cross-entropy-float-labels",
        lambda e: fit_seeds(
            lambda: mlp([1, 5, 2]), range(2), (x100(), (x100() > 0.5).float()), epochs=1, lr=0.1, loss="cross_entropy"
        ),
        TypeError,
        "class indices",
        "y.long()",
    ),
    Case(
        "fit-sequential-no-valid",
        lambda e: fit_sequential(lambda: mlp([1, 1]), [0], (x100(), y100()), None, epochs=1, lr=0.1),
        ValueError,
        "compares validation losses",
        "valid=(x_valid, y_valid)",
    ),
    Case("seed-model-index", lambda e: seeds_run().model(5), IndexError, "2 models", "got 5"),
    Case(
        "seed-evaluate-unknown-metric",
        lambda e: seeds_run().evaluate("msee", x100(), y100()),
        ValueError,
        "unknown metric 'msee'",
        "'mse'",
    ),
    Case(
        "seed-evaluate-not-a-metric",
        lambda e: seeds_run().evaluate(3, x100(), y100()),
        TypeError,
        "got 3",
        "function (pred, y)",
    ),
    Case(
        "fit-seeds-same-module-every-time",
        lambda e: fit_seeds(always(mlp([1, 5, 1])), range(2), (x100(), y100()), epochs=1, lr=0.1),
        TypeError,
        "same module for two seeds",
        "lambda: mlp([",
    ),
    Case(
        "fit-sequential-same-module-every-time",
        lambda e: fit_sequential(always(mlp([1, 5, 1])), [0, 1], (x100(), y100()), (x100(), y100()), epochs=1, lr=0.1),
        TypeError,
        "same module for two seeds",
        "lambda: mlp([",
    ),
    Case(
        "fit-seeds-factory-needs-an-argument",
        lambda e: fit_seeds(lambda n: mlp([1, n, 1]), range(2), (x100(), y100()), epochs=1, lr=0.1),
        TypeError,
        "function of no arguments",
        "lambda: mlp([1, 50, 1])",
    ),
    Case(
        "fit-seeds-given-mlp-itself",
        lambda e: fit_seeds(mlp, range(2), (x100(), y100()), epochs=1, lr=0.1),
        TypeError,
        "function of no arguments",
        "partial(mlp, [1, 50, 1])",
    ),
    Case(
        "fit-seeds-given-a-module-class",
        lambda e: fit_seeds(nn.Linear, range(2), (x100(), y100()), epochs=1, lr=0.1),
        TypeError,
        "the class Linear, which needs arguments",
        "lambda: nn.Linear(1, 1)",
    ),
    Case(
        "fit-sequential-given-a-model",
        lambda e: fit_sequential(mlp([1, 4, 2]), [0], (x100(), y100()), (x100(), y100()), epochs=1, lr=0.1),
        TypeError,
        "Sequential",
        "fit_sequential(lambda: mlp([1, 50, 1])",
    ),
    Case(
        "fit-sequential-seeds-a-number",
        lambda e: fit_sequential(lambda: mlp([1, 1]), 3, (x100(), y100()), (x100(), y100()), epochs=1, lr=0.1),
        TypeError,
        "got 3",
        "range(8)",
    ),
    Case(
        "fit-sequential-repeated-seeds",
        lambda e: fit_sequential(lambda: mlp([1, 1]), [1, 1], (x100(), y100()), (x100(), y100()), epochs=1, lr=0.1),
        ValueError,
        "[1, 1]",
        "distinct seeds",
    ),
    Case(
        "fit-frozen-model",
        lambda e: train(mlp([1, 4, 1]).requires_grad_(False), (x100(), y100())),
        ValueError,
        "frozen (requires_grad=False)",
        "model.requires_grad_(True)",
    ),
    Case(
        "fit-frozen-seed-stack",
        lambda e: train(seeds_run().stack, (x100(), y100())),
        ValueError,
        "fit_seeds result (run.stack)",
        "run.model(i)",
    ),
    Case(
        "lr-find-frozen-model",
        lambda e: lr_find(mlp([1, 4, 1]).requires_grad_(False), (x100(), y100())),
        ValueError,
        "frozen (requires_grad=False)",
        "model.requires_grad_(True)",
    ),
    Case(
        "stacked-different-architectures",
        lambda e: StackedModels([mlp([1, 1]), nn.Linear(1, 1)]),
        TypeError,
        "one architecture",
        "Sequential",
    ),
    # ---- callbacks -------------------------------------------------------------------------------------
    Case(
        "early-stopping-patience-zero",
        lambda e: EarlyStopping(patience=0),
        ValueError,
        "patience must be a whole number ≥ 1, got 0",
        "try 10",
    ),
    Case(
        "early-stopping-monitor-missing",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()), callbacks=[EarlyStopping(monitor="accuracy")]),
        KeyError,
        "monitor='accuracy'",
        "metrics=['accuracy']",
    ),
    Case(
        "early-stopping-own-metric-without-mode",
        lambda e: EarlyStopping(monitor="r2", patience=3),
        ValueError,
        "cannot tell whether higher or lower 'r2' is better",
        "mode='max'",
    ),
    Case(
        "early-stopping-unknown-mode",
        lambda e: EarlyStopping(monitor="r2", mode="maximum"),
        ValueError,
        "got 'maximum'",
        "Did you mean 'max'?",
    ),
    Case(
        "early-stopping-negative-delta",
        lambda e: EarlyStopping(min_delta=-0.1),
        ValueError,
        "min_delta",
        "-0.1",
    ),
    Case(
        "gradient-clipping-zero",
        lambda e: GradientClipping(max_norm=0),
        ValueError,
        "max_norm",
        "got 0",
    ),
    Case("state-log-bad-name", log_bad_name, TypeError, "history column needs a name", "3"),
    Case(
        "history-missing-column",
        lambda e: train(mlp([1, 5, 1]), (x100(), y100()))["valid_loss"],
        KeyError,
        "no column 'valid_loss'",
        "'train_loss'",
    ),
    Case("history-index-by-number", lambda e: History()[0], TypeError, "column name", "0"),
    Case(
        "learner-fit-zero-epochs",
        lambda e: Learner(mlp([1, 5, 1]), (x100(), y100()), lr=0.1, progress=False).fit(0),
        ValueError,
        "epochs must be a whole number ≥ 1, got 0",
        "epochs=30",
    ),
    # ---- lr_find, predict, evaluate, save, load --------------------------------------------------------
    Case(
        "lr-find-range-reversed",
        lambda e: lr_find(mlp([1, 5, 1]), (x100(), y100()), start_lr=1.0, end_lr=1e-3),
        ValueError,
        "end_lr=0.001",
        "1e-7 and 10",
    ),
    Case(
        "lr-find-optimizer-object",
        lambda e: lr_find(mlp([1, 5, 1]), (x100(), y100()), optimizer=torch.optim.SGD(mlp([1, 1]).parameters(), 0.1)),
        TypeError,
        "sets the learning rate itself",
        "'adam'",
    ),
    Case(
        "lr-find-minimum-at-the-end",
        lambda e: lr_find(mlp([1, 8, 1]), (x100(), y100()), start_lr=1e-6, end_lr=1e-3, steps=30),
        LRRangeWarning,
        "still falling at the end of the range",
        "larger end_lr",
    ),
    Case(
        "lr-find-few-steps",
        lambda e: lr_find(mlp([1, 5, 1]), (x100(), y100()), steps=2),
        ValueError,
        "steps must be a whole number ≥ 5, got 2",
        "steps=100",
    ),
    Case(
        "lr-find-lr-option",
        lambda e: lr_find(mlp([1, 5, 1]), (x100(), y100()), lr=0.1),
        TypeError,
        "lr_find() has no option 'lr'",
        "end_lr",
    ),
    Case(
        "predict-wrong-columns",
        lambda e: predict(mlp([3, 5, 1]), x100(2)),
        ValueError,
        "2 column(s)",
        "same columns",
    ),
    Case("predict-1d", lambda e: predict(mlp([1, 5, 1]), torch.rand(10)), ValueError, "1-D", "x[:, None]"),
    Case(
        "predict-unknown-output",
        lambda e: predict(mlp([1, 5, 1]), x100(), output="classes"),
        ValueError,
        "'classes'",
        "'probabilities'",
    ),
    Case("predict-nan", lambda e: predict(mlp([1, 5, 1]), with_nan(x100())), ValueError, "1 NaN", "x[keep]"),
    Case("predict-not-a-model", lambda e: predict("model.pt", x100()), TypeError, "torch.nn.Module", "str"),
    Case(
        "predict-given-seed-runs",
        lambda e: predict(seeds_run(), x100()),
        TypeError,
        "SeedEnsemble",
        "run.model(i)",
    ),
    Case(
        "evaluate-split",
        lambda e: evaluate(mlp([1, 5, 1]), train_valid_split(x100(), y100()), ["mse"]),
        TypeError,
        "Split",
        "data=split.valid",
    ),
    Case(
        "evaluate-bare-metric",
        lambda e: evaluate(mlp([1, 5, 1]), (x100(), y100()), "mse"),
        TypeError,
        "metrics must be a list",
        "metrics=['mse']",
    ),
    Case(
        "evaluate-no-metrics",
        lambda e: evaluate(mlp([1, 5, 1]), (x100(), y100()), []),
        ValueError,
        "metrics is empty",
        "metrics=['mse']",
    ),
    Case(
        "evaluate-x-only",
        lambda e: evaluate(mlp([1, 5, 1]), x100(), ["mse"]),
        TypeError,
        "pair (x, y)",
        "predict(model, x)",
    ),
    Case(
        "save-own-model-class",
        lambda e: save_to(e, nn.Sequential(nn.Linear(1, 2), nn.Dropout(0.1), nn.Linear(2, 1)), "m.pt"),
        TypeError,
        "nnbook.models.mlp",
        "weights_only=True",
    ),
    Case(
        "save-missing-folder",
        lambda e: save_to(e, mlp([1, 2, 1]), "no/such/folder/m.pt"),
        FileNotFoundError,
        "does not exist",
        "mkdir(parents=True",
    ),
    Case("save-path-not-text", lambda e: save(mlp([1, 1]), 42), TypeError, "file name such as 'model.pt'", "42"),
    Case("load-missing-file", lambda e: load(e.tmp_path / "none.pt"), FileNotFoundError, "no file", "none.pt"),
    Case("load-not-a-model-file", load_text_file, ValueError, "notes.pt", "nnbook.models.save"),
    Case(
        "load-bare-state-dict",
        load_state_dict_file,
        ValueError,
        "not written by nnbook.models.save",
        "model.load_state_dict(torch.load(path, weights_only=True))",
    ),
    # ---- data ------------------------------------------------------------------------------------------
    Case(
        "data-file-missing",
        lambda e: (fake_data_dir(e, None), temperature_data()),
        FileNotFoundError,
        FILE_NAME,
        "pip install --force-reinstall",
    ),
    Case(
        "data-file-corrupted",
        lambda e: (fake_data_dir(e, "title\nYear,Anomaly\n1880,-0.17\n1881,n/a?\n"), temperature_data()),
        ValueError,
        FILE_NAME,
        "reinstalling the package",
    ),
    Case(
        "data-file-truncated",
        lambda e: (fake_data_dir(e, "title\nYear,Anomaly\n"), temperature_data()),
        ValueError,
        FILE_NAME,
        "reinstalling the package",
    ),
    Case(
        "data-file-garbled",
        lambda e: (fake_data_dir(e, "\x00\x01binary\n\x02\n1880\n"), temperature_data()),
        ValueError,
        FILE_NAME,
        "reinstalling the package",
    ),
    Case(
        "temperature-until-before-records",
        lambda e: temperature_data(until=1800),
        ValueError,
        "until=1800",
        "until=2022",
    ),
    Case("seed-float", lambda e: wiggly_curve(seed=1.5), TypeError, "seed", "seed=0"),
    Case("seed-text", lambda e: nnbook.set_seed("42"), TypeError, "'42'", "whole number"),
    Case("seed-none", lambda e: train_valid_split(x100(), y100(), seed=None), TypeError, "None", "NoneType"),
    Case("seed-bool", lambda e: wiggly_curve(seed=True), TypeError, "True", "bool"),
    Case("data-size-zero", lambda e: wiggly_curve(n=0), ValueError, "n must be a whole number ≥ 2, got 0", "n=100"),
    # ---- analysis --------------------------------------------------------------------------------------
    Case(
        "top-k-no-hidden-layer",
        lambda e: top_features(mlp([1, 1]), k=3),
        ValueError,
        "one hidden layer",
        "no learned features",
    ),
    Case(
        "top-k-two-hidden-layers",
        lambda e: top_features(mlp([1, 5, 5, 1]), k=3, layer=1),
        ValueError,
        "last hidden layer (layer=2)",
        "hidden_features(model, x, layer=1)",
    ),
    Case(
        "top-k-larger-than-width",
        lambda e: top_features(mlp([1, 5, 1]), k=10),
        ValueError,
        "k=10",
        "k ≤ 5",
    ),
    Case(
        "top-k-zero",
        lambda e: top_features(mlp([1, 5, 1]), k=0),
        ValueError,
        "k must be a whole number ≥ 1, got 0",
        "k=8",
    ),
    # ---- animation -------------------------------------------------------------------------------------
    Case(
        "animation-no-frames",
        lambda e: curve_animation(x100(), y100(), x100(), []),
        ValueError,
        "no recorded frames",
        "callbacks=[snaps]",
    ),
    Case(
        "animation-too-many-frames",
        many_frames,
        UserWarning,
        "100 frames were recorded",
        "max_frames=10",
    ),
    Case("snapshots-unknown-moment", lambda e: Snapshots(x100(), on="step"), ValueError, "'step'", "'batch'"),
    Case(
        "snapshots-in-fit-seeds",
        lambda e: fit_seeds(
            lambda: mlp([1, 4, 1]), range(2), (x100(), y100()), epochs=1, lr=0.01, callbacks=[Snapshots(x100())]
        ),
        ValueError,
        "fit_seeds trains several seeds",
        "plot_seed_curves",
    ),
    Case(
        "seeds-of-different-sizes",
        lambda e: fit_seeds(iter([mlp([1, 4, 1]), mlp([1, 5, 1])]).__next__, range(2), (x100(), y100()), epochs=1),
        TypeError,
        "share one architecture",
        "same layout every time",
    ),
    Case(
        "optimizer-of-another-model",
        lambda e: train(
            mlp([1, 4, 1]), (x100(), y100()), lr=None, optimizer=torch.optim.SGD(mlp([1, 4, 1]).parameters())
        ),
        ValueError,
        "other parameters",
        "model.parameters()",
    ),
    Case(
        "seeds-with-a-ready-optimizer",
        lambda e: fit_seeds(
            lambda: mlp([1, 4, 1]),
            range(2),
            (x100(), y100()),
            epochs=1,
            optimizer=torch.optim.SGD(mlp([1, 4, 1]).parameters(), lr=0.1),
        ),
        ValueError,
        "other parameters",
        "lambda params",
    ),
    Case(
        "optimizer-class-with-lr",
        lambda e: train(mlp([1, 4, 1]), (x100(), y100()), optimizer=torch.optim.SGD),
        TypeError,
        "the class SGD",
        "lambda params: torch.optim.SGD(params",
    ),
    Case(
        "float64-model",
        lambda e: train(mlp([1, 4, 1]).double(), (x100(), y100())),
        TypeError,
        "torch.float64",
        "model.float()",
    ),
    Case(
        "predict-float64-model",
        lambda e: predict(mlp([1, 4, 1]).double(), x100()),
        TypeError,
        "dtype ['torch.float64']",
        "model.float()",
    ),
    Case(
        "make-optimizer-given-the-model",
        lambda e: make_optimizer("adam", mlp([1, 4, 1]), lr=0.01),
        TypeError,
        "the model itself",
        "model.parameters()",
    ),
    Case(
        "make-schedule-given-a-name",
        lambda e: make_schedule("cosine", "adam", 0.01, 10),
        TypeError,
        "built torch.optim optimizer",
        "make_optimizer(",
    ),
    Case(
        "evaluate-the-seed-stack",
        lambda e: evaluate(
            fit_seeds(lambda: mlp([1, 4, 1]), range(2), (x100(), y100()), epochs=1, lr=0.01).stack,
            (x100(), y100()),
            ["mse"],
        ),
        TypeError,
        "stack of seeds",
        "run.model(i)",
    ),
    Case(
        "save-the-seed-stack",
        lambda e: save(
            fit_seeds(lambda: mlp([1, 4, 1]), range(2), (x100(), y100()), epochs=1, lr=0.01).stack, e.tmp_path / "m.pt"
        ),
        TypeError,
        "stack of 2 seeds",
        "save(run.model(i), path)",
    ),
    Case(
        "seed-predict-wrong-columns",
        lambda e: fit_seeds(lambda: mlp([1, 4, 1]), range(2), (x100(), y100()), epochs=1, lr=0.01).predict(x100(3)),
        ValueError,
        "3 column(s)",
        "the same columns",
    ),
    Case(
        "progress-a-string",
        lambda e: train(mlp([1, 4, 1]), (x100(), y100()), progress="no"),
        TypeError,
        "progress must be True or False",
        "'no'",
    ),
    Case(
        "restore-best-a-string",
        lambda e: EarlyStopping(restore_best="no"),
        TypeError,
        "restore_best must be True or False",
        "'no'",
    ),
    Case(
        "predict-a-pair",
        lambda e: predict(mlp([1, 4, 1]), (x100(), y100())),
        TypeError,
        "inputs x alone",
        "predict(model, x_valid)",
    ),
    Case(
        "predict-a-dataset",
        lambda e: predict(mlp([1, 4, 1]), TensorDataset(x100(), y100())),
        TypeError,
        "TensorDataset",
        "evaluate(model, data",
    ),
    Case(
        "predict-empty",
        lambda e: predict(mlp([1, 4, 1]), torch.zeros(0, 1)),
        ValueError,
        "x has shape (0, 1)",
        "it needs at least one row",
    ),
    Case(
        "accuracy-label-beyond-the-outputs",
        lambda e: accuracy(torch.zeros(4, 3), torch.tensor([0, 1, 2, 7])),
        ValueError,
        "3 columns",
        "[0, 1, 2, 7]",
    ),
    Case(
        "accuracy-negative-label",
        lambda e: accuracy(torch.zeros(2, 3), torch.tensor([-1, 1])),
        ValueError,
        "3 columns",
        "Renumber",
    ),
]


def raised_inside_nnbook(error: BaseException) -> bool:
    """True when the innermost frame of the traceback is nnbook's own code, not torch's or Python's."""
    tb = error.__traceback__
    while tb.tb_next is not None:
        tb = tb.tb_next
    return PACKAGE in Path(tb.tb_frame.f_code.co_filename).resolve().parents


def assert_mentions(message: str, phrases: tuple[str, ...]) -> None:
    missing = [p for p in phrases if p not in message]
    assert not missing, f"the message lacks {missing}:\n{message}"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_gets_a_clear_message(case: Case, monkeypatch, tmp_path):
    env = SimpleNamespace(monkeypatch=monkeypatch, tmp_path=tmp_path)
    if issubclass(case.expect, Warning):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            case.call(env)
        ours = [str(w.message) for w in caught if issubclass(w.category, case.expect)]
        assert ours, f"no {case.expect.__name__}; got {[str(w.message) for w in caught]}"
        complete = [m for m in ours if all(p in m for p in case.phrases)]
        assert complete, f"no {case.expect.__name__} mentions all of {case.phrases}:\n" + "\n".join(ours)
        return
    with pytest.raises(case.expect) as info:
        case.call(env)
    assert raised_inside_nnbook(info.value), f"raised deep inside {info.traceback[-1].path}: {info.value}"
    assert_mentions(str(info.value), case.phrases)


# Public names of the training side that take no input a reader could get wrong, or are results
# built by the package itself: no row can give them a bad input.
NO_INPUTS = {
    "Callback": "a base class with no arguments; a class passed for an object is row callback-class-not-object",
    "ProgressTable": "no arguments",
    "default_device": "no arguments",
    "LRFinder": "a result built by lr_find",
    "SeedEnsemble": "a result built by fit_seeds (its methods have rows: seed-model-index, seed-evaluate-…)",
    "SequentialRuns": "a result built by fit_sequential",
}


def public_training_names() -> dict[str, object]:
    """Every public name of nnbook.training, plus save/load/mlp of nnbook.models."""
    import nnbook.models
    import nnbook.training

    names = {name: getattr(nnbook.training, name) for name in nnbook.training.__all__}
    names.update({name: getattr(nnbook.models, name) for name in ("save", "load", "mlp")})
    return names


def called_code(case: Case, monkeypatch, tmp_path) -> set[tuple[str, str]]:
    """Run one row and collect the (module, qualified name) of every function of nnbook it called."""
    import sys

    seen: set[tuple[str, str]] = set()

    def tracer(frame, event, arg):
        if event == "call":
            module = frame.f_globals.get("__name__", "")
            if module.startswith("nnbook"):
                seen.add((module, frame.f_code.co_qualname))

    env = SimpleNamespace(monkeypatch=monkeypatch, tmp_path=tmp_path)
    sys.setprofile(tracer)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            case.call(env)
    except BaseException:  # noqa: BLE001 - every row raises on purpose
        pass
    finally:
        sys.setprofile(None)
    return seen


def test_the_catalogue_covers_every_public_training_name(monkeypatch, tmp_path):
    """Each public name of the training side is reached by at least one bad-input row (or listed in NO_INPUTS)."""
    assert len({c.id for c in CASES}) == len(CASES), "every row needs its own id"
    seen: set[tuple[str, str]] = set()
    for case in CASES:
        seen |= called_code(case, monkeypatch, tmp_path)
    expected = {c.expect for c in CASES}
    missing = []
    for name, obj in public_training_names().items():
        if name in NO_INPUTS or obj in expected:
            continue
        target = inspect.unwrap(obj) if callable(obj) and not isinstance(obj, type) else obj
        module, qualname = target.__module__, target.__qualname__
        if isinstance(obj, type):
            hit = any(m == module and q.startswith(qualname + ".") for m, q in seen)
        else:
            hit = (module, qualname) in seen
        if not hit:
            missing.append(name)
    assert not missing, f"no bad-input row reaches {missing}: add rows for them (or a reason to NO_INPUTS)"


def test_exploding_loss_keeps_the_history_so_far():
    """Training stops at the epoch whose loss is not finite; the finished epochs are returned, all finite."""
    with pytest.warns(DivergenceWarning) as caught:  # first "grows a million-fold", then "became nan"
        history = diverging_run(None)
    assert any("lr=1e+06" in str(w.message) for w in caught)
    assert history.diverged
    assert 1 <= len(history) < 100, "training should stop mid-way, after some finished epochs"
    assert history["epoch"] == list(range(1, len(history) + 1))
    assert all(math.isfinite(v) for v in history["train_loss"])
    assert f"stopped at epoch {len(history) + 1}" in history.message
    assert "lr=100000" in history.message


def test_clipped_batch_size_still_trains():
    with pytest.warns(UserWarning, match="full batches of 100"):
        history = train(mlp([1, 5, 1]), (x100(), y100()), batch_size=1000, epochs=2)
    assert len(history) == 2


def test_cross_entropy_takes_labels_as_a_column():
    """Labels of shape (n, 1), like every other target in the book, work with cross-entropy."""
    labels = (x100() > 0.5).long()
    nnbook.set_seed(0)
    history = train(mlp([1, 8, 2]), (x100(), labels), loss="cross_entropy", metrics=["accuracy"], epochs=3, lr=0.05)
    assert math.isfinite(history.last["train_loss"]) and 0 <= history.last["accuracy"] <= 1


def test_too_many_frames_are_subsampled_evenly():
    with pytest.warns(UserWarning):
        anim = many_frames(None)
    assert len(list(anim.new_frame_seq())) == 10
