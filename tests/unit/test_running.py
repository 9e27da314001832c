"""Running a model (nnbook.models.running): evaluation mode restored layer by layer, and what outputs mean."""

from __future__ import annotations

import torch
from torch import nn

from nnbook.analysis import hidden_features
from nnbook.models import mlp
from nnbook.models.running import output_kind, run_model
from nnbook.training import accuracy, evaluate, fit, predict

X = torch.linspace(-1, 1, 40)[:, None]
LABELS = (X > 0).float()


def sigmoid_classifier() -> nn.Module:
    """A fixed classifier that ends in a Sigmoid: its outputs are probabilities, all of them right."""
    linear = nn.Linear(1, 1)
    with torch.no_grad():
        linear.weight.fill_(20.0)
        linear.bias.fill_(0.0)
    return nn.Sequential(linear, nn.Sigmoid())


def test_a_final_sigmoid_or_softmax_is_detected():
    assert output_kind(sigmoid_classifier()) == "probabilities"
    assert output_kind(nn.Sequential(mlp([2, 3, 4]), nn.Softmax(dim=1))) == "probabilities"
    assert output_kind(mlp([1, 4, 1])) is None


def test_probabilities_of_a_sigmoid_model_are_read_as_probabilities_everywhere():
    model = sigmoid_classifier()
    assert torch.equal(predict(model, X, output="labels"), LABELS[:, 0].long())
    assert evaluate(model, (X, LABELS), ["accuracy"]) == {"accuracy": 1.0}
    probabilities = predict(model, X, output="probabilities")
    assert float(accuracy(probabilities, LABELS, kind="probabilities")) == 1.0


def test_fit_reads_the_accuracy_of_a_sigmoid_model_as_probabilities():
    model = sigmoid_classifier()
    history = fit(model, (X, LABELS), epochs=1, lr=1e-9, optimizer="sgd", metrics=["accuracy"], progress=False)
    assert history.last["accuracy"] == 1.0


def test_labels_of_whole_numbers_are_recognised():
    assert float(accuracy(torch.tensor([0, 1, 2, 2]), torch.tensor([0, 1, 2, 1]))) == 0.75


def test_evaluation_mode_is_restored_layer_by_layer():
    model = nn.Sequential(nn.Linear(1, 8), nn.ReLU(), nn.Dropout(0.5), nn.Linear(8, 1))
    model.eval()
    hidden_features(model, X)
    assert not any(m.training for m in model.modules()), "an eval-mode model must stay in eval mode"
    first = model(X)
    assert torch.equal(first, model(X)), "dropout must stay off after the analysis"
    model.train()
    model[2].eval()
    run_model(model, X)
    assert model.training and not model[2].training
