"""The Palmer penguins, shipped inside the package (chapter 10): a real table with text columns and gaps.

``penguins.csv`` holds 344 penguins of three species (Adelie, Chinstrap, Gentoo) from three islands of
the Palmer Archipelago, Antarctica: four body measurements, the island, the sex and the year. Eleven
rows lack the sex and two of them every measurement too. Released under CC0 by Horst, Hill and Gorman
(the R package palmerpenguins), from Gorman, Williams and Fraser (2014); ``penguins.SOURCE.txt`` next to
the file gives its origin and citation. Nothing is downloaded.

>>> import pandas as pd
>>> table = pd.read_csv(penguins_csv())
>>> table.shape, sorted(table["species"].unique())
((344, 8), ['Adelie', 'Chinstrap', 'Gentoo'])
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

FILE_NAME = "penguins.csv"
ROWS = 344


def penguins_csv() -> Path:
    """The path of the shipped ``penguins.csv``, to read as you would read your own file: ``pd.read_csv(path)``.

    >>> penguins_csv().name
    'penguins.csv'
    """
    path = Path(str(resources.files("nnbook.data").joinpath(FILE_NAME)))
    if not path.is_file():
        raise FileNotFoundError(
            f"The penguins data file {path} is missing. Restore it by reinstalling the package: "
            "pip install --force-reinstall --no-deps -e . (from the nnbook folder)."
        )
    return path
