"""Analysis: what did a network learn? The units of its hidden layers as features.

The plots of a decomposition are in :mod:`nnbook.plots` (``plot_top_features``, ``plot_decomposition``,
``plot_contributions``).

>>> from nnbook.analysis import feature_decomposition, hidden_features, top_features
"""

from nnbook.analysis.features import FeatureDecomposition, feature_decomposition, hidden_features, top_features

__all__ = ["FeatureDecomposition", "feature_decomposition", "hidden_features", "top_features"]
