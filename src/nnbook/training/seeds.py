"""Training many seeds of one model at once, as a single vectorised model.

One run tells little: a different random initialisation can land somewhere else. ``fit_seeds``
builds one model per seed, stacks their parameters (``torch.func.stack_module_state``) and
trains all of them together with ``torch.func.vmap``: every optimizer step updates every seed.
Since the loss is the sum of the seeds' own losses, each seed receives exactly its own gradient,
and Adam, AdamW and SGD update every number independently, so the seeds do not interact.

>>> from nnbook.data import xor
>>> from nnbook.models import mlp
>>> run = fit_seeds(lambda: mlp([2, 4, 1], "tanh"), range(3), xor(), epochs=5, lr=0.05)
>>> run.final_train_loss.shape
torch.Size([3])
"""

from __future__ import annotations

import copy
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import torch
from torch import nn
from torch.func import functional_call, stack_module_state, vmap

from nnbook._checks import check_positive_int, check_seed
from nnbook.training.learner import Data, _check_model_fits, _check_pair
from nnbook.training.optimizers import OptimizerSpec, make_optimizer, make_schedule

_PER_ELEMENT_LOSSES = {
    "mse": lambda p, y: (p - y) ** 2,
    "mae": lambda p, y: (p - y).abs(),
    "bce": lambda p, y: nn.functional.binary_cross_entropy_with_logits(p, y.expand_as(p), reduction="none"),
}


@dataclass
class SeedEnsemble:
    """The result of :func:`fit_seeds`: N trained copies of one architecture, one per seed.

    ``train_loss`` and ``valid_loss`` are (epochs, N) tensors; ``seconds`` is the training time.

    >>> from nnbook.models import mlp
    >>> run = fit_seeds(lambda: mlp([1, 1]), [0, 1], (torch.rand(8, 1), torch.rand(8, 1)), epochs=2, lr=0.1)
    >>> run.predict(torch.zeros(5, 1)).shape
    torch.Size([2, 5, 1])
    """

    seeds: list[int]
    base: nn.Module
    params: dict[str, torch.Tensor]
    buffers: dict[str, torch.Tensor]
    train_loss: torch.Tensor
    valid_loss: torch.Tensor | None = None
    seconds: float = 0.0
    lrs: list[float] = field(default_factory=list)

    def predict(self, x: torch.Tensor) -> torch.Tensor:
        """Every seed's prediction for ``x``: shape (N, n, outputs).

        >>> run = fit_seeds(lambda: nn.Linear(1, 1), [0], (torch.rand(4, 1), torch.rand(4, 1)), epochs=1, lr=0.1)
        >>> run.predict(torch.ones(3, 1)).shape
        torch.Size([1, 3, 1])
        """
        with torch.no_grad():
            return _batched_forward(self.base)(self.params, self.buffers, x)

    def model(self, i: int) -> nn.Module:
        """An ordinary ``nn.Module`` holding the weights of the ``i``-th seed.

        >>> run = fit_seeds(lambda: nn.Linear(1, 1), [0, 1], (torch.rand(4, 1), torch.rand(4, 1)), epochs=1, lr=0.1)
        >>> isinstance(run.model(1), nn.Linear)
        True
        """
        if not -len(self.seeds) <= i < len(self.seeds):
            raise IndexError(f"there are {len(self.seeds)} seeds, so i must lie in 0..{len(self.seeds) - 1}; got {i}.")
        model = copy.deepcopy(self.base)
        state = {k: v[i].detach().clone() for k, v in {**self.params, **self.buffers}.items()}
        model.load_state_dict(state, assign=True)
        return model

    @property
    def final_train_loss(self) -> torch.Tensor:
        """Each seed's training loss in the last epoch, shape (N,)."""
        return self.train_loss[-1]

    @property
    def final_valid_loss(self) -> torch.Tensor:
        """Each seed's validation loss in the last epoch, shape (N,)."""
        if self.valid_loss is None:
            raise ValueError("this run had no validation set; pass valid=(x, y) to fit_seeds.")
        return self.valid_loss[-1]

    def evaluate(
        self, metric: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], x: torch.Tensor, y: torch.Tensor
    ) -> torch.Tensor:
        """Apply ``metric(pred, y)`` to every seed's predictions; shape (N,).

        >>> from nnbook.training.metrics import mse
        >>> run = fit_seeds(lambda: nn.Linear(1, 1), [0, 1], (torch.rand(4, 1), torch.rand(4, 1)), epochs=1, lr=0.1)
        >>> run.evaluate(mse, torch.rand(4, 1), torch.rand(4, 1)).shape
        torch.Size([2])
        """
        pred = self.predict(x)
        return torch.stack([metric(p, y) for p in pred])


# Layers that act on each number separately: they work unchanged on a stack of N batches.
_ELEMENTWISE = (nn.ReLU, nn.Tanh, nn.Sigmoid, nn.LeakyReLU, nn.GELU, nn.Identity)


def _batched_forward(base: nn.Module) -> Callable:
    """A function ``(params, buffers, x) -> (N, n, outputs)`` running all N stacked models on ``x``.

    A plain MLP (``nn.Sequential`` of ``Linear`` layers and activations) runs as one batched
    matrix product per layer (``torch.baddbmm``): about twice as fast as the general route,
    ``torch.func.vmap`` over ``functional_call``, which any other model takes.
    """
    layers = list(base.named_children()) if isinstance(base, nn.Sequential) else []
    if layers and all(isinstance(m, (nn.Linear, nn.PReLU, *_ELEMENTWISE)) for _, m in layers):
        return _stacked_mlp_forward(layers)

    def forward(params: dict, buffers: dict, x: torch.Tensor) -> torch.Tensor:
        return functional_call(base, (params, buffers), (x,))

    return vmap(forward, in_dims=(0, 0, None))


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


def fit_seeds(
    make_model: Callable[[], nn.Module],
    seeds: Iterable[int],
    train: Data,
    valid: Data | None = None,
    *,
    epochs: int,
    lr: float,
    loss: str = "mse",
    optimizer: OptimizerSpec = "adam",
    schedule: str = "constant",
    weight_decay: float = 0.0,
    momentum: float = 0.0,
    batch_size: int | None = None,
    shuffle_seed: int = 0,
) -> SeedEnsemble:
    """Train one model per seed, all at once; the model for seed ``s`` is built after ``torch.manual_seed(s)``.

    Every seed sees the same batches in the same order, so the seeds differ only in their
    initial weights. ``train`` and ``valid`` are ``(x, y)`` tensor pairs. ``loss`` is "mse", "mae" or "bce".

    >>> from nnbook.models import mlp
    >>> run = fit_seeds(lambda: mlp([1, 8, 1]), range(4), (torch.rand(20, 1), torch.rand(20, 1)), epochs=3, lr=0.01)
    >>> run.train_loss.shape
    torch.Size([3, 4])
    """
    if isinstance(make_model, nn.Module) or not callable(make_model):
        raise TypeError(
            f"make_model must be a function that builds a fresh model, got {type(make_model).__name__}. "
            "Wrap the model in a lambda, for example fit_seeds(lambda: mlp([1, 50, 1]), range(8), ...)."
        )
    seeds = [check_seed(s) for s in seeds]
    if not seeds:
        raise ValueError("seeds is empty: pass at least one seed, for example range(8).")
    epochs = check_positive_int(epochs, "epochs", " One epoch is one pass over the training data; try epochs=30.")
    if loss not in _PER_ELEMENT_LOSSES:
        raise ValueError(f"fit_seeds supports the losses {sorted(_PER_ELEMENT_LOSSES)}, got {loss!r}.")
    x, y = _check_pair(train, "train")
    xv, yv = _check_pair(valid, "valid") if valid is not None else (None, None)
    models = []
    for s in seeds:
        torch.manual_seed(s)
        models.append(make_model())
    _check_model_fits(models[0], x, y, loss, "train")
    params, buffers = stack_module_state(models)
    base = copy.deepcopy(models[0]).to("meta")
    forward = _batched_forward(base)
    per_element = _PER_ELEMENT_LOSSES[loss]
    n = x.shape[0]
    bs = n if batch_size is None else check_positive_int(batch_size, "batch_size", " Use None for full-batch training.")
    if bs > n:
        warnings.warn(f"batch_size={bs} is larger than the {n} training rows; using full batches of {n}.", stacklevel=2)
        bs = n
    steps = -(-n // bs)
    opt = make_optimizer(optimizer, params.values(), lr, weight_decay, momentum)
    sched = make_schedule(schedule, opt, lr, epochs * steps)
    generator = torch.Generator().manual_seed(shuffle_seed)
    train_loss = torch.empty(epochs, len(seeds))
    valid_loss = torch.empty(epochs, len(seeds)) if xv is not None else None
    lrs: list[float] = []
    start = time.perf_counter()
    for epoch in range(epochs):
        order = torch.randperm(n, generator=generator) if bs < n else None
        total = torch.zeros(len(seeds))
        for i in range(steps):
            idx = None if order is None else order[i * bs : (i + 1) * bs]
            xb, yb = (x, y) if idx is None else (x[idx], y[idx])
            per_seed = per_element(forward(params, buffers, xb), yb).mean(dim=(1, 2))
            opt.zero_grad(set_to_none=True)
            per_seed.sum().backward()
            opt.step()
            if sched is not None:
                lrs.append(opt.param_groups[0]["lr"])
                sched.step()
            total += per_seed.detach() * len(xb)
        train_loss[epoch] = total / n
        if xv is not None:
            with torch.no_grad():
                valid_loss[epoch] = per_element(forward(params, buffers, xv), yv).mean(dim=(1, 2))
    seconds = time.perf_counter() - start
    if not torch.isfinite(train_loss[-1]).all():
        bad = [s for s, v in zip(seeds, train_loss[-1], strict=True) if not torch.isfinite(v)]
        raise FloatingPointError(
            f"the loss became NaN or infinite for seeds {bad} with lr={lr:g}. Try a smaller learning rate, such as lr={lr / 10:g}."
        )
    params = {k: v.detach() for k, v in params.items()}
    return SeedEnsemble(seeds, base, params, buffers, train_loss, valid_loss, seconds, lrs)


@dataclass
class SequentialRuns:
    """The result of :func:`fit_sequential`: one ordinary ``fit`` per seed, run one after the other.

    ``final_valid_loss`` has shape (N,) like :attr:`SeedEnsemble.final_valid_loss`; ``seconds`` is the total time.

    >>> data = (torch.rand(8, 1), torch.rand(8, 1))
    >>> runs = fit_sequential(lambda: nn.Linear(1, 1), [0, 1], data, data, epochs=2, lr=0.1)
    >>> runs.final_valid_loss.shape
    torch.Size([2])
    """

    seeds: list[int]
    models: list[nn.Module]
    histories: list
    seconds: float

    @property
    def final_valid_loss(self) -> torch.Tensor:
        """Each seed's validation loss in the last epoch, shape (N,)."""
        return torch.tensor([h.last["valid_loss"] for h in self.histories])


def fit_sequential(
    make_model: Callable[[], nn.Module], seeds: Iterable[int], train: Data, valid: Data, *, epochs: int, **options
) -> SequentialRuns:
    """Train one model per seed with :func:`~nnbook.training.fit`, one after the other, and time the loop.

    The same recipe as :func:`fit_seeds` (the model for seed ``s`` is built after ``torch.manual_seed(s)``,
    the batches come in the same order), so the two give the same numbers, and comparing their
    ``seconds`` shows what vectorising the seeds buys. ``options`` go to ``fit`` (``lr``, ``optimizer`` …).

    >>> from nnbook.models import mlp
    >>> data = (torch.rand(20, 1), torch.rand(20, 1))
    >>> runs = fit_sequential(lambda: mlp([1, 4, 1]), range(2), data, data, epochs=2, lr=0.01)
    >>> runs.final_valid_loss.shape, runs.seconds > 0
    (torch.Size([2]), True)
    """
    from nnbook.training.learner import fit

    seeds = [check_seed(s) for s in seeds]
    if not seeds:
        raise ValueError("seeds is empty: pass at least one seed, for example range(8).")
    if valid is None:
        raise ValueError("fit_sequential compares validation losses, so it needs valid=(x_valid, y_valid).")
    options = {"progress": False, **options}
    models, histories = [], []
    start = time.perf_counter()
    for s in seeds:
        torch.manual_seed(s)
        model = make_model()
        histories.append(fit(model, train, valid, epochs=epochs, **options))
        models.append(model)
    return SequentialRuns(seeds, models, histories, time.perf_counter() - start)
