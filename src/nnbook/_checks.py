"""Input checks shared by the package, written to teach: each error says what was wrong and how to fix it.

Every check here is used by more than one public function (``fit``, ``fit_seeds``, ``lr_find``,
``predict``, ``evaluate``, the data sets …), so that the same mistake gets the same message on
every path: tensors, NumPy arrays, a ``Dataset`` or a ``DataLoader``.
"""

from __future__ import annotations

import difflib
import functools
import inspect
import math
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from numbers import Integral, Real
from typing import Any

import numpy as np
import torch
from torch import nn

CLASS_LOSSES = ("bce", "cross_entropy")


def check_seed(seed: object) -> int:
    """Return ``seed`` as an int if it is a whole number (NumPy integers too), else raise a ``TypeError``.

    >>> check_seed(1.5)
    Traceback (most recent call last):
    TypeError: seed must be a whole number such as 42, got 1.5 (float). Pass an int, for example seed=0.
    """
    if isinstance(seed, bool) or not isinstance(seed, Integral):
        raise TypeError(
            f"seed must be a whole number such as 42, got {seed!r} ({type(seed).__name__}). "
            "Pass an int, for example seed=0."
        )
    return int(seed)


def check_positive_int(value: object, name: str, hint: str = "") -> int:
    """Return ``value`` as an int if it is a whole number ≥ 1, else raise a clear error.

    >>> check_positive_int(0, "epochs", " Try epochs=30.")
    Traceback (most recent call last):
    ValueError: epochs must be ≥ 1, got 0. Try epochs=30.
    """
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be a whole number ≥ 1, got {value!r} ({type(value).__name__}).{hint}")
    if value < 1:
        raise ValueError(f"{name} must be ≥ 1, got {value}.{hint}")
    return int(value)


def check_number(value: object, name: str, example: str, *, low: float = 0.0, allow_low: bool = True) -> float:
    """Return ``value`` as a float if it is a finite real number ≥ ``low`` (> ``low`` unless ``allow_low``).

    >>> check_number(-1, "weight_decay", "1e-4")
    Traceback (most recent call last):
    ValueError: weight_decay must be a finite number ≥ 0, got -1. Typical values: 1e-4.
    """
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number such as {example}, got {value!r} ({type(value).__name__}).")
    value = float(value)
    if not math.isfinite(value) or value < low or (value == low and not allow_low):
        bound = f"≥ {low:g}" if allow_low else f"> {low:g}"
        raise ValueError(f"{name} must be a finite number {bound}, got {value:g}. Typical values: {example}.")
    return value


def check_learning_rate(lr: object) -> float:
    """Return ``lr`` as a float if it is a finite number > 0, else raise ``ValueError``.

    >>> check_learning_rate(0)
    Traceback (most recent call last):
    ValueError: the learning rate must be a finite number > 0, got lr=0. Typical values lie between 1e-4 and 1; try lr=0.01, or let lr_find suggest one.
    """
    if isinstance(lr, bool) or not isinstance(lr, Real):
        raise TypeError(f"the learning rate must be a number such as 0.01, got {lr!r} ({type(lr).__name__}).")
    lr = float(lr)
    if not math.isfinite(lr) or lr <= 0:
        raise ValueError(
            f"the learning rate must be a finite number > 0, got lr={lr:g}. "
            "Typical values lie between 1e-4 and 1; try lr=0.01, or let lr_find suggest one."
        )
    return lr


def check_device(device: object) -> torch.device:
    """The ``torch.device`` for ``device`` (None: CUDA when present, else the CPU), refusing one this machine lacks.

    >>> check_device("cpu")
    device(type='cpu')
    """
    if device is None:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        device = torch.device(device)  # type: ignore[arg-type]
    except (RuntimeError, TypeError) as err:
        raise ValueError(
            f"device={device!r} is not a device PyTorch knows. Use device='cpu', device='cuda', or leave it out "
            f"(None picks the GPU when there is one). (PyTorch said: {err})"
        ) from None
    available = {"cpu": True, "meta": False, "cuda": torch.cuda.is_available()}
    mps = getattr(torch.backends, "mps", None)
    available["mps"] = bool(mps and mps.is_available())
    if not available.get(device.type, False):
        raise ValueError(
            f"device={str(device)!r}, but this machine has no {device.type.upper()} device that PyTorch can use "
            f"(torch {torch.__version__}). Train on the CPU with device='cpu', or leave device out: "
            "nnbook then picks the GPU when there is one and the CPU otherwise."
        )
    if device.type == "cuda" and device.index is not None and device.index >= torch.cuda.device_count():
        raise ValueError(
            f"device={str(device)!r}, but this machine has {torch.cuda.device_count()} GPU(s), numbered from 0."
        )
    return device


def model_device(model: nn.Module) -> torch.device:
    """The device of ``model``'s first parameter or buffer (the CPU for a model without any).

    >>> model_device(nn.Linear(1, 1))
    device(type='cpu')
    """
    for t in (*model.parameters(), *model.buffers()):
        return t.device
    return torch.device("cpu")


def check_model(model: object) -> nn.Module:
    """Return ``model`` if it is a ``torch.nn.Module``, else say what is needed.

    >>> check_model(nn.Linear(1, 1))
    Linear(in_features=1, out_features=1, bias=True)
    """
    if not isinstance(model, nn.Module):
        hint = " Build the model first: mlp([1, 50, 1]), not mlp." if callable(model) else ""
        if hasattr(model, "predict") and hasattr(model, "model"):
            hint = " For the seeds of fit_seeds use run.predict(x), or run.model(i) for the i-th seed's network."
        raise TypeError(
            f"model must be a torch.nn.Module (for example nnbook.models.mlp([1, 50, 1])), "
            f"got {type(model).__name__}.{hint}"
        )
    dtypes = {p.dtype for p in model.parameters() if p.is_floating_point()}
    if dtypes - {torch.float32}:
        raise TypeError(
            f"the model's weights have dtype {sorted(map(str, dtypes))}, but nnbook gives models float32 inputs. "
            "Convert the model with model.float()."
        )
    return model


def check_flag(value: object, name: str) -> bool:
    """``value`` as a bool: True/False (or 1/0); a string such as "no" is refused, since it would count as True.

    >>> check_flag(0, "progress")
    False
    """
    if isinstance(value, (bool, np.bool_)) or (isinstance(value, (int, np.integer)) and value in (0, 1)):
        return bool(value)
    raise TypeError(f"{name} must be True or False, got {value!r} ({type(value).__name__}).")


def as_float_tensor(t: object, name: str) -> torch.Tensor:
    """Turn ``t`` (a tensor, NumPy array or nested list of numbers) into a float32 tensor with at least one row.

    Empty data, booleans and NaN or infinite values are refused with a message that names the fix.

    >>> as_float_tensor([[1.0], [2.0]], "x").shape
    torch.Size([2, 1])
    """
    t = as_tensor(t, name)
    var = name.split()[-1]  # "train x" -> "x", for the code in the hint
    if t.dtype == torch.bool or not (t.is_floating_point() or is_integer_dtype(t)):
        raise TypeError(
            f"{name} has dtype {t.dtype}, but a float tensor is needed here. Convert it with {var}.float()."
        )
    if t.dim() == 0 or t.shape[0] == 0:
        raise ValueError(
            f"{name} is empty (shape {tuple(t.shape)}): it has no rows, so there is nothing to train on or "
            "predict. Check how it was built."
        )
    check_finite(t, name)
    return t.float() if t.dtype != torch.float32 else t


def as_tensor(t: object, name: str) -> torch.Tensor:
    """``t`` as a tensor: tensors pass unchanged, NumPy arrays, lists of numbers and pandas tables are converted.

    >>> as_tensor([1, 2], "y").dtype
    torch.int64
    """
    if isinstance(t, torch.Tensor):
        return t
    if type(t).__module__.startswith("pandas"):  # a DataFrame or Series: errors name the column
        from nnbook.data.tables import frame_to_tensor

        return frame_to_tensor(t, name)
    if isinstance(t, (str, bytes, dict)) or t is None:
        raise TypeError(f"{name} must be a tensor or an array of numbers, got {type(t).__name__}.")
    try:
        return torch.as_tensor(t)
    except (TypeError, ValueError, RuntimeError) as err:
        raise TypeError(
            f"{name} must be a tensor or an array of numbers, got {type(t).__name__} that PyTorch cannot convert "
            f"({err}). Build it with torch.tensor(..., dtype=torch.float32)."
        ) from None


def is_integer_dtype(t: torch.Tensor) -> bool:
    """Whether ``t`` holds whole numbers (any signed or unsigned integer dtype, not bool).

    >>> is_integer_dtype(torch.tensor([1, 2])), is_integer_dtype(torch.tensor([1.0]))
    (True, False)
    """
    return not t.is_floating_point() and not t.is_complex() and t.dtype != torch.bool


def check_finite(t: torch.Tensor, name: str, var: str = "") -> None:
    """Refuse NaN or infinite values in data, naming how many and how to drop those rows.

    >>> check_finite(torch.ones(3, 1), "x")
    """
    if t.is_floating_point() and not torch.isfinite(t).all():
        bad = int((~torch.isfinite(t)).sum())
        var = var or name.split()[-1]
        keep = f"keep = torch.isfinite({var}).all(dim=1); {var} = {var}[keep]" if t.dim() == 2 else "drop those rows"
        raise ValueError(
            f"{name} contains {bad} NaN or infinite value(s), a problem of the data, not of the training: "
            f"remove those rows before training, for example {keep}."
        )


def check_xy(x: torch.Tensor, y: torch.Tensor, *, labels_1d: bool = False) -> None:
    """Check that inputs and targets are 2-D tables with one row per example (1-D labels if ``labels_1d``).

    >>> check_xy(torch.zeros(5, 1), torch.zeros(5, 1))
    """
    for t, name in ((x, "x"), (y, "y")):
        if not isinstance(t, torch.Tensor):
            raise TypeError(
                f"{name} must be a torch tensor, got {type(t).__name__}. "
                f"Convert it with torch.tensor({name}, dtype=torch.float32)."
            )
        if t.dim() == 1 and not (name == "y" and labels_1d):
            raise ValueError(
                f"{name} is 1-D with shape {tuple(t.shape)}, but a table of shape (n, features) is needed: "
                f"one row per example (else the model's (n, 1) output and a (n,) target broadcast to (n, n) and "
                f"the loss is silently wrong). Add the feature axis with {name}[:, None] or {name}.view(-1, 1)."
            )
        if t.dim() == 0 or t.dim() > 2:
            raise ValueError(
                f"{name} has shape {tuple(t.shape)}, but a table of shape (n, features) is needed: one row per "
                f"example. Flatten each example into one row, for example {name}.reshape(len({name}), -1)."
            )
    if x.shape[0] != y.shape[0]:
        raise ValueError(
            f"x has {x.shape[0]} rows but y has {y.shape[0]}: every example needs exactly one target. "
            "Check that x and y come from the same data set and split."
        )


def check_pair(pair: Any, name: str, loss: Any = "mse") -> tuple[torch.Tensor, torch.Tensor]:
    """Check a ``(x, y)`` pair for ``loss`` and return it as tensors: float x, targets as the loss needs them.

    Cross-entropy gets its labels as a 1-D long tensor (a ``(n, 1)`` column is flattened).

    >>> x, y = check_pair((torch.zeros(3, 2), torch.tensor([0, 1, 2])), "train", "cross_entropy")
    >>> y.shape
    torch.Size([3])
    """
    if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
        raise TypeError(
            f"{name} must be a pair (x, y) of tensors, a Split, a Dataset or a DataLoader; got {type(pair).__name__}."
        )
    x = as_float_tensor(pair[0], f"{name} x")
    y = as_tensor(pair[1], f"{name} y")
    check_xy(x, y, labels_1d=loss == "cross_entropy")
    y = check_targets(y, loss, name)
    return x, y


def check_batch(batch: Any, name: str) -> tuple[Any, Any]:
    """A batch of a reader's Dataset/DataLoader must be a pair ``(x, y)``; dicts and triples get a clear error.

    >>> check_batch({"x": 1, "y": 2}, "train")
    Traceback (most recent call last):
    TypeError: the train batches are dicts with keys ['x', 'y'], but (x, y) pairs are needed. Make the Dataset's __getitem__ return (x, y), for example return item['x'], item['y'].
    """
    if isinstance(batch, dict):
        raise TypeError(
            f"the {name} batches are dicts with keys {list(batch)}, but (x, y) pairs are needed. Make the "
            "Dataset's __getitem__ return (x, y), for example return item['x'], item['y']."
        )
    if not (isinstance(batch, (tuple, list)) and len(batch) == 2):
        size = f" of {len(batch)} items" if isinstance(batch, (tuple, list)) else ""
        raise TypeError(
            f"the {name} batches are {type(batch).__name__}{size}, but (x, y) pairs are needed: make the "
            "Dataset's __getitem__ return exactly (x, y)."
        )
    return batch[0], batch[1]


def check_targets(y: torch.Tensor, loss: Any, name: str) -> torch.Tensor:
    """Check targets for ``loss``: class indices for cross-entropy, 0/1 for BCE, finite floats otherwise.

    Returns the targets as the loss takes them (float32, or 1-D long labels for cross-entropy).

    >>> check_targets(torch.tensor([[0.0], [1.0]]), "bce", "train").dtype
    torch.float32
    """
    if loss == "cross_entropy":
        if not is_integer_dtype(y):
            integral = y.is_floating_point() and bool(torch.isfinite(y).all() and (y == y.round()).all())
            hint = " (they are whole numbers, so y.long() keeps them)" if integral else ""
            raise TypeError(
                f"{name} targets have dtype {y.dtype}, but cross-entropy needs class indices (torch.long){hint}. "
                "Convert them with y.long()."
            )
        if y.dim() == 2 and y.shape[1] != 1:
            raise ValueError(
                f"{name} targets have shape {tuple(y.shape)}, but cross-entropy needs one class index per row, "
                "shape (n,) or (n, 1). For one-hot rows use y.argmax(dim=1)."
            )
        if int(y.min()) < 0:
            raise ValueError(
                f"the {name} labels include {int(y.min())}, but class indices run from 0 to classes − 1. "
                "Renumber them, for example with torch.unique(y, return_inverse=True)[1]."
            )
        return y.reshape(-1).long()
    if isinstance(loss, str) and not y.is_floating_point():
        hint = " (labels 0/1 for 'bce' must be 0.0/1.0)" if loss == "bce" else ""
        raise TypeError(
            f"{name} targets have dtype {y.dtype}, but the {loss!r} loss needs float targets{hint}. "
            "Convert them with y.float()."
        )
    if y.is_floating_point():
        check_finite(y, f"{name} targets", "y")
    if loss == "bce":
        values = torch.unique(y)
        if not bool(((values == 0) | (values == 1)).all()):
            shown = [round(v, 4) for v in values[:6].tolist()]
            raise ValueError(
                f"the {name} targets hold the values {shown}{' …' if len(values) > 6 else ''}, but 'bce' "
                "(binary cross-entropy) needs labels 0.0 and 1.0. With more than two classes use "
                "loss='cross_entropy' with one output per class and labels 0 … classes − 1 (torch.long)."
            )
    return y.float() if y.is_floating_point() and y.dtype != torch.float32 else y


def first_linear(model: nn.Module) -> nn.Linear | None:
    """The first ``nn.Linear`` inside ``model`` (None if there is none).

    >>> first_linear(nn.Sequential(nn.Linear(3, 2), nn.ReLU())).in_features
    3
    """
    return next((m for m in model.modules() if isinstance(m, nn.Linear)), None)


def check_model_fits(model: nn.Module, x: torch.Tensor, y: torch.Tensor, loss: Any, name: str) -> torch.Tensor:
    """Run ``model`` on the first rows, so that a shape mistake fails here, with a clear message.

    Checks the number of input columns, the outputs against the targets (columns, or classes for
    cross-entropy) and, for a loss function of one's own, that it returns one number. Returns the
    prediction for the first rows.

    >>> check_model_fits(nn.Linear(2, 1), torch.zeros(3, 2), torch.zeros(3, 1), "mse", "train").shape
    torch.Size([3, 1])
    """
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            pred = model(x[:8])
    except RuntimeError as err:
        first = first_linear(model)
        expects = f" Its first layer expects {first.in_features} input column(s)." if first is not None else ""
        raise ValueError(
            f"the model cannot take {name} x of shape {tuple(x.shape)}, which has {x.shape[1]} column(s) per row."
            f"{expects} "
            f"Make the first width of the layout equal x.shape[1], for example mlp([{x.shape[1]}, 50, 1]), or check x. "
            f"(PyTorch said: {err})"
        ) from None
    finally:
        model.train(was_training)
    if not isinstance(pred, torch.Tensor):
        raise TypeError(f"the model returned {type(pred).__name__}, but the training loop needs a tensor of outputs.")
    out = pred[0] if pred.dim() == 3 and pred.shape[1] == min(len(x), 8) and x.dim() == 2 else pred  # seed stacks
    if loss == "cross_entropy":
        classes, top = (out.shape[1] if out.dim() == 2 else 1), int(y.max())
        if classes < 2 or top >= classes:
            raise ValueError(
                f"the {name} labels run from {int(y.min())} to {top}, but the model gives {classes} output(s) per row. "
                "Cross-entropy needs one output per class and labels 0 … classes − 1: "
                f"make the last width of the layout {max(top + 1, 2)}."
            )
    elif isinstance(loss, str) and out.dim() == 2 and y.dim() == 2 and out.shape[1] != y.shape[1]:
        bce = " For 'bce' keep one output (a logit) and 0/1 labels as a (n, 1) column." if loss == "bce" else ""
        raise ValueError(
            f"the model gives {out.shape[1]} output(s) per row, but {name} y has shape {tuple(y.shape)}, "
            f"{y.shape[1]} column(s). Prediction and target must have the same number of columns (else the loss "
            f"silently broadcasts them): make the last width of the layout {y.shape[1]}.{bce}"
        )
    return pred


def check_loss_value(value: object, loss_name: str) -> None:
    """A loss function must return one number (a 0-d tensor), else ``backward()`` cannot start from it.

    >>> check_loss_value(torch.tensor(0.5), "my_loss")
    """
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"the loss function {loss_name} returned {type(value).__name__}; it must return a tensor.")
    if value.dim() != 0:
        raise ValueError(
            f"the loss function {loss_name} returned a tensor of shape {tuple(value.shape)}, but training needs one "
            "number per batch. Reduce it inside the function, for example return ((pred - y) ** 2).mean()."
        )


def check_list(value: object, name: str, example: str) -> list:
    """A list option (``metrics``, ``callbacks``) given as one bare item gets a message with the brackets.

    >>> check_list("mae", "metrics", "'mae'")
    Traceback (most recent call last):
    TypeError: metrics must be a list, got the single str 'mae'. Put it in a list: metrics=['mae'].
    """
    if value is None:
        return []
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        shown = repr(value) if isinstance(value, str) else example
        raise TypeError(
            f"{name} must be a list, got the single {type(value).__name__} {value!r}. Put it in a list: {name}=[{shown}]."
        )
    return list(value)


def check_options(func: Callable) -> Callable:
    """Decorate ``func`` so that an unknown keyword lists the valid ones (and the closest match).

    >>> @check_options
    ... def f(*, lr=0.1): return lr
    >>> f(lr=0.5)
    0.5
    """
    signature = inspect.signature(func)
    valid = [p.name for p in signature.parameters.values() if p.kind is not p.VAR_KEYWORD]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        unknown = [k for k in kwargs if k not in signature.parameters or k in ("self",)]
        if unknown:
            close = difflib.get_close_matches(unknown[0], valid, n=1)
            guess = f" Did you mean {close[0]}=…?" if close else ""
            shown = ", ".join(v for v in valid if v != "self")
            name = func.__qualname__.removesuffix(".__init__")
            raise TypeError(f"{name}() has no option {unknown[0]!r}.{guess} Its options are: {shown}.")
        return func(*args, **kwargs)

    return wrapper


def env_int(name: str, default: int) -> int:
    """Read a whole-number environment variable such as ``NNBOOK_THREADS``, refusing other text clearly.

    >>> env_int("NNBOOK_TEST_UNSET_VARIABLE", 1)
    1
    """
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise ValueError(
            f"the environment variable {name}={text!r} must be a whole number ≥ 1, for example {name}=1."
        ) from None
    if value < 1:
        raise ValueError(f"the environment variable {name}={text!r} must be ≥ 1, for example {name}=1.")
    return value


@contextmanager
def torch_threads() -> Iterator[None]:
    """Use ``NNBOOK_THREADS`` (default 1) CPU threads inside the block, then restore the previous setting.

    The book's models are tiny (at most a few thousand weights, batches of ~100 rows). For tensors
    that small, splitting each operation over several CPU threads costs more in synchronisation
    than it saves: measured on a loaded 2-core machine, one optimizer step took about 1 ms with one
    thread and 10–15 ms with two. The setting is process-wide in PyTorch, so it is set for the
    training loop only and restored afterwards.

    >>> before = torch.get_num_threads()
    >>> with torch_threads():
    ...     pass
    >>> torch.get_num_threads() == before
    True
    """
    wanted = env_int("NNBOOK_THREADS", 1)
    before = torch.get_num_threads()
    if wanted != before:
        torch.set_num_threads(wanted)
    try:
        yield
    finally:
        if torch.get_num_threads() != before:
            torch.set_num_threads(before)
