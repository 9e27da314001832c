"""Saving and loading models (nnbook.models.io): a failed save keeps the file that was there."""

from __future__ import annotations

import pytest
import torch

from nnbook.models import load, mlp, save


def test_a_save_that_fails_half_way_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "model.pt"
    good = mlp([1, 4, 1])
    save(good, path)
    before = path.read_bytes()

    def disk_full(obj, file, *args, **kwargs):
        file.write(b"half a model")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(torch, "save", disk_full)
    with pytest.raises(OSError, match="No space left"):
        save(mlp([1, 8, 1]), path)
    assert path.read_bytes() == before, "the good file must survive a failed save"
    assert [p.name for p in tmp_path.iterdir()] == ["model.pt"], "no temporary file may be left behind"
    monkeypatch.undo()
    x = torch.rand(5, 1)
    assert torch.equal(load(path)(x), good(x))


def test_a_save_replaces_the_old_file(tmp_path):
    path = tmp_path / "model.pt"
    save(mlp([1, 4, 1]), path)
    save(mlp([1, 8, 1]), path)
    assert load(path)[0].out_features == 8
