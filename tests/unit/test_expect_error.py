"""``expect_error`` lets a chapter show an error on purpose without stopping the chapter's script."""

from __future__ import annotations

import pytest

from nnbook import expect_error


def test_expected_error_is_printed_and_swallowed_in_a_script(capsys):
    with expect_error(RuntimeError):
        raise RuntimeError("shapes cannot be multiplied (1x2 and 100x2)")
    assert capsys.readouterr().out == "expected error: RuntimeError: shapes cannot be multiplied (1x2 and 100x2)\n"


def test_block_without_error_is_a_mistake():
    with pytest.raises(AssertionError, match="expected to raise RuntimeError"):
        with expect_error(RuntimeError):
            pass


def test_a_different_error_goes_through():
    with pytest.raises(KeyError):
        with expect_error(RuntimeError):
            raise KeyError("x")
