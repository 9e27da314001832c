"""Saving and loading models (nnbook.models.io): a failed save keeps the file that was there."""

from __future__ import annotations

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
