"""TF-IDF (word + character n-grams) + logistic regression: the yardstick for the model."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline, make_union

from classifiers.labels import MODEL_LABELS


class TfidfBaseline:
    """Fit on ``(text, category)`` pairs; ``predict_proba`` columns follow ``MODEL_LABELS``."""

    def __init__(self, seed: int = 42):
        features = make_union(
            TfidfVectorizer(lowercase=True, ngram_range=(1, 2), min_df=1, sublinear_tf=True),
            TfidfVectorizer(lowercase=True, analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True),
        )
        self.pipeline = make_pipeline(features, LogisticRegression(C=10.0, max_iter=3000, random_state=seed))

    def fit(self, examples: list[tuple[str, str]]) -> "TfidfBaseline":
        self.pipeline.fit([t for t, _ in examples], [c for _, c in examples])
        return self

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        raw = self.pipeline.predict_proba(texts)
        probs = np.zeros((len(texts), len(MODEL_LABELS)))
        for j, label in enumerate(self.pipeline.classes_):
            probs[:, MODEL_LABELS.index(label)] = raw[:, j]
        return probs
