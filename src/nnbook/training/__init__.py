"""Training: the ``fit`` loop with callbacks, optimizers, schedules, metrics, progress and seed ensembles.

>>> from nnbook.training import fit, Callback, EarlyStopping
"""

from nnbook.training.callbacks import Callback, EarlyStopping
from nnbook.training.history import History
from nnbook.training.learner import DivergenceWarning, Learner, default_device, fit
from nnbook.training.metrics import accuracy, mae, mse
from nnbook.training.optimizers import make_loss, make_optimizer, make_schedule
from nnbook.training.progress import ProgressTable
from nnbook.training.seeds import SeedEnsemble, SequentialRuns, fit_seeds, fit_sequential

__all__ = [
    "Callback",
    "DivergenceWarning",
    "EarlyStopping",
    "History",
    "Learner",
    "ProgressTable",
    "SeedEnsemble",
    "SequentialRuns",
    "accuracy",
    "default_device",
    "fit",
    "fit_seeds",
    "fit_sequential",
    "mae",
    "make_loss",
    "make_optimizer",
    "make_schedule",
    "mse",
]
