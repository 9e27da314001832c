"""How many CPU threads the training loop uses: ``NNBOOK_THREADS`` (default 1), set for the loop only.

>>> env_int("NNBOOK_TEST_UNSET_VARIABLE", 1)
1
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import torch


def env_int(name: str, default: int) -> int:
    """Read a whole-number environment variable such as ``NNBOOK_THREADS``, refusing other text clearly.

    >>> env_int("NNBOOK_TEST_UNSET_VARIABLE", 2)
    2
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
