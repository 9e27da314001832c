"""Saving and loading models (nnbook.models.io): a failed save keeps the file that was there."""

from __future__ import annotations

import os
import stat

import pytest
import torch
from workloads import regression3

from nnbook.models import Rescaled, load, mlp, save
from nnbook.training import fit, predict


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


def test_save_and_load_an_mlp_and_a_rescaled_model(tmp_path):
    x, y = regression3()
    model = mlp([3, 6, 6, 1], "leaky_relu")
    fit(model, (x, y), epochs=2, lr=0.01, progress=False)
    save(model, tmp_path / "m.pt")
    assert torch.equal(predict(load(tmp_path / "m.pt"), x), predict(model, x))
    wrapped = Rescaled(mlp([3, 4, 1], "tanh"), x.mean(0), x.std(0), y.mean(), y.std())
    save(wrapped, str(tmp_path / "r.pt"))
    back = load(tmp_path / "r.pt")
    assert isinstance(back, Rescaled) and torch.allclose(predict(back, x), predict(wrapped, x))
    assert torch.load(tmp_path / "r.pt", weights_only=True)["format"] == "nnbook-model-1"


def test_save_refuses_to_write_over_a_file_that_is_not_a_model(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes", encoding="utf-8")
    weights = tmp_path / "weights.pt"  # a zip archive too, but not written by save
    torch.save(mlp([1, 4, 1]).state_dict(), weights)
    for path in (notes, weights):
        before = path.read_bytes()
        with pytest.raises(FileExistsError, match="already exists and is not a model file.*another file name"):
            save(mlp([1, 4, 1]), path)
        assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "weights.pt"]


@pytest.mark.skipif(os.name != "posix", reason="file modes and umask are POSIX")
def test_save_gives_the_file_normal_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        new = tmp_path / "new.pt"
        save(mlp([1, 4, 1]), new)
        assert stat.S_IMODE(new.stat().st_mode) == 0o644
        new.chmod(0o640)
        save(mlp([1, 8, 1]), new)
        assert stat.S_IMODE(new.stat().st_mode) == 0o640, "replacing a model file keeps its permissions"
    finally:
        os.umask(umask)


@pytest.mark.skipif(os.name != "posix", reason="symbolic links need special rights on Windows")
def test_save_through_a_symlink_writes_its_target(tmp_path):
    target = tmp_path / "models" / "current.pt"
    target.parent.mkdir()
    save(mlp([1, 4, 1]), target)
    link = tmp_path / "model.pt"
    link.symlink_to(target)
    save(mlp([1, 8, 1]), link)
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert load(target)[0].out_features == 8
