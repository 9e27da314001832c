"""A linear layer written from scratch: a weight matrix, a bias, and one line of forward pass.

This is what ``torch.nn.Linear`` does, without the machinery, so every parameter is in plain sight.

>>> import torch
>>> layer = Linear(torch.tensor([[2.0]]), torch.tensor([1.0]))
>>> layer(torch.tensor([[3.0]]))
tensor([[7.]], grad_fn=<AddBackward0>)
"""

from __future__ import annotations

import torch

from nnbook._arrays import check_array
from nnbook._options import Whole

WIDTH = Whole(1, hint="It counts inputs or outputs, for example Linear.zeros(2, 1).")


def _numbers(t: object, name: str) -> torch.Tensor:
    return check_array(t, name, shape="any")


class Linear:
    """``y = x @ weights + bias`` with ``weights`` of shape (in, out) and ``bias`` of shape (out,).

    Both parameters track gradients, so ``loss.backward()`` fills ``layer.weights.grad``.

    >>> layer = Linear.zeros(1, 1)
    >>> layer.weights.shape, layer.bias.shape
    (torch.Size([1, 1]), torch.Size([1]))
    """

    def __init__(self, weights: torch.Tensor, bias: torch.Tensor | None = None) -> None:
        weights = _numbers(weights, "weights")
        if weights.dim() != 2:
            raise ValueError(
                f"weights must be a matrix of shape (inputs, outputs), got shape {tuple(weights.shape)}. "
                "For one input and one output use torch.tensor([[0.0]])."
            )
        self.weights = weights.detach().clone().requires_grad_(True)
        self.bias = None if bias is None else _numbers(bias, "bias").detach().clone().requires_grad_(True)
        if self.bias is not None and self.bias.shape != (weights.shape[1],):
            raise ValueError(
                f"bias must have one entry per output, shape ({weights.shape[1]},), got {tuple(self.bias.shape)}."
            )

    @classmethod
    def zeros(cls, n_in: int, n_out: int, bias: bool = True) -> Linear:
        """A layer whose weights (and bias) start at zero.

        >>> Linear.zeros(2, 1).forward(torch.tensor([[3.0, 4.0]])).tolist()  # every output starts at 0
        [[0.0]]
        """
        n_in, n_out = WIDTH(n_in, "n_in"), WIDTH(n_out, "n_out")
        return cls(torch.zeros(n_in, n_out), torch.zeros(n_out) if bias else None)

    def parameters(self) -> list[torch.Tensor]:
        """The tensors that gradient descent updates.

        >>> len(Linear.zeros(1, 1).parameters())
        2
        """
        return [self.weights] + ([] if self.bias is None else [self.bias])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Compute ``x @ weights + bias``; ``x`` must have shape (n, inputs) and the weights' dtype, float32.

        >>> Linear.zeros(2, 1).forward(torch.ones(4, 2)).shape
        torch.Size([4, 1])
        """
        if not isinstance(x, torch.Tensor):
            raise TypeError(
                f"x must be a torch tensor of shape (n, {self.weights.shape[0]}), got {type(x).__name__}. "
                "Convert it with torch.tensor(x, dtype=torch.float32)."
            )
        if x.dtype != self.weights.dtype:
            what = (
                f"the layer's weights are {self.weights.dtype}"
                if x.is_floating_point()
                else "the layer computes with floats"
            )
            raise TypeError(f"x has dtype {x.dtype}, but {what}. Convert it with x.float().")
        n_in, n_out = self.weights.shape
        if x.dim() != 2 or x.shape[1] != n_in:
            if x.dim() == 1:
                hint = "A 1-D x needs the feature axis: x[:, None] or x.view(-1, 1)."
            elif x.dim() == 2 and x.shape[0] == n_in:
                hint = f"x looks transposed (one example per column): use x.T, of shape ({x.shape[1]}, {x.shape[0]})."
            elif x.dim() == 2 and x.shape[1] == n_out:
                hint = (
                    f"The weights look transposed: for {x.shape[1]} inputs and {n_in} output(s) "
                    f"use weights.T, of shape ({n_out}, {n_in})."
                )
            else:
                hint = f"Give x {n_in} column(s), or build the layer with {x.shape[-1]} input(s)."
            raise ValueError(
                f"x has shape {tuple(x.shape)}, but this layer expects (n, {n_in}): "
                f"x @ weights multiplies ({', '.join(map(str, x.shape))}) by {tuple(self.weights.shape)}, and the "
                f"inner sizes must match (the order matters too: x @ weights, not weights @ x). {hint}"
            )
        y = x @ self.weights
        return y if self.bias is None else y + self.bias

    __call__ = forward

    def __repr__(self) -> str:
        w = self.weights.detach().flatten().tolist()
        b = None if self.bias is None else self.bias.detach().flatten().tolist()
        return f"Linear(weights={w}, bias={b})"
