"""Classification metrics, calibration error and the triage threshold.

All functions take gold labels and a probability matrix whose columns follow
``labels`` (normally ``MODEL_LABELS``: the 13 codes, then ``lainnya``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from classifiers.labels import CATEGORY_CODES, OUT_OF_SCOPE

ECE_BINS = 15
TARGET_PRECISION = 0.95
MIN_ROUTED = 20
DEFAULT_THRESHOLD = 0.5


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray, bins: int = ECE_BINS) -> float:
    """Weighted mean |accuracy - confidence| over equal-width confidence bins."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    ece = 0.0
    for low, high in zip(edges[:-1], edges[1:]):
        in_bin = (confidence > low) & (confidence <= high)
        if in_bin.any():
            ece += in_bin.mean() * abs(correct[in_bin].mean() - confidence[in_bin].mean())
    return float(ece)


def routing_view(probs: np.ndarray, labels: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """What the API returns: the best taxonomy code and its probability, per row."""
    code_columns = [i for i, label in enumerate(labels) if label in CATEGORY_CODES]
    sub = probs[:, code_columns]
    best = sub.argmax(axis=1)
    codes = np.array([labels[code_columns[i]] for i in best])
    return codes, sub[np.arange(len(sub)), best]


def triage_at(gold: Sequence[str], probs: np.ndarray, labels: Sequence[str], threshold: float) -> dict:
    """Outcome of auto-routing every text whose confidence reaches ``threshold``."""
    gold = np.asarray(gold)
    codes, confidence = routing_view(probs, labels)
    routed = confidence >= threshold
    in_scope = gold != OUT_OF_SCOPE
    correct = (codes == gold) & in_scope
    n_out = int((~in_scope).sum())
    return {
        "threshold": float(threshold),
        "routed_fraction": float(routed.mean()) if len(gold) else 0.0,
        "routed_precision": float(correct[routed].mean()) if routed.any() else 1.0,
        "in_scope_routed_fraction": float(routed[in_scope].mean()) if in_scope.any() else 0.0,
        "in_scope_routed_correct_fraction": float(correct[in_scope & routed].sum() / max(in_scope.sum(), 1)),
        "out_of_scope_to_triage_fraction": float((~routed[~in_scope]).mean()) if n_out else None,
        "out_of_scope_texts": n_out,
    }


def choose_threshold(
    gold: Sequence[str],
    probs: np.ndarray,
    labels: Sequence[str],
    target_precision: float = TARGET_PRECISION,
) -> dict:
    """Lowest threshold whose auto-routed tickets are at least ``target_precision`` correct.

    A ``lainnya`` text above the threshold counts as a wrong routing, so out-of-scope
    texts push the threshold up. At least ``MIN_ROUTED`` texts must stay auto-routed;
    if no threshold reaches the target, the one with the best precision is used.
    """
    grid = np.round(np.arange(0.05, 0.991, 0.01), 2)
    rows = [triage_at(gold, probs, labels, t) for t in grid]
    eligible = [r for r in rows if r["routed_fraction"] * len(gold) >= MIN_ROUTED]
    meeting = [r for r in eligible if r["routed_precision"] >= target_precision]
    if meeting:
        chosen, rule = meeting[0], f"lowest threshold with routed precision >= {target_precision}"
    else:
        pool = eligible or rows
        chosen = max(pool, key=lambda r: (r["routed_precision"], -r["threshold"]))
        rule = f"no threshold reached precision {target_precision}; best precision used"
    return {**chosen, "rule": rule, "target_precision": target_precision}


def classification_metrics(gold: Sequence[str], probs: np.ndarray, labels: Sequence[str]) -> dict:
    """Accuracy, macro-F1 (13 codes and with ``lainnya``), per-class scores, confusion, ECE."""
    labels = list(labels)
    gold = np.asarray(gold)
    predicted = np.array([labels[i] for i in probs.argmax(axis=1)])
    confidence = probs.max(axis=1)
    correct = predicted == gold
    present = [label for label in labels if label in set(gold) | set(predicted)]
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, predicted, labels=present, zero_division=0
    )
    per_class = {
        label: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
        for label, p, r, f, s in zip(present, precision, recall, f1, support)
    }
    code_f1 = [per_class[c]["f1"] for c in CATEGORY_CODES if c in per_class and per_class[c]["support"]]
    all_f1 = [v["f1"] for v in per_class.values() if v["support"]]
    in_scope = gold != OUT_OF_SCOPE
    codes, _ = routing_view(probs, labels)
    return {
        "n": int(len(gold)),
        "accuracy": float(correct.mean()),
        "macro_f1": float(np.mean(code_f1)) if code_f1 else 0.0,
        "macro_f1_with_lainnya": float(np.mean(all_f1)) if all_f1 else 0.0,
        "in_scope_routing_accuracy": float((codes[in_scope] == gold[in_scope]).mean()) if in_scope.any() else None,
        "ece": expected_calibration_error(confidence, correct),
        "per_class": per_class,
        "confusion": {
            "labels": present,
            "matrix": confusion_matrix(gold, predicted, labels=present).tolist(),
        },
    }
