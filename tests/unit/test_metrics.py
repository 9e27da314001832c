"""Metrics (nnbook.training.metrics): accuracy on logits, probabilities and labels."""

from __future__ import annotations

import math

import pytest
import torch

from nnbook.training import (
    accuracy,
)


def test_accuracy_on_logits_probabilities_and_labels_agrees():
    logits = torch.tensor([[2.0, 0.0, -1.0], [0.0, 3.0, 0.0], [0.0, 0.0, 1.0], [1.0, 2.0, 0.0]])
    target = torch.tensor([0, 1, 2, 0])
    assert float(accuracy(logits, target)) == 0.75
    assert float(accuracy(torch.softmax(logits, 1), target, kind="probabilities")) == 0.75
    assert float(accuracy(logits.argmax(1), target, kind="labels")) == 0.75
    binary = torch.tensor([[1.5], [-0.5], [0.2]])
    assert float(accuracy(binary, torch.tensor([[1.0], [0.0], [0.0]]))) == pytest.approx(2 / 3)
    assert float(accuracy(torch.sigmoid(binary), torch.tensor([1, 0, 0]), kind="probabilities")) == pytest.approx(2 / 3)


def test_accuracy_of_scores_that_are_no_numbers_is_nan_and_a_nan_label_is_refused():
    assert math.isnan(float(accuracy(torch.tensor([[float("nan")], [2.0]]), torch.tensor([0, 1]))))
    with pytest.raises(ValueError, match=r"target contains 1 NaN or infinite value\(s\), first in row 1"):
        accuracy(torch.tensor([[1.0], [2.0]]), torch.tensor([0.0, float("nan")]))
