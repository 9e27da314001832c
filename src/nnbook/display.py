"""Showing results the same way in a notebook, on the built book's pages and in a plain script.

In a notebook figures and animations appear inline and numbers are glued into the text with
myst-nb's ``glue``. In a script, figures open in a window when there is a screen; without one
they are saved as PNG files (animations as GIFs) into ``NNBOOK_FIGURES`` (default ``nnbook-figures``),
and glued numbers are printed.

>>> in_notebook()
False
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import torch

_saved = 0


def in_notebook() -> bool:
    """True inside a Jupyter kernel (Jupyter, Colab, Binder or a book build), False in a script.

    >>> in_notebook()
    False
    """
    shell = sys.modules.get("IPython") and sys.modules["IPython"].get_ipython()
    return bool(shell) and type(shell).__name__ != "TerminalInteractiveShell" and hasattr(shell, "kernel")


def watched() -> bool:
    """True when someone can watch the notebook while it runs, so live views are worth redrawing.

    A book build executes every chapter with nobody looking and keeps only the final outputs; it
    sets ``NNBOOK_LIVE=0`` so that live views draw their final state once instead of redrawing.

    >>> watched()  # a script or doctest is not a notebook
    False
    """
    return in_notebook() and os.environ.get("NNBOOK_LIVE", "1") != "0"


def _figure_dir() -> Path:
    script = Path(sys.argv[0]).stem if sys.argv and sys.argv[0] else "nnbook"
    path = Path(os.environ.get("NNBOOK_FIGURES", "nnbook-figures")) / script
    path.mkdir(parents=True, exist_ok=True)
    return path


def has_window() -> bool:
    """True when matplotlib can open windows (an interactive backend), False when drawing to files only.

    >>> isinstance(has_window(), bool)
    True
    """
    backend = matplotlib.get_backend().lower()
    return backend not in ("agg", "pdf", "ps", "svg", "cairo", "template") and "inline" not in backend


def show(fig: Any | None = None) -> None:
    """Show a matplotlib figure (default: the current one) inline, in a window, or as a saved PNG.

    >>> import matplotlib.pyplot as plt
    >>> fig = plt.figure(); show(fig)  # doctest: +ELLIPSIS
    saved figure ...
    """
    import matplotlib.pyplot as plt

    global _saved
    fig = fig or plt.gcf()
    if in_notebook():
        from IPython.display import display

        display(fig)
        plt.close(fig)
    elif has_window():
        plt.show()
    else:
        _saved += 1
        path = _figure_dir() / f"figure-{_saved:02d}.png"
        fig.savefig(path, dpi=80)
        plt.close(fig)
        print(f"saved figure {path}")


def glue(name: str, value: Any, display: bool = False) -> Any:
    """Record ``value`` under ``name`` for the book's text (myst-nb ``glue``); print it in a script.

    The chapter text then cites it with a ``glue:text`` role such as ``name:.3f``, so prose and
    result never drift. Tensors with one number become plain floats. When the environment variable
    ``NNBOOK_GLUE_JSON`` names a file, every glued value is also appended to it as a JSON line.
    Returns ``value``, so it can be used inline.

    >>> glue("answer", 42)
    answer = 42
    42
    """
    value = _plain(value)
    record = os.environ.get("NNBOOK_GLUE_JSON")
    if record:  # the tests collect a script's glued numbers this way
        with open(record, "a", encoding="utf-8") as f:
            f.write(json.dumps({"name": name, "value": value}) + "\n")
    if in_notebook():
        try:
            from myst_nb import glue as myst_glue
        except ImportError:  # a plain Jupyter or Colab runtime without the book's tools
            print(f"{name} = {value}")
        else:
            myst_glue(name, value, display=display)
    else:
        print(f"{name} = {value}")
    return value


def _plain(value: Any) -> Any:
    """Turn a one-number tensor or NumPy scalar into a plain Python number, so the text can format it."""
    if isinstance(value, (torch.Tensor, np.generic)) and value.ndim == 0:
        return value.item()
    return value


class expect_error:  # noqa: N801 - used like a function: ``with expect_error(RuntimeError): ...``
    """Run a block that is meant to fail, to show its error, and carry on.

    In a notebook the cell shows the full traceback, as if the error had gone through, but the
    error is caught: the next cells still run, so "Run all" does not stop there (tag the cell
    ``raises-exception`` so the book marks it as an intended error). In a script the error is
    printed and the script carries on. A block that does not fail at all, or fails with a
    different kind of error, is a mistake and raises.

    >>> with expect_error(ZeroDivisionError):
    ...     1 / 0
    expected error: ZeroDivisionError: division by zero
    """

    def __init__(self, *kinds: type[BaseException]) -> None:
        self.kinds = kinds or (Exception,)

    def __enter__(self) -> expect_error:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, traceback: Any) -> bool:
        wanted = ", ".join(k.__name__ for k in self.kinds)
        if error is None:
            raise AssertionError(f"this block was expected to raise {wanted}, but it ran without an error.")
        if not issubclass(kind, self.kinds):
            return False  # a different error is a real failure: let it through
        if in_notebook():
            # Show the traceback the reader would get, as an error output, without stopping the notebook.
            sys.modules["IPython"].get_ipython().showtraceback((kind, error, traceback))
            return True
        print(f"expected error: {kind.__name__}: {error}")
        return True
