"""The feature analysis against a brute-force computation: real data rows, slices, deep and multi-output MLPs."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from nnbook.analysis import feature_decomposition, hidden_features, top_features  # noqa: E402
from nnbook.data import TableEncoder, standardize  # noqa: E402
from nnbook.models import Rescaled, TableModel, mlp  # noqa: E402
from nnbook.plots import plot_contributions, plot_decomposition, plot_top_features  # noqa: E402


def three_inputs() -> tuple[torch.nn.Sequential, torch.Tensor]:
    torch.manual_seed(3)
    model = mlp([3, 16, 1], activation="tanh")
    g = torch.Generator().manual_seed(0)
    x = torch.randn(300, 3, generator=g) * torch.tensor([1.0, 2.0, 0.5]) + torch.tensor([0.0, 1.0, -1.0])
    return model, x


def brute_force(model: torch.nn.Sequential, x: torch.Tensor, k: int) -> dict:
    """The decomposition written out by hand, row by row, from the raw weight matrices."""
    w1, b1 = model.hidden1.weight.detach(), model.hidden1.bias.detach()
    w2, b2 = model.output.weight.detach()[0], float(model.output.bias.detach()[0])
    h = torch.stack([torch.tanh(w1 @ row + b1) for row in x])  # (n, 16), one data row at a time
    prediction = h @ w2 + b2
    top = sorted(range(len(w2)), key=lambda i: -abs(float(w2[i])))[:k]
    reconstruction = h[:, top] @ w2[top] + b2
    explained = 1 - float((prediction - reconstruction).var() / prediction.var())
    return {"h": h, "top": top, "prediction": prediction, "reconstruction": reconstruction, "explained": explained}


@pytest.mark.parametrize("k", [1, 3, 5, 16])
def test_three_input_decomposition_matches_brute_force(k):
    model, x = three_inputs()
    d = feature_decomposition(model, x, k=k)
    ref = brute_force(model, x, k)
    assert torch.equal(d.x, x), "a multi-input decomposition must use the data rows as they are"
    assert d.indices.tolist() == ref["top"]
    assert torch.allclose(d.features, ref["h"][:, ref["top"]], atol=1e-5)
    assert torch.allclose(d.prediction, ref["prediction"], atol=1e-5)
    assert torch.allclose(d.reconstruction, ref["reconstruction"], atol=1e-5)
    assert d.explained == pytest.approx(ref["explained"], abs=1e-5)


def test_column_sorted_rows_would_give_another_answer():
    """The old mistake: sorting every column on its own makes rows that are not in the data."""
    model, x = three_inputs()
    right = feature_decomposition(model, x, k=3).explained
    wrong = brute_force(model, x.sort(dim=0).values, 3)["explained"]
    assert abs(right - wrong) > 0.01


def test_one_input_rows_are_the_data_sorted():
    torch.manual_seed(0)
    model, x = mlp([1, 6, 1]), torch.rand(50, 1)
    d = feature_decomposition(model, x, k=6)
    assert torch.equal(d.x, x.sort(dim=0).values)
    assert torch.allclose(d.reconstruction, d.prediction, atol=1e-5)


def test_slice_runs_along_one_input_with_the_others_held():
    model, x = three_inputs()
    d = feature_decomposition(model, x, k=4, along=1, at=[0.5, 0.0, -0.5], steps=50, names=["a", "b", "c"])
    assert d.x.shape == (50, 3)
    assert torch.all(d.x[:, 0] == 0.5) and torch.all(d.x[:, 2] == -0.5)
    assert d.x[:, 1].tolist() == pytest.approx(torch.linspace(float(x[:, 1].min()), float(x[:, 1].max()), 50).tolist())
    assert torch.allclose(d.prediction, model(d.x).detach()[:, 0], atol=1e-5)
    assert d.axis()[1] == "b (a = 0.5, c = -0.5)"
    assert plot_top_features(d).get_xlabel() == "b (a = 0.5, c = -0.5)"
    assert plot_decomposition(d, x, x[:, :1]).axes[-1].get_xlabel() == "b (a = 0.5, c = -0.5)"


def test_slice_holds_the_medians_by_default():
    model, x = three_inputs()
    d = feature_decomposition(model, x, k=2, along=0)
    assert torch.allclose(d.x[:, 1:], x.median(dim=0).values[1:].expand(len(d.x), 2))


def test_data_rows_of_several_inputs_cannot_be_drawn_as_curves():
    model, x = three_inputs()
    d = feature_decomposition(model, x, k=3)
    with pytest.raises(ValueError, match="along=0"):
        plot_top_features(d)
    assert len(plot_contributions(d).patches) == 3  # the per-unit contributions do work on data rows
    assert torch.allclose(d.contributions.sum(dim=1) + d.bias, d.reconstruction, atol=1e-5)


def test_deep_multi_output_model_decomposes_each_output():
    torch.manual_seed(1)
    model, x = mlp([3, 8, 6, 2]), torch.randn(40, 3)
    for output in (0, 1):
        d = feature_decomposition(model, x, k=6, output=output)
        assert torch.allclose(d.reconstruction, model(x).detach()[:, output], atol=1e-5)
    first = torch.relu(x @ model.hidden1.weight.detach().T + model.hidden1.bias.detach())
    assert torch.allclose(hidden_features(model, x, layer=1), first, atol=1e-6)
    second = torch.relu(first @ model.hidden2.weight.detach().T + model.hidden2.bias.detach())
    assert torch.allclose(hidden_features(model, x), second, atol=1e-5)
    with pytest.raises(ValueError, match="last hidden layer"):
        feature_decomposition(model, x, k=2, layer=1)
    with pytest.raises(ValueError, match="2 output"):
        top_features(model, k=2, output=2)


def test_rescaled_model_is_decomposed_in_the_data_units():
    torch.manual_seed(2)
    x = torch.randn(60, 3) * 10 + 5
    y = x.sum(dim=1, keepdim=True) * 3 + 100
    xs, mx, sx = standardize(x)
    ys, my, sy = standardize(y)
    model = Rescaled(mlp([3, 8, 1]), mx, sx, my, sy)
    d = feature_decomposition(model, x, k=8)
    assert torch.allclose(d.reconstruction, model(x).detach()[:, 0], atol=1e-3)


def test_analysis_leaves_the_training_mode_alone():
    model, x = three_inputs()
    model.train()
    feature_decomposition(model, x, k=2)
    assert model.training


def test_hidden_features_of_one_row():
    model = mlp([2, 5, 1])
    one = torch.rand(1, 2)
    assert torch.allclose(hidden_features(model, one), torch.relu(model[0](one)).detach())


def test_table_model_is_analysed_through_its_net():
    rows = pd.DataFrame({"size": [1.0, 2.0, 3.0, 4.0, 5.0], "age": [3.0, 1.0, 2.0, 5.0, 4.0]})
    rows["mass"] = 2 * rows["size"] + rows["age"]
    torch.manual_seed(4)
    model = TableModel(mlp([2, 6, 1]), TableEncoder(rows, target="mass"))
    x = model.encoder.pair(rows)[0]  # encoded rows, as model(x) takes them
    d = feature_decomposition(model, x, k=6)
    assert torch.allclose(d.reconstruction, model(x).detach()[:, 0], atol=1e-5)
    assert torch.equal(hidden_features(model, x), hidden_features(model.net, x))
    assert all(torch.equal(a, b) for a, b in zip(top_features(model, k=3), top_features(model.net, k=3), strict=True))


def test_rescaled_model_ending_in_a_sigmoid_is_told_to_drop_it():
    net = torch.nn.Sequential(torch.nn.Linear(1, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1), torch.nn.Sigmoid())
    with pytest.raises(ValueError, match=r"ends in Sigmoid.*feature_decomposition\(model.model\[:-1\], \(x - model"):
        feature_decomposition(Rescaled(net, 0.0, 1.0, 0.0, 1.0), torch.rand(5, 1))
    with pytest.raises(ValueError, match=r"ends in Sigmoid.*feature_decomposition\(model\[:-1\], x\)"):
        hidden_features(net, torch.rand(5, 1))
