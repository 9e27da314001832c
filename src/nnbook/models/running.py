"""Running a model on inputs, in one place: evaluation mode, no gradients, the model's device, a shape check,
and what its outputs mean (logits, probabilities or labels).

:func:`predict` is the public face; :func:`run_model` is what the plots, the animation and the
analysis call to evaluate a model, so that a mode, a device or a shape is handled once.

>>> import torch
>>> from nnbook.models import mlp
>>> model = mlp([3, 8, 1])
>>> predict(model, torch.rand(5, 3)).shape
torch.Size([5, 1])
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

from nnbook._arrays import check_array
from nnbook._options import Choice
from nnbook.data.split import Split
from nnbook.models.mlp import mlp

#: What a classifier's outputs are: raw scores, probabilities (a final Sigmoid or Softmax), or class labels.
KINDS = ("logits", "probabilities", "labels")
KIND = Choice(KINDS, hint="Say what the outputs are: kind='logits' (raw scores) or kind='probabilities'.")
OUTPUT = Choice(("values", "probabilities", "labels"))


def model_device(model: nn.Module) -> torch.device:
    """The device of ``model``'s first parameter or buffer (the CPU for a model without any).

    >>> model_device(nn.Linear(1, 1))
    device(type='cpu')
    """
    for t in (*model.parameters(), *model.buffers()):
        return t.device
    return torch.device("cpu")


def first_linear(model: nn.Module) -> nn.Linear | None:
    """The first ``nn.Linear`` inside ``model`` (None if there is none).

    >>> first_linear(nn.Sequential(nn.Linear(3, 2), nn.ReLU())).in_features
    3
    """
    return next((m for m in model.modules() if isinstance(m, nn.Linear)), None)


def check_model(model: object) -> nn.Module:
    """Return ``model`` if it is a float32 ``torch.nn.Module``, else say what is needed.

    >>> check_model(nn.Linear(1, 1))
    Linear(in_features=1, out_features=1, bias=True)
    """
    if not isinstance(model, nn.Module):
        raise TypeError(
            f"model must be a torch.nn.Module (for example nnbook.models.mlp([1, 50, 1])), "
            f"got {type(model).__name__}.{_module_hint(model)}"
        )
    dtypes = {p.dtype for p in model.parameters() if p.is_floating_point()}
    if dtypes - {torch.float32}:
        raise TypeError(
            f"the model's weights have dtype {sorted(map(str, dtypes))}, but nnbook gives models float32 inputs. "
            "Convert the model with model.float()."
        )
    return model


def _module_hint(model: object) -> str:
    """What to pass instead of ``model``, which is not a ``torch.nn.Module``."""
    if hasattr(model, "stack") and hasattr(model, "seeds"):
        return " This is the result of fit_seeds: pick one seed's network with run.model(i), or use run.predict(x)."
    if isinstance(model, type) and issubclass(model, nn.Module):
        return f" Create one first: {model.__name__}(…), not {model.__name__}."
    if model is mlp:
        return " Build the model first: mlp([1, 50, 1]), not mlp."
    weights = getattr(model, "weights", None)
    if isinstance(weights, torch.Tensor) and weights.dim() == 2:  # nnbook.models.Linear, the hand-written layer
        n_in, n_out = weights.shape
        return (
            f" {type(model).__name__} is the book's hand-written layer, for loops that update its weights "
            f"themselves; for fit, predict and evaluate use torch.nn.Linear({n_in}, {n_out}) or mlp([{n_in}, {n_out}])."
        )
    if callable(model):
        return " A plain function has no weights to train: put them in a torch.nn.Module (a class with a forward)."
    return ""


@contextmanager
def evaluation_mode(model: nn.Module) -> Iterator[nn.Module]:
    """Switch ``model`` to evaluation mode inside the block and give every layer back its own mode after.

    Restoring layer by layer matters: ``model.train(was_training)`` would also switch an inner
    layer that was in another mode than the model itself.

    >>> m = nn.Sequential(nn.Linear(1, 1), nn.Dropout(0.5)); m[1].eval()
    Dropout(p=0.5, inplace=False)
    >>> with evaluation_mode(m): pass
    >>> m.training, m[1].training
    (True, False)
    """
    modes = [(m, m.training) for m in model.modules()]
    model.eval()
    try:
        yield model
    finally:
        for m, mode in modes:
            m.training = mode


def last_layer(model: nn.Module) -> nn.Module:
    """The layer that produces ``model``'s output: the last child of nested ``nn.Sequential`` containers.

    >>> last_layer(nn.Sequential(nn.Linear(2, 1), nn.Sigmoid()))
    Sigmoid()
    """
    while isinstance(model, nn.Sequential) and len(model):
        model = model[-1]
    inner = getattr(model, "model", None)  # a Rescaled wrapper, or a stack's probe
    return last_layer(inner) if isinstance(inner, nn.Module) and not hasattr(model, "y_std") else model


def output_kind(model: object) -> str | None:
    """ "probabilities" for a model ending in ``nn.Sigmoid`` or ``nn.Softmax``, else None (logits or values).

    >>> output_kind(nn.Sequential(nn.Linear(2, 3), nn.Softmax(dim=1))), output_kind(nn.Linear(2, 1))
    ('probabilities', None)
    """
    if not isinstance(model, nn.Module):
        return None
    probe = getattr(model, "probe", model)  # a stack of seeds: its first seed
    return "probabilities" if isinstance(last_layer(probe), (nn.Sigmoid, nn.Softmax)) else None


def run_model(model: Callable[[torch.Tensor], torch.Tensor], x: Any, name: str = "x") -> torch.Tensor:
    """``model(x)`` in evaluation mode, without gradients, on the model's device; a CPU tensor back.

    Every layer's mode is restored afterwards, so calling it during training is safe. ``x`` must
    be a table with the columns the model's first layer takes; a model that still cannot take it
    gets an error naming both shapes.

    >>> model = nn.Linear(2, 1)
    >>> run_model(model, torch.ones(3, 2)).shape, model.training
    (torch.Size([3, 1]), True)
    """
    if not callable(model):
        raise TypeError(
            f"model must be a network (a torch.nn.Module such as mlp([2, 32, 1])) or a function of x, "
            f"got {type(model).__name__}."
        )
    x = check_array(x, name).detach()
    if not isinstance(model, nn.Module):
        with torch.no_grad():
            return _tensor_out(model(x))
    first = first_linear(getattr(model, "probe", model))  # a stack of seeds checks its first seed
    if first is not None and x.shape[1] != first.in_features:
        raise ValueError(
            f"{name} has {x.shape[1]} column(s) per row, shape {tuple(x.shape)}, but the model's first layer takes "
            f"{first.in_features}. Give {name} the same columns, in the same order, as the data the model was trained "
            "on (to look at a multi-input model along one input, use slice_grid(x, along=…))."
        )
    with evaluation_mode(model), torch.no_grad():
        try:
            out = model(x.to(model_device(model)))
        except RuntimeError as err:
            raise ValueError(f"the model cannot take {name} of shape {tuple(x.shape)}. (PyTorch said: {err})") from None
    return _tensor_out(out)


def _tensor_out(out: object) -> torch.Tensor:
    if not isinstance(out, torch.Tensor):
        raise TypeError(f"the model returned {type(out).__name__}, but a tensor of outputs is needed.")
    return out.detach().cpu()


def _one_column(out: torch.Tensor) -> bool:
    return out.dim() < 2 or out.shape[-1] == 1


def guess_kind(out: torch.Tensor, kind: str | None, what: str = "pred") -> str:
    """What ``out`` holds: ``kind`` itself when given, else labels for whole-number dtypes and logits for scores.

    A single column whose values all lie in [0, 1] could be logits or probabilities, and the two
    give different classes (above 0, or above ½): that case is refused unless ``kind`` says which.

    >>> guess_kind(torch.tensor([[2.0], [-1.0]]), None)
    'logits'
    """
    if kind is not None:
        return KIND(kind, "kind")
    if not out.is_floating_point():
        return "labels"
    if _one_column(out) and len(out) and bool(((out >= 0) & (out <= 1)).all()):
        raise ValueError(
            f"{what} holds one column of values between 0 and 1: probabilities or logits? The class differs (above ½, "
            "or above 0). Say which: kind='probabilities' (for example after torch.sigmoid, or a model ending in "
            "nn.Sigmoid) or kind='logits' (raw scores)."
        )
    return "logits"


def to_probabilities(out: torch.Tensor, kind: str) -> torch.Tensor:
    """Class probabilities, same shape as ``out``: sigmoid (one column) or softmax (one column per class) of logits.

    >>> to_probabilities(torch.tensor([[0.0], [100.0]]), "logits").tolist()
    [[0.5], [1.0]]
    """
    if kind == "labels":
        raise ValueError("these outputs are class labels already; probabilities need kind='logits' or 'probabilities'.")
    if kind == "logits":
        return torch.sigmoid(out) if _one_column(out) else torch.softmax(out, dim=-1)
    if bool(((out < 0) | (out > 1)).any()):
        raise ValueError(
            f"kind='probabilities', but the values run from {float(out.min()):.3g} to {float(out.max()):.3g}, outside "
            "[0, 1]: these look like logits. Use kind='logits'."
        )
    if not _one_column(out) and not torch.allclose(out.sum(dim=-1), torch.ones(()), atol=1e-3):
        raise ValueError(
            "kind='probabilities', but the rows do not sum to 1. End the model with nn.Softmax(dim=1), or use "
            "kind='logits'."
        )
    return out


def to_labels(out: torch.Tensor, kind: str) -> torch.Tensor:
    """The predicted class of every row, a long tensor: above the threshold (one column) or the largest score.

    >>> to_labels(torch.tensor([[2.0, 0.1, -1.0], [0.0, 0.5, 3.0]]), "logits").tolist()
    [0, 2]
    """
    if kind == "labels":
        if out.dim() >= 2 and out.shape[-1] > 1:
            raise ValueError(
                f"kind='labels' needs one label per row, shape (n,) or (n, 1), got {tuple(out.shape)}. "
                "For one score per class use kind='logits' or kind='probabilities'."
            )
        return check_array(out.reshape(len(out), -1)[:, 0], "labels", shape="labels", dtype="labels")
    if not _one_column(out):
        return out.argmax(dim=-1)
    column = out[..., 0] if out.dim() >= 2 else out
    if kind == "probabilities":
        return (to_probabilities(column, kind) > 0.5).long()
    return (column > 0).long()


def predict(model: nn.Module, x: Any, output: str = "values", kind: str | None = None) -> torch.Tensor:
    """``model``'s output for ``x`` (a tensor, NumPy array or list of rows), as a CPU tensor.

    ``output`` chooses what comes back: ``"values"`` (the outputs as they are), ``"probabilities"``
    (for a classifier: the probability of class 1 for one output, one per class for several) or
    ``"labels"`` (the predicted class of every row, a long tensor). ``kind`` says what the model
    outputs, "logits" or "probabilities"; by default a model ending in ``nn.Sigmoid`` or
    ``nn.Softmax`` gives probabilities and any other model logits.

    The model runs in evaluation mode (dropout off), without gradients, on its own device; every
    layer's mode is restored afterwards. For a stack of seeds the result has a leading seed axis.

    >>> from nnbook.models import mlp
    >>> predict(mlp([2, 8, 3]), torch.rand(4, 2), output="labels").shape
    torch.Size([4])
    """
    model = check_model(model)
    OUTPUT(output, "output")
    if kind is not None:
        KIND(kind, "kind")
    if isinstance(x, (Dataset, DataLoader, Split)) or (
        isinstance(x, (tuple, list)) and len(x) == 2 and all(isinstance(t, torch.Tensor) for t in x)
    ):
        raise TypeError(
            f"predict takes the inputs x alone (a tensor, NumPy array or list of rows), got {type(x).__name__}. "
            "Pass x, not the pair (x, y) or a data set: predict(model, x_valid); to score data against its targets "
            "use evaluate(model, data, ['mse'])."
        )
    out = run_model(model, x)
    if output == "values":
        return out
    kind = kind or output_kind(model) or "logits"
    return to_probabilities(out, kind) if output == "probabilities" else to_labels(out, kind)
