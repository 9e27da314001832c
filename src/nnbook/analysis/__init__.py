"""Analysis: what did a network learn? The units of its last hidden layer as features.

>>> from nnbook.analysis import feature_decomposition, hidden_features, top_features
"""

from nnbook.analysis.features import (
    FeatureDecomposition,
    feature_decomposition,
    hidden_features,
    plot_contributions,
    plot_decomposition,
    plot_top_features,
    top_features,
)

__all__ = [
    "FeatureDecomposition",
    "feature_decomposition",
    "hidden_features",
    "plot_contributions",
    "plot_decomposition",
    "plot_top_features",
    "top_features",
]
