"""NASA GISTEMP global temperature anomalies, shipped inside the package (chapter 2).

The file ``gistemp_global_annual.csv`` is NASA's GISTEMP v4 Land-Ocean Temperature Index,
one row per year from 1880 to 2024, in °C relative to the 1951–1980 mean. Nothing is downloaded.

>>> years, anomaly = gistemp()
>>> int(years[0]), int(years[-1])
(1880, 2024)
"""

from __future__ import annotations

import csv
from importlib import resources
from numbers import Integral

import torch

FILE_NAME = "gistemp_global_annual.csv"
FIRST_YEAR = 1880
_REINSTALL = (
    "Restore it by reinstalling the package: pip install --force-reinstall --no-deps -e . (from the nnbook folder)."
)


def gistemp(until: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Return ``(years, anomaly)`` as 1-D float tensors, optionally only up to the year ``until``.

    >>> years, anomaly = gistemp(until=2022)
    >>> len(years), round(float(anomaly[0]), 2)
    (143, -0.17)
    """
    source = resources.files("nnbook.data").joinpath(FILE_NAME)
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileNotFoundError(f"The temperature data file {source} is missing. {_REINSTALL}") from None
    rows = list(csv.reader(text.splitlines()[2:]))
    try:
        years = torch.tensor([float(r[0]) for r in rows])
        anomaly = torch.tensor([float(r[1]) for r in rows])
    except (ValueError, IndexError) as err:
        raise ValueError(f"The temperature data file {source} is corrupted ({err}). {_REINSTALL}") from None
    if len(years) == 0 or int(years[0]) != FIRST_YEAR:
        raise ValueError(
            f"The temperature data file {source} is corrupted: it should start in {FIRST_YEAR}. {_REINSTALL}"
        )
    if until is not None:
        if isinstance(until, bool) or not isinstance(until, Integral):
            raise TypeError(f"until must be a year such as 2022, got {until!r} ({type(until).__name__}).")
        if until < FIRST_YEAR:
            raise ValueError(
                f"until={until!r} leaves no data: the records start in {FIRST_YEAR}. Pass a year such as until=2022."
            )
        keep = years <= until
        years, anomaly = years[keep], anomaly[keep]
    return years, anomaly


def temperature_data(until: int = 2022) -> tuple[torch.Tensor, torch.Tensor]:
    """The model-ready temperature data: ``x = (year − 1880) / 100`` and ``y`` = anomaly, both (n, 1).

    Time is measured in centuries since 1880, so a slope of 1 means one degree per century.

    >>> x, y = temperature_data()
    >>> x.shape, float(x[1, 0])
    (torch.Size([143, 1]), 0.009999999776482582)
    """
    years, anomaly = gistemp(until=until)
    return ((years - FIRST_YEAR) / 100).view(-1, 1), anomaly.view(-1, 1)
