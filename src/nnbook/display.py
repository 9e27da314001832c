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

_saved: dict[Path, int] = {}  # how many files of each name this script has saved, to number the next one


def in_notebook() -> bool:
    """True inside a Jupyter kernel (Jupyter, Colab, Binder or a book build), False in a script.

    >>> in_notebook()
    False
    """
    shell = sys.modules.get("IPython") and sys.modules["IPython"].get_ipython()
    return bool(shell) and type(shell).__name__ != "TerminalInteractiveShell" and hasattr(shell, "kernel")


def _live_setting() -> str:
    value = os.environ.get("NNBOOK_LIVE", "1").strip()
    if value not in ("0", "1", ""):
        raise ValueError(
            f"the environment variable NNBOOK_LIVE is {value!r}; it must be 1 (redraw live views) or 0 (draw once)."
        )
    return value or "1"


def watched() -> bool:
    """True when someone can watch the notebook while it runs, so live views are worth redrawing.

    A book build executes every chapter with nobody looking and keeps only the final outputs; it
    sets ``NNBOOK_LIVE=0`` so that live views draw their final state once instead of redrawing.

    >>> watched()  # a script or doctest is not a notebook
    False
    """
    return in_notebook() and _live_setting() != "0"


def figure_dir() -> Path:
    """The folder where a script saves its figures: ``$NNBOOK_FIGURES/<script name>`` (created when missing).

    ``NNBOOK_FIGURES`` defaults to ``nnbook-figures`` in the current folder.

    >>> figure_dir().parent.name
    'nnbook-figures'
    """
    script = Path(sys.argv[0]).stem if sys.argv and sys.argv[0] else "nnbook"
    root = os.environ.get("NNBOOK_FIGURES", "nnbook-figures").strip() or "nnbook-figures"
    path = Path(root) / script
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OSError(
            f"cannot create the figures folder {path} ({err.strerror}). Set NNBOOK_FIGURES to a writable folder, "
            "for example NNBOOK_FIGURES=/tmp/nnbook-figures."
        ) from None
    if not os.access(path, os.W_OK):
        raise PermissionError(
            f"the figures folder {path} is not writable. Set NNBOOK_FIGURES to a writable folder, "
            "for example NNBOOK_FIGURES=/tmp/nnbook-figures."
        )
    return path


def numbered_file(name: str, suffix: str) -> Path:
    """The path of a script's next ``name`` file in :func:`figure_dir`: ``name-01.png``, then ``name-02.png`` ….

    Every call counts up, so a script that shows several figures, animations or sliders keeps each file
    instead of overwriting the one before.

    >>> numbered_file("example", ".png").name, numbered_file("example", ".png").name
    ('example-01.png', 'example-02.png')
    """
    folder = figure_dir()
    key = folder / f"{name}{suffix}"
    _saved[key] = _saved.get(key, 0) + 1
    return folder / f"{name}-{_saved[key]:02d}{suffix}"


def has_window() -> bool:
    """True when matplotlib can open windows (an interactive backend), False when drawing to files only.

    >>> isinstance(has_window(), bool)
    True
    """
    backend = matplotlib.get_backend().lower()
    return backend not in ("agg", "pdf", "ps", "svg", "cairo", "template") and "inline" not in backend


def _as_figure(fig: Any) -> Any:
    """The matplotlib Figure behind what a plot function returned: a Figure, axes, or an array of axes."""
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure

    if fig is None:
        if not plt.get_fignums():
            raise ValueError(
                "there is no figure to show: draw one first, or pass what a plot function returned, "
                "for example show(plot_losses(history))."
            )
        return plt.gcf()
    if isinstance(fig, (Figure, SubFigure)):
        return fig.figure if isinstance(fig, SubFigure) else fig
    if isinstance(fig, Axes):
        return fig.figure
    if isinstance(fig, (np.ndarray, list, tuple)) and len(fig) and all(isinstance(a, Axes) for a in np.ravel(fig)):
        return np.ravel(fig)[0].figure
    raise TypeError(
        f"show() takes a matplotlib figure or the axes a plot function returned, got {type(fig).__name__}. "
        "For an animation use nnbook.animation.show_animation(anim)."
    )


def show(fig: Any | None = None) -> None:
    """Show a figure (default: the current one) inline, in a window, or as a saved PNG.

    ``fig`` may be a matplotlib ``Figure`` or what the plot functions return: axes, or an array of axes.

    >>> from nnbook.plots import plot_data
    >>> show(plot_data([0.0, 1.0], [1.0, 0.0]))  # doctest: +ELLIPSIS
    saved figure ...
    """
    import matplotlib.pyplot as plt
    from matplotlib.animation import Animation

    if isinstance(fig, Animation):
        raise TypeError("show() draws figures; for an animation use nnbook.animation.show_animation(anim).")
    fig = _as_figure(fig)
    if in_notebook():
        from IPython.display import display

        display(fig)
        plt.close(fig)
    elif has_window():
        plt.show()
    else:
        path = numbered_file("figure", ".png")
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
    if not isinstance(name, str) or not name.strip() or any(c.isspace() for c in name):
        raise ValueError(f"a glue name must be a non-empty word without spaces, such as 'final_mse'; got {name!r}.")
    value = _plain(value)
    if isinstance(value, torch.Tensor):
        raise TypeError(
            f"glue({name!r}, ...) got a tensor of shape {tuple(value.shape)}; glue one number at a time, "
            "for example float(loss) or loss.item()."
        )
    record = os.environ.get("NNBOOK_GLUE_JSON")
    if record:  # the tests collect a script's glued numbers this way
        try:
            line = json.dumps({"name": name, "value": value})
        except TypeError:
            raise TypeError(
                f"glue({name!r}, ...) got a {type(value).__name__}, which cannot be recorded; glue numbers or text."
            ) from None
        try:
            with open(record, "a", encoding="utf-8") as f:
                f.write(line + "\n")
        except OSError as err:
            raise OSError(
                f"cannot write glued numbers to NNBOOK_GLUE_JSON={record} ({err.strerror}); "
                "point it at a writable file or unset it."
            ) from None
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
        for kind in kinds:
            if not (isinstance(kind, type) and issubclass(kind, BaseException)):
                raise TypeError(
                    f"expect_error takes exception classes such as ValueError, got {kind!r} ({type(kind).__name__})."
                )
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
            # Show the error as an error output pointing at the reader's own line, without stopping the
            # notebook: only the cell's frame is kept, not the frames inside the libraries (their file paths
            # are the machine's, and the message is what the reader acts on).
            traceback.tb_next = None
            sys.modules["IPython"].get_ipython().showtraceback((kind, error, traceback))
            return True
        print(f"expected error: {kind.__name__}: {error}")
        return True
