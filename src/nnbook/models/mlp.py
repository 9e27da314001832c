"""Multi-layer perceptrons from a layout list such as ``[1, 10, 10, 10, 1]``.

>>> model = mlp([2, 8, 1], activation="tanh")
>>> [name for name, _ in model.named_children()]
['hidden1', 'act1', 'output']
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from numbers import Integral

from torch import nn

#: The activations :func:`mlp` accepts by name, each mapped to its ``torch.nn`` module class.
ACTIVATIONS: dict[str, type[nn.Module]] = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "leaky_relu": nn.LeakyReLU,
    "prelu": nn.PReLU,
    "gelu": nn.GELU,
}

#: Layers that compute the same thing in training and in evaluation mode, and that a stack of
#: seeds runs as batched matrix products: the linear layer, every activation above, and the
#: containers :func:`mlp` builds. One table for :func:`mlp`, the mode check of the training loop
#: and the seed ensembles.
PLAIN_LAYERS: tuple[type[nn.Module], ...] = (nn.Sequential, nn.Linear, nn.Identity, *ACTIVATIONS.values())


def activation_name(layer: nn.Module) -> str | None:
    """The name :func:`mlp` uses for ``layer``'s activation, or None if it is not one of :data:`ACTIVATIONS`.

    >>> activation_name(nn.Tanh())
    'tanh'
    """
    return next((name for name, cls in ACTIVATIONS.items() if type(layer) is cls), None)


def is_plain(model: nn.Module) -> bool:
    """Whether every layer of ``model`` is in :data:`PLAIN_LAYERS` (no dropout, no batch norm, …).

    >>> is_plain(mlp([1, 5, 1])), is_plain(nn.Sequential(nn.Linear(1, 5), nn.Dropout(0.2)))
    (True, False)
    """
    return all(isinstance(m, PLAIN_LAYERS) for m in model.modules())


def mlp_layout(model: nn.Module) -> tuple[list[int], str | None] | None:
    """``(layout, activation)`` if ``model`` has exactly the structure :func:`mlp` builds, else None.

    >>> mlp_layout(mlp([3, 8, 2], "tanh"))
    ([3, 8, 2], 'tanh')
    """
    if not isinstance(model, nn.Sequential):
        return None
    names = [name for name, _ in model.named_children()]
    linears = [m for name, m in model.named_children() if name.startswith("hidden") or name == "output"]
    if not linears or names[-1] != "output" or not all(isinstance(m, nn.Linear) for m in linears):
        return None
    acts = [m for name, m in model.named_children() if name.startswith("act")]
    kinds = {activation_name(m) for m in acts}
    if None in kinds or len(kinds) > 1 or (acts and len(acts) != len(linears) - 1):
        return None
    layout = [linears[0].in_features] + [m.out_features for m in linears]
    activation = kinds.pop() if kinds else None
    rebuilt = mlp(layout, activation)
    if [n for n, _ in rebuilt.named_children()] != names:
        return None
    return layout, activation


def mlp(layout: Sequence[int], activation: str | None = "relu") -> nn.Sequential:
    """Build ``Linear → activation → … → Linear`` with one ``Linear`` per step of ``layout``.

    ``layout`` lists the widths: ``[1, 50, 1]`` is one input, one hidden layer of 50 units and one
    output. Layers are named ``hidden1, act1, hidden2, act2, …, output``. ``activation=None``
    stacks the linear layers with nothing in between (which, as chapter 3 shows, is still a line).

    >>> mlp([1, 50, 1], activation=None)
    Sequential(
      (hidden1): Linear(in_features=1, out_features=50, bias=True)
      (output): Linear(in_features=50, out_features=1, bias=True)
    )
    """
    if isinstance(layout, (str, bytes)) or not isinstance(layout, Sequence):
        raise TypeError(f"layout must be a list of layer widths such as [1, 50, 1], got {layout!r}.")
    if len(layout) < 2:
        raise ValueError(
            f"layout needs at least two widths, the inputs and the outputs, got {list(layout)}. "
            "For a line use [1, 1]; for one hidden layer of 50 units use [1, 50, 1]."
        )
    for i, width in enumerate(layout):
        if isinstance(width, bool) or not isinstance(width, Integral):
            raise TypeError(f"layout[{i}] = {width!r} is not a whole number; every width must be an int such as 10.")
        if width < 1:
            raise ValueError(f"layout[{i}] = {width}: every layer needs at least one unit. Got layout {list(layout)}.")
    if activation is not None and activation not in ACTIVATIONS:
        raise ValueError(
            f"unknown activation {activation!r}. Choose one of {sorted(ACTIVATIONS)}, or None for no activation."
        )
    layers: OrderedDict[str, nn.Module] = OrderedDict()
    n_hidden = len(layout) - 2
    for i, (n_in, n_out) in enumerate(zip(layout[:-1], layout[1:], strict=True), start=1):
        if i <= n_hidden:
            layers[f"hidden{i}"] = nn.Linear(int(n_in), int(n_out))
            if activation is not None:
                layers[f"act{i}"] = ACTIVATIONS[activation]()
        else:
            layers["output"] = nn.Linear(int(n_in), int(n_out))
    return nn.Sequential(layers)
