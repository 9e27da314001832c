"""Metrics (nnbook.training.metrics): accuracy on logits, probabilities and labels."""

from __future__ import annotations

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
