"""nnbook: the data sets, models, training loop, plots, animations and analysis of the nnbook textbook.

The package follows the book's path: ``data`` → ``models`` → ``training`` → ``plots`` / ``animation``
→ ``analysis``. Chapters import what they need in plain sight, for example::

    from nnbook.data import wiggly_curve, train_valid_split
    from nnbook.models import mlp
    from nnbook.training import fit

>>> import nnbook
>>> nnbook.set_seed(0)
"""

from __future__ import annotations

import random

import torch

from nnbook.display import expect_error, glue, in_notebook, show

__version__ = "0.1.0"

# Importing nnbook changes no process-wide setting. The training loop uses NNBOOK_THREADS CPU threads
# (default 1, the fastest for the book's tiny models) while it runs and restores the setting afterwards.
__all__ = ["__version__", "expect_error", "glue", "in_notebook", "set_seed", "show"]


def set_seed(seed: int) -> None:
    """Seed Python's and PyTorch's random generators, so that models start from the same weights.

    >>> set_seed(1); a = torch.rand(1); set_seed(1); bool(a == torch.rand(1))
    True
    """
    from nnbook._options import check_seed

    seed = check_seed(seed)
    random.seed(seed)
    torch.manual_seed(seed)
