"""Load a classifier folder once and predict categories for complaint texts."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer
from transformers.utils import logging as hf_logging

from classifiers.labels import CATEGORY_CODES, MODEL_LABELS, OUT_OF_SCOPE, UnknownCategoryError
from classifiers.metrics import DEFAULT_THRESHOLD
from classifiers.text import clean_text

SHIPPED_MODEL_DIR = Path(__file__).resolve().parent / "model"
BATCH_SIZE = 32
TOP_K = 3
MAX_SUPPORTED_LEN = 512


@dataclass(frozen=True)
class Prediction:
    """Routing suggestion for one text; ``category`` is always a taxonomy code."""

    category: str
    confidence: float
    top: list[tuple[str, float]]
    out_of_scope: float


def default_model_dir() -> Path:
    """``CLASSIFIER_MODEL`` if set, else the shipped ``classifiers/model`` folder."""
    configured = os.environ.get("CLASSIFIER_MODEL")
    return Path(configured) if configured else SHIPPED_MODEL_DIR


def configure_threads() -> int:
    """Apply ``CLASSIFIER_THREADS`` (default 2) to torch; returns the count used."""
    threads = int(os.environ.get("CLASSIFIER_THREADS", "2"))
    if threads > 0:
        torch.set_num_threads(threads)
    return torch.get_num_threads()


def model_max_len(tokenizer, config) -> int:
    """Longest input the model accepts, capped for speed at ``MAX_SUPPORTED_LEN``."""
    limits = [MAX_SUPPORTED_LEN]
    if 0 < (tokenizer.model_max_length or 0) < 100_000:
        limits.append(int(tokenizer.model_max_length))
    positions = getattr(config, "max_position_embeddings", None)
    if positions:
        limits.append(int(positions))
    return min(limits)


def read_threshold(model_dir: Path) -> float:
    """Triage threshold stored in ``metrics.json`` by training, else ``DEFAULT_THRESHOLD``."""
    path = model_dir / "metrics.json"
    if not path.exists():
        return DEFAULT_THRESHOLD
    value = json.loads(path.read_text(encoding="utf-8")).get("threshold")
    return float(value) if isinstance(value, (int, float)) else DEFAULT_THRESHOLD


class Classifier:
    """A loaded model folder; ``predict`` is serialized by a lock (one worker, many threads)."""

    def __init__(self, model_dir: str | Path):
        model_dir = Path(model_dir)
        if not (model_dir / "config.json").exists():
            raise FileNotFoundError(f"no classifier model at {model_dir} (config.json missing)")
        self.model_dir = model_dir
        self.threads = configure_threads()
        hf_logging.disable_progress_bar()  # no "Loading weights" bars in worker logs
        self.tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
        self.model = AutoModelForSequenceClassification.from_pretrained(model_dir, local_files_only=True)
        self.model.eval()
        self.labels = [self.model.config.id2label[i] for i in range(self.model.config.num_labels)]
        unknown = [label for label in self.labels if label not in MODEL_LABELS]
        if unknown:
            raise UnknownCategoryError(f"{model_dir}: labels {unknown} are not taxonomy codes or {OUT_OF_SCOPE!r}")
        self._code_columns = np.array([i for i, label in enumerate(self.labels) if label in CATEGORY_CODES])
        if len(self._code_columns) < TOP_K:
            raise UnknownCategoryError(f"{model_dir}: needs at least {TOP_K} taxonomy codes, has {len(self._code_columns)}")
        self._out_column = self.labels.index(OUT_OF_SCOPE) if OUT_OF_SCOPE in self.labels else None
        self.max_len = model_max_len(self.tokenizer, self.model.config)
        self.threshold = read_threshold(model_dir)
        self._lock = threading.Lock()

    def predict_proba(self, texts: Sequence[object], batch_size: int = BATCH_SIZE) -> np.ndarray:
        """Softmax over all model labels (columns follow ``self.labels``), one row per text."""
        if isinstance(texts, (str, bytes)):
            texts = [texts]
        cleaned = [clean_text(text, self.max_len) for text in texts]
        probs = np.zeros((len(cleaned), len(self.labels)), dtype=np.float64)
        # sorting by length keeps padding (wasted compute) small inside each batch
        order = sorted(range(len(cleaned)), key=lambda i: len(cleaned[i]))
        with self._lock, torch.inference_mode():
            for start in range(0, len(order), batch_size):
                index = order[start : start + batch_size]
                encoded = self.tokenizer(
                    [cleaned[i] for i in index],
                    padding=True,
                    truncation=True,
                    max_length=self.max_len,
                    return_tensors="pt",
                )
                logits = self.model(**encoded).logits.float()
                probs[index] = torch.softmax(logits, dim=-1).numpy()
        return probs

    def predict(self, texts: Sequence[object], batch_size: int = BATCH_SIZE, top_k: int = TOP_K) -> list[Prediction]:
        """Best taxonomy code, its probability and the top ``top_k`` codes for each text."""
        probs = self.predict_proba(texts, batch_size)
        predictions = []
        for row in probs:
            code_probs = row[self._code_columns]
            ranked = np.argsort(-code_probs, kind="stable")[: max(top_k, TOP_K)]
            top = [(self.labels[self._code_columns[i]], float(code_probs[i])) for i in ranked]
            out = float(row[self._out_column]) if self._out_column is not None else 0.0
            predictions.append(Prediction(category=top[0][0], confidence=top[0][1], top=top, out_of_scope=out))
        return predictions


def load_classifier(path: str | Path | None = None) -> Classifier:
    """Load ``path``, else ``CLASSIFIER_MODEL``, else the shipped model."""
    return Classifier(Path(path) if path is not None else default_model_dir())
