"""A chapter's claims: sentences that compare, rank or describe a trend, marked ``<!-- claim: name -->``.

Each marked sentence has a test ``test_claim_<name>`` (hyphens become underscores) in the chapter's test
file, so a reader of either can find the other; :func:`check_claims_are_tested` keeps the two lists equal.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARK = re.compile(r"<!-- claim: ([a-z0-9-]+) -->")


def claims_in(chapter: str) -> list[str]:
    """The claim names marked in ``book/<part>/<chapter>.md``, in page order."""
    (path,) = ROOT.glob(f"book/*/{chapter}.md")
    return MARK.findall(path.read_text(encoding="utf-8"))


def check_claims_are_tested(chapter: str, namespace: dict) -> None:
    """Every claim marked in the chapter has a ``test_claim_…`` in ``namespace``, and every such test a claim."""
    marked = claims_in(chapter)
    assert len(marked) == len(set(marked)), f"a claim name is used twice in {chapter}: {sorted(marked)}"
    tested = {
        name.removeprefix("test_claim_").replace("_", "-") for name in namespace if name.startswith("test_claim_")
    }
    assert set(marked) - tested == set(), f"claims in {chapter}.md without a test: {sorted(set(marked) - tested)}"
    assert tested - set(marked) == set(), (
        f"claim tests whose claim is not marked in {chapter}.md: {sorted(tested - set(marked))}"
    )
