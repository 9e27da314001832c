"""Analysis: what did a one-hidden-layer network learn? Its hidden units as features.

>>> from nnbook.analysis import feature_decomposition, hidden_features, top_features
"""

from nnbook.analysis.features import (
    FeatureDecomposition,
    feature_decomposition,
    hidden_features,
    plot_decomposition,
    plot_top_features,
    top_features,
)

__all__ = [
    "FeatureDecomposition",
    "feature_decomposition",
    "hidden_features",
    "plot_decomposition",
    "plot_top_features",
    "top_features",
]
