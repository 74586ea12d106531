"""Complaint text classifier: model folder contract, training, evaluation and prediction.

``from classifiers import load_classifier`` is cheap; torch is imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from classifiers.labels import CATEGORY_CODES, OUT_OF_SCOPE

if TYPE_CHECKING:
    from classifiers.predict import Classifier

__all__ = ["CATEGORY_CODES", "OUT_OF_SCOPE", "load_classifier"]


def load_classifier(path=None) -> "Classifier":
    """Load the shipped model, ``CLASSIFIER_MODEL``, or ``path``; see ``classifiers.predict``."""
    from classifiers.predict import load_classifier as _load

    return _load(path)
