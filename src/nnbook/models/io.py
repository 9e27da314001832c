"""Saving a trained model to a file and loading it back, without pickling code.

The file records how to rebuild the model (the layout and activation of an :func:`mlp`, the
statistics of a :class:`Rescaled` wrapper, and for a :class:`TableModel` everything its encoder
learned from the training rows: columns, category levels, fills, scaling, class names) next to its weights, all plain numbers and strings,
so :func:`load` reads it with ``torch.load(..., weights_only=True)``: opening a file cannot run
code hidden in it.

>>> import tempfile, torch
>>> from nnbook.models import mlp
>>> model = mlp([3, 8, 1], "tanh")
>>> path = tempfile.mkdtemp() + "/model.pt"
>>> save(model, path)
>>> again = load(path)
>>> bool(torch.equal(model(torch.ones(2, 3)), again(torch.ones(2, 3))))
True
"""

from __future__ import annotations

import os
import tempfile
from os import PathLike
from pathlib import Path
from typing import Any

import torch
from torch import nn

from nnbook.data.tables import TableEncoder
from nnbook.models.mlp import mlp, mlp_layout
from nnbook.models.rescaled import Rescaled
from nnbook.models.table import TableModel

FORMAT = "nnbook-model-1"


def _recipe(model: nn.Module) -> dict[str, Any]:
    if isinstance(model, Rescaled):
        return {"kind": "rescaled", "model": _recipe(model.model)}
    if isinstance(model, TableModel):  # the encoder as plain strings and numbers
        return {"kind": "table", "encoder": model.encoder.state(), "model": _recipe(model.net)}
    found = mlp_layout(model)
    if found is None and hasattr(model, "n_models"):
        raise TypeError(
            f"save() writes one model, but this is the stack of {model.n_models} seeds from fit_seeds. Save one seed: "
            "save(run.model(i), path)."
        )
    if found is None:
        raise TypeError(
            f"save() can rebuild models made by nnbook.models.mlp (and Rescaled around one), but this is a "
            f"{type(model).__name__} of another structure. For your own model class save the weights: "
            "torch.save(model.state_dict(), path), and load them into a fresh model: "
            "model.load_state_dict(torch.load(path, weights_only=True))."
        )
    layout, activation = found
    return {"kind": "mlp", "layout": layout, "activation": activation}


def _build(recipe: dict[str, Any], weights: dict[str, torch.Tensor], prefix: str = "") -> nn.Module:
    if recipe["kind"] == "rescaled":
        stats = [weights[f"{prefix}{name}"] for name in ("x_mean", "x_std", "y_mean", "y_std")]
        return Rescaled(_build(recipe["model"], weights, f"{prefix}model."), *stats)
    if recipe["kind"] == "table":
        return TableModel(_build(recipe["model"], weights, f"{prefix}net."), TableEncoder.from_state(recipe["encoder"]))
    return mlp(recipe["layout"], recipe["activation"])


def _check_path(path: object) -> Path:
    if not isinstance(path, (str, PathLike)):
        raise TypeError(f"path must be a file name such as 'model.pt', got {path!r} ({type(path).__name__}).")
    return Path(path)


def _read(path: Path) -> dict[str, Any]:
    """The contents of the model file at ``path``, read without running code; ValueError if it is not one."""
    try:
        saved = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as err:
        damaged = "archive" in str(err) or "central directory" in str(err) or "EOF" in str(err)
        what = "is damaged or incomplete (cut off while it was written or copied)" if damaged else "cannot be read"
        raise ValueError(
            f"{str(path)!r} {what}, so it is not a model file that nnbook can read safely ({type(err).__name__}). "
            "Save the model again with nnbook.models.save(model, path), or copy the file again. load() reads files "
            "written by nnbook.models.save; for a state_dict use model.load_state_dict(torch.load(path, "
            "weights_only=True))."
        ) from None
    if not (isinstance(saved, dict) and saved.get("format") == FORMAT):
        raise ValueError(
            f"{str(path)!r} was not written by nnbook.models.save. If it holds a state_dict, build the model "
            "and use model.load_state_dict(torch.load(path, weights_only=True))."
        )
    return saved


def _is_model_file(path: Path) -> bool:
    """Whether ``path`` is a file written by :func:`save` (a zip archive that :func:`_read` accepts)."""
    if not path.is_file():
        return False
    with path.open("rb") as file:
        if file.read(4) != b"PK\x03\x04":  # torch.save writes a zip archive; anything else is not a model file
            return False
    try:
        _read(path)
    except ValueError:
        return False
    return True


def _new_file_mode() -> int:
    """The permissions a new file gets: 0o666 less the umask (0o644 with the usual umask 022)."""
    umask = os.umask(0)  # reading the umask means setting it: put it back at once
    os.umask(umask)
    return 0o666 & ~umask


def save(model: nn.Module, path: str | PathLike) -> None:
    """Write ``model`` (an :func:`mlp`, or a :class:`Rescaled` or :class:`TableModel` around one) with its weights to ``path``.

    The weights are saved from the CPU, so the file loads on any machine.

    An earlier model file at ``path`` is replaced (it keeps its permissions), but any other file there is
    left alone: save() refuses to write over it. A new file gets the usual permissions (0o666 less the
    umask). If ``path`` is a symbolic link, the file it points to is written and the link stays.

    >>> import tempfile
    >>> path = tempfile.mkdtemp() + "/line.pt"
    >>> save(mlp([1, 4, 1]), path)
    >>> save(mlp([1, 8, 1]), path)  # a model file: replaced
    >>> notes = tempfile.mkdtemp() + "/notes.txt"
    >>> with open(notes, "w") as f: _ = f.write("my notes")
    >>> save(mlp([1, 4, 1]), notes)
    Traceback (most recent call last):
    FileExistsError: ...notes.txt' already exists and is not a model file written by nnbook.models.save, ...
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module built by nnbook.models.mlp, got {type(model).__name__}.")
    path = _check_path(path)
    if path.is_symlink():  # write the file the link points to, and keep the link
        path = path.resolve()
    if not path.parent.is_dir():
        raise FileNotFoundError(
            f"the folder {str(path.parent)!r} does not exist, so {str(path)!r} cannot be written. Create it first: "
            "Path(folder).mkdir(parents=True, exist_ok=True)."
        )
    if path.is_dir():
        raise IsADirectoryError(f"{str(path)!r} is a folder; give a file name such as {str(path / 'model.pt')!r}.")
    if path.exists() and not _is_model_file(path):
        raise FileExistsError(
            f"{str(path)!r} already exists and is not a model file written by nnbook.models.save, so save() does "
            "not write over it. Give another file name, such as 'model.pt', or delete that file first if you no "
            "longer need it: Path(path).unlink()."
        )
    mode = path.stat().st_mode & 0o777 if path.exists() else _new_file_mode()
    recipe = _recipe(model)
    weights = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    # Write a temporary file beside the target, then rename it over the target in one step: a save that fails
    # half way (a full disk, Ctrl-C) leaves the file that was there before untouched.
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            torch.save({"format": FORMAT, "recipe": recipe, "state_dict": weights}, file)
        os.chmod(temporary, mode)  # mkstemp made it readable by its owner only
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load(path: str | PathLike) -> nn.Module:
    """Rebuild the model saved by :func:`save` at ``path``, in evaluation mode, on the CPU.

    >>> import tempfile
    >>> path = tempfile.mkdtemp() + "/m.pt"; save(mlp([2, 3, 1]), path)
    >>> load(path)[0]
    Linear(in_features=2, out_features=3, bias=True)
    """
    path = _check_path(path)
    if path.is_dir():
        raise IsADirectoryError(
            f"{str(path)!r} is a folder; give the model file in it, such as {str(path / 'model.pt')!r}."
        )
    if not path.is_file():
        raise FileNotFoundError(f"there is no file {str(path)!r} to load. Check the name and the folder.")
    saved = _read(path)
    try:
        model = _build(saved["recipe"], saved["state_dict"])
        model.load_state_dict(saved["state_dict"])
    except (KeyError, RuntimeError, TypeError, ValueError) as err:
        raise ValueError(
            f"{str(path)!r} holds a recipe ({saved.get('recipe')}) whose model does not match the weights stored with "
            f"it ({type(err).__name__}), so the file was changed or mixed up after nnbook saved it. Save the model "
            "again with nnbook.models.save(model, path)."
        ) from None
    return model.eval()
