"""What chapter 1's note on other machines says, measured: the book built with this CPU's kernels against the
same book built with PyTorch's portable ones (``make test-other-cpu`` sets ``NNBOOK_FIRST_BUILD`` to the first
build and ``NNBOOK_BUILT_BOOK`` to the second; without both, these tests are skipped).

- chapters 1 and 2 agree to a relative 1e-4 in every glued number;
- across the whole book, at least four glued numbers in five agree to a relative 1e-3.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bookutils import TIMING_SUFFIXES, chapters, executed_notebook, glued_values

FIRST, SECOND = os.environ.get("NNBOOK_FIRST_BUILD"), os.environ.get("NNBOOK_BUILT_BOOK")
pytestmark = pytest.mark.skipif(not (FIRST and SECOND), reason="needs two builds: make test-other-cpu")


def relative_moves(stems: set[str] | None = None) -> list[tuple[str, float]]:
    """(name, relative difference) of every numeric glued value the two builds share."""
    moves = []
    for chapter in chapters():
        if stems is not None and chapter.stem[:2] not in stems:
            continue
        a = glued_values(executed_notebook(chapter, Path(FIRST)))
        b = glued_values(executed_notebook(chapter, Path(SECOND)))
        for name, x in a.items():
            y = b.get(name)
            numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (x, y))
            if numeric and not name.endswith(TIMING_SUFFIXES):
                moves.append((f"{chapter.stem}:{name}", abs(x - y) / max(abs(x), abs(y), 1e-12)))
    return moves


def test_chapters_1_and_2_agree_to_the_last_digits():
    moves = relative_moves({"01", "02"})
    assert moves, "no glued numbers compared"
    worst = max(moves, key=lambda m: m[1])
    assert worst[1] < 1e-4, f"{worst[0]} moved by a relative {worst[1]:.2g} under the other kernels"


def test_most_numbers_agree_to_three_digits():
    moves = relative_moves()
    close = sum(rel < 1e-3 for _, rel in moves)
    assert close >= 0.8 * len(moves), f"only {close} of {len(moves)} glued numbers agree to a relative 1e-3"
