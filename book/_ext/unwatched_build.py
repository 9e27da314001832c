"""Sphinx extension: tell the chapters' kernels that nobody watches them run.

A build executes each chapter once and keeps only its final outputs, so a live training view that
redraws itself during training only costs time there. The kernels inherit this process's
environment, and ``NNBOOK_LIVE=0`` makes nnbook's live views draw their final state once
(:func:`nnbook.display.watched`). Jupyter, Colab and Binder keep the live redraws.
"""

from __future__ import annotations

import os


def setup(app):
    os.environ.setdefault("NNBOOK_LIVE", "0")
    return {"version": "1.0", "parallel_read_safe": True}
