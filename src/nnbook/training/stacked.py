"""Many copies of one architecture as one module: the seed ensembles of ``fit_seeds``.

``StackedModels`` stacks the parameters of N models (``torch.func.stack_module_state``) into
tensors with a leading seed axis and runs all N on the same input in one call, giving predictions
of shape (N, n, outputs). Because each seed's weights only meet its own inputs, the gradient of
the sum of the seeds' losses is, for every seed, exactly its own gradient: the ordinary training
loop trains N independent models at once.

>>> from nnbook.models import mlp
>>> stack = StackedModels([mlp([2, 4, 1]) for _ in range(3)])
>>> stack(torch.zeros(5, 2)).shape
torch.Size([3, 5, 1])
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence

import torch
from torch import nn
from torch.func import functional_call, stack_module_state, vmap

from nnbook.models.mlp import ACTIVATIONS, is_plain

_SAME_EVERY_NUMBER = tuple(cls for cls in ACTIVATIONS.values() if cls is not nn.PReLU) + (nn.Identity,)


class StackedModels(nn.Module):
    """N models of one architecture, trained and run together; ``model(i)`` gives back the ``i``-th.

    A plain MLP (``nn.Sequential`` of ``Linear`` layers and the activations of
    :data:`nnbook.models.ACTIVATIONS`) runs as one batched matrix product per layer
    (``torch.baddbmm``), about twice as fast as the general route, ``torch.func.vmap`` over
    ``functional_call``, which any other model takes. Dropout works (each seed draws its own
    mask); layers that update statistics while training (batch norm) cannot be stacked.

    >>> stack = StackedModels([nn.Linear(1, 1), nn.Linear(1, 1)])
    >>> isinstance(stack.model(1), nn.Linear)
    True
    """

    def __init__(self, models: Sequence[nn.Module]) -> None:
        super().__init__()
        models = list(models)
        if not models:
            raise ValueError("StackedModels needs at least one model.")
        kinds = {type(m) for m in models}
        if len(kinds) > 1:
            raise TypeError(f"all models must share one architecture, got {sorted(k.__name__ for k in kinds)}.")
        norms = [type(m).__name__ for m in models[0].modules() if getattr(m, "running_mean", None) is not None]
        if norms:
            raise TypeError(
                f"the model contains {norms[0]}, which updates running statistics while training; seeds trained "
                "together (torch.func.vmap) cannot do that. Train the seeds one by one with "
                "fit_sequential(make_model, seeds, train, valid, epochs=…, lr=…) instead."
            )
        first = {name: tuple(p.shape) for name, p in models[0].named_parameters()}
        for i, m in enumerate(models[1:], start=1):
            shapes = {name: tuple(p.shape) for name, p in m.named_parameters()}
            if shapes != first:
                raise TypeError(
                    f"all models must share one architecture, but model {i} has other layers or sizes than model 0 "
                    f"({shapes} against {first}). make_model must build the same layout every time, for example "
                    "lambda: mlp([2, 32, 1])."
                )
        params, buffers = stack_module_state(models)
        self.names = list(params)
        self.buffer_names = list(buffers)
        for i, tensor in enumerate(params.values()):
            self.register_parameter(f"p{i}", nn.Parameter(tensor.detach()))
        for i, tensor in enumerate(buffers.values()):
            self.register_buffer(f"b{i}", tensor)
        self.n_models = len(models)
        base = copy.deepcopy(models[0]).to("meta")
        object.__setattr__(self, "base", base)  # outside the module tree: its meta tensors are never trained
        object.__setattr__(self, "probe", models[0])  # an ordinary model, for the input checks
        self._forward = self._batched_forward()

    def stacked_params(self) -> dict[str, torch.Tensor]:
        """The stacked parameters by their names in one model (``hidden1.weight`` → shape (N, …))."""
        own = self._parameters
        return {name: own[f"p{i}"] for i, name in enumerate(self.names)}

    def stacked_buffers(self) -> dict[str, torch.Tensor]:
        """The stacked buffers by their names in one model."""
        own = self._buffers
        return {name: own[f"b{i}"] for i, name in enumerate(self.buffer_names)}

    def train(self, mode: bool = True) -> StackedModels:
        super().train(mode)
        self.base.train(mode)
        return self

    def plain(self) -> bool:
        """Whether the stacked architecture behaves the same in training and evaluation mode."""
        return is_plain(self.base)

    def _batched_forward(self) -> Callable:
        layers = list(self.base.named_children()) if isinstance(self.base, nn.Sequential) else []
        if layers and all(isinstance(m, (nn.Linear, nn.PReLU, *_SAME_EVERY_NUMBER)) for _, m in layers):
            return self._stacked_mlp_forward(layers)
        base = self.base

        def forward(params: dict, buffers: dict, x: torch.Tensor) -> torch.Tensor:
            return functional_call(base, (params, buffers), (x,))

        return vmap(forward, in_dims=(0, 0, None), randomness="different")

    @staticmethod
    def _stacked_mlp_forward(layers: list[tuple[str, nn.Module]]) -> Callable:
        def forward(params: dict, buffers: dict, x: torch.Tensor) -> torch.Tensor:
            n_models = next(iter(params.values())).shape[0]
            h = x.expand(n_models, *x.shape)
            for name, layer in layers:
                if isinstance(layer, nn.Linear):
                    weight = params[f"{name}.weight"].transpose(1, 2)  # (N, in, out)
                    bias = params.get(f"{name}.bias")
                    h = torch.bmm(h, weight) if bias is None else torch.baddbmm(bias.unsqueeze(1), h, weight)
                elif isinstance(layer, nn.PReLU):
                    slope = params[f"{name}.weight"].unsqueeze(1)  # (N, 1, 1 or width)
                    h = torch.where(h >= 0, h, slope * h)
                else:
                    h = layer(h)
            return h

        return forward

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Every model's output for ``x``: shape (N, n, outputs)."""
        return self._forward(self.stacked_params(), self.stacked_buffers(), x)

    def model(self, i: int) -> nn.Module:
        """An ordinary ``nn.Module`` holding a copy of the ``i``-th model's weights (on the CPU).

        >>> StackedModels([nn.Linear(2, 1)] * 2).model(0).in_features
        2
        """
        if isinstance(i, bool) or not isinstance(i, int) and not hasattr(i, "__index__"):
            raise TypeError(f"i must be a whole number, got {i!r}.")
        i = int(i)
        if not -self.n_models <= i < self.n_models:
            raise IndexError(f"there are {self.n_models} models, so i must lie in 0..{self.n_models - 1}; got {i}.")
        model = copy.deepcopy(self.base)
        state = {k: v[i].detach().cpu().clone() for k, v in {**self.stacked_params(), **self.stacked_buffers()}.items()}
        model.load_state_dict(state, assign=True)
        return model.train(self.training)
