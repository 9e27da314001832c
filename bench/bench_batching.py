"""Benchmark 2: fit() on in-memory tensors against training through a DataLoader over a TensorDataset.

Workload (the MLP chapter): ``cubic_sine_points()`` (100 points, noise N(0, 10²)), ``mlp([1, 10, 10, 10, 1])``
with ReLU, MSE, Adam, batch 25 (4 steps per epoch), shuffled every epoch. Three comparisons:

A. the same training step for step (same model, optimizer, lr 1e-4, batch 25, epochs): ``fit`` slicing
   in-memory tensors, a hand loop over ``DataLoader(TensorDataset(x, y), batch_size=25, shuffle=True)`` in
   the course notebook's style, and ``fit`` handed that DataLoader;
B. the data path alone (no model): one epoch of batches from the DataLoader against slicing a permutation;
C. time to the noise floor (training MSE ≤ 100, the noise variance): the book's recipe (standardized x and y,
   Adam lr 1e-2, fit on tensors) against the course notebook's recipe (raw data, Adam lr 1e-4, DataLoader,
   50,000 epochs), whose time is extrapolated from a measured run of 500 epochs.

Goal: in-memory training ≥ 5× faster.
"""

from __future__ import annotations

import time

import torch
from _common import header, interleaved, report, timed, verdict
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import nnbook
from nnbook.data import cubic_sine_points, standardize
from nnbook.models import mlp
from nnbook.training import Callback, fit

BATCH, EPOCHS_A, LR_COURSE = 25, 300, 1e-4
COURSE_EPOCHS, COURSE_SAMPLE = 50_000, 500
NOISE_FLOOR = 100.0  # noise standard deviation 10

x, y = cubic_sine_points()
n = len(x)


def new_model() -> nn.Module:
    nnbook.set_seed(0)
    return mlp([1, 10, 10, 10, 1], activation="relu")


def fit_tensors(epochs: int = EPOCHS_A) -> float:
    history = fit(new_model(), (x, y), epochs=epochs, lr=LR_COURSE, batch_size=BATCH, progress=False)
    return history.last["train_loss"]


def loader() -> DataLoader:
    return DataLoader(TensorDataset(x, y), batch_size=BATCH, shuffle=True, generator=torch.Generator().manual_seed(0))


def fit_loader(epochs: int = EPOCHS_A) -> float:
    return fit(new_model(), loader(), epochs=epochs, lr=LR_COURSE, progress=False).last["train_loss"]


def hand_loader(epochs: int = EPOCHS_A, model: nn.Module | None = None) -> float:
    """The course notebook's loop: for each epoch, for each batch of the DataLoader, one Adam step."""
    model = model or new_model()
    opt = torch.optim.Adam(model.parameters(), lr=LR_COURSE)
    data = loader()
    for _ in range(epochs):
        total = 0.0
        for xb, yb in data:
            loss = nn.functional.mse_loss(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
    return total


def batches_loader(epochs: int = 200) -> None:
    data = loader()
    for _ in range(epochs):
        for _xb, _yb in data:
            pass


def batches_slicing(epochs: int = 200) -> None:
    g = torch.Generator().manual_seed(0)
    for _ in range(epochs):
        order = torch.randperm(n, generator=g)
        for start in range(0, n, BATCH):
            idx = order[start : start + BATCH]
            _xb, _yb = x[idx], y[idx]


class StopAtFloor(Callback):
    """Stop once the training MSE, in the data's own units, is at the noise floor."""

    def __init__(self, scale: float) -> None:
        self.scale, self.epoch = scale, None

    def after_epoch(self, state) -> None:
        if state.history.last["train_loss"] * self.scale <= NOISE_FLOOR:
            self.epoch, state.stop = state.epoch, True


def book_recipe(seed: int) -> tuple[float, int | None, float]:
    """Standardized data, Adam 1e-2, batch 25, fit on tensors, until the noise floor (at most 3000 epochs)."""
    xs, _, _ = standardize(x)
    ys, _, y_std = standardize(y)
    stop = StopAtFloor(float(y_std) ** 2)
    nnbook.set_seed(seed)
    model = mlp([1, 10, 10, 10, 1])
    seconds, cpu, history = timed(
        lambda: fit(model, (xs, ys), epochs=3000, lr=1e-2, batch_size=BATCH, callbacks=[stop], progress=False)
    )
    return seconds, stop.epoch, cpu


def main() -> None:
    header("2. in-memory batching against a DataLoader (the MLP chapter's workload)")
    steps = EPOCHS_A * -(-n // BATCH)
    print(f"A. the same training, {EPOCHS_A} epochs = {steps} steps of batch {BATCH}; median of 3 interleaved runs")
    times = interleaved(
        {"fit on tensors": fit_tensors, "hand loop over DataLoader": hand_loader, "fit over DataLoader": fit_loader}
    )
    report(times, "fit on tensors", steps)
    a_cpu = times["hand loop over DataLoader"].cpu_median / times["fit on tensors"].cpu_median
    a_wall = times["hand loop over DataLoader"].wall_median / times["fit on tensors"].wall_median
    print(
        f"RESULT A: fit on tensors is {a_cpu:.2f}× (CPU) / {a_wall:.2f}× (wall) faster than the DataLoader loop  ({verdict(a_cpu, 5, 'higher')})"
    )

    print("B. the data path alone, 200 epochs of batches, no model")
    times = interleaved({"slicing a permutation": batches_slicing, "DataLoader": batches_loader})
    report(times, "slicing a permutation", 200 * 4, "batch")
    b_cpu = times["DataLoader"].cpu_median / times["slicing a permutation"].cpu_median
    print(f"RESULT B: slicing is {b_cpu:.1f}× faster per batch than the DataLoader  ({verdict(b_cpu, 5, 'higher')})")

    print(f"C. time to the noise floor (training MSE ≤ {NOISE_FLOOR:g})")
    runs = [book_recipe(seed) for seed in range(5)]
    for seed, (seconds, epoch, cpu) in enumerate(runs):
        print(
            f"  book recipe, seed {seed}: {'reached at epoch ' + str(epoch) if epoch else 'NOT reached in 3000 epochs'}, {seconds:.2f} s wall, {cpu:.2f} s CPU"
        )
    reached = [r for r in runs if r[1] is not None]
    model = new_model()
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    hand_loader(COURSE_SAMPLE, model)
    sample_wall, sample_cpu = time.perf_counter() - start_wall, time.process_time() - start_cpu
    with torch.no_grad():
        sample_mse = float(nn.functional.mse_loss(model(x), y))
    course_wall = sample_wall * COURSE_EPOCHS / COURSE_SAMPLE
    course_cpu = sample_cpu * COURSE_EPOCHS / COURSE_SAMPLE
    print(
        f"  course recipe: {COURSE_SAMPLE} epochs took {sample_wall:.2f} s wall, {sample_cpu:.2f} s CPU (training MSE then {sample_mse:.0f}); "
        f"{COURSE_EPOCHS} epochs ≈ {course_wall:.0f} s wall, {course_cpu:.0f} s CPU"
    )
    if reached:
        slowest_cpu = max(r[2] for r in reached)
        c = course_cpu / slowest_cpu
        print(
            f"RESULT C: {len(reached)}/5 seeds reach the floor; the slowest takes {slowest_cpu:.2f} s CPU, "
            f"{c:.0f}× less than the course recipe's {course_cpu:.0f} s CPU  ({verdict(c, 5, 'higher')})"
        )
    else:
        print("RESULT C: no seed reached the noise floor")


if __name__ == "__main__":
    main()
