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


def test_in_a_notebook_the_traceback_is_shown_and_the_cell_carries_on(monkeypatch):
    # "Run all" must not stop at a taught mistake: the kernel shows the traceback as an error output instead
    import sys
    import types

    import nnbook.display as display

    shown = []
    shell = types.SimpleNamespace(showtraceback=lambda exc_tuple: shown.append(exc_tuple))
    monkeypatch.setattr(display, "in_notebook", lambda: True)
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: shell))
    with expect_error(RuntimeError):
        raise RuntimeError("mat1 and mat2 shapes cannot be multiplied (1x2 and 100x2)")
    assert len(shown) == 1
    kind, error, traceback = shown[0]
    assert kind is RuntimeError and "1x2 and 100x2" in str(error) and traceback is not None


def test_in_a_notebook_a_different_error_still_goes_through(monkeypatch):
    import nnbook.display as display

    monkeypatch.setattr(display, "in_notebook", lambda: True)
    with pytest.raises(KeyError):
        with expect_error(RuntimeError):
            raise KeyError("x")


def test_a_script_numbers_its_files_per_name_so_none_is_overwritten(tmp_path, monkeypatch, capsys):
    import matplotlib.pyplot as plt

    import nnbook.display as display

    monkeypatch.setenv("NNBOOK_FIGURES", str(tmp_path))
    monkeypatch.setattr(display, "has_window", lambda: False)
    for _ in range(2):
        display.show(plt.subplots()[0])
    assert display.numbered_file("animation", ".gif").name == "animation-01.gif"  # its own count
    assert display.numbered_file("animation", ".gif").name == "animation-02.gif"
    assert sorted(p.name for p in tmp_path.rglob("*.png")) == ["figure-01.png", "figure-02.png"]
    assert "figure-02.png" in capsys.readouterr().out
