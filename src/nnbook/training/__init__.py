"""Training: the ``fit`` loop with callbacks, optimizers, schedules, metrics, progress and seed ensembles.

Also what comes after training: ``predict`` and ``evaluate``, and ``lr_find`` before it.

>>> from nnbook.training import fit, Callback, EarlyStopping
"""

from nnbook._history import History
from nnbook.models.running import predict
from nnbook.training.callbacks import Callback, EarlyStopping, GradientClipping, TrainState
from nnbook.training.divergence import DivergenceWarning
from nnbook.training.evaluate import evaluate
from nnbook.training.learner import Learner, default_device, fit
from nnbook.training.losses import make_loss
from nnbook.training.lr_find import LRFinder, LRRangeWarning, lr_find
from nnbook.training.metrics import accuracy, mae, mse
from nnbook.training.optimizers import make_optimizer, make_schedule
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
    "LRRangeWarning",
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
