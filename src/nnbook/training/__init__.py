"""Training: the ``fit`` loop with callbacks, optimizers, schedules, metrics, progress and seed ensembles.

Also what comes after training: ``predict`` and ``evaluate``, and ``lr_find`` before it.

>>> from nnbook.training import fit, Callback, EarlyStopping
"""

from nnbook.training.callbacks import Callback, EarlyStopping, GradientClipping, TrainState
from nnbook.training.history import History
from nnbook.training.learner import DivergenceWarning, Learner, default_device, fit
from nnbook.training.losses import make_loss
from nnbook.training.lr_find import LRFinder, lr_find
from nnbook.training.metrics import accuracy, mae, mse
from nnbook.training.optimizers import make_optimizer, make_schedule
from nnbook.training.predict import evaluate, predict
from nnbook.training.progress import ProgressTable
from nnbook.training.seeds import SeedEnsemble, SequentialRuns, fit_seeds, fit_sequential
from nnbook.training.stacked import StackedModels

__all__ = [
    "Callback",
    "DivergenceWarning",
    "EarlyStopping",
    "GradientClipping",
    "History",
    "LRFinder",
    "Learner",
    "ProgressTable",
    "SeedEnsemble",
    "SequentialRuns",
    "StackedModels",
    "TrainState",
    "accuracy",
    "default_device",
    "evaluate",
    "fit",
    "fit_seeds",
    "fit_sequential",
    "lr_find",
    "mae",
    "make_loss",
    "make_optimizer",
    "make_schedule",
    "mse",
    "predict",
]
