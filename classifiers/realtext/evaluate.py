"""Scores on the real-text development set: per source and overall, model beside the TF-IDF baseline.

Routing figures follow what the product does: a text is auto-routed when its best taxonomy code
reaches the threshold, otherwise it goes to human triage. Coverage is the share of real complaints
auto-routed, precision the share of auto-routed texts (complaints or not) sent to the right code,
and the non-complaint triage rate the share of ``none`` texts that reach triage.

Thresholds are calibrated on real text without scoring on the texts they were fitted on: the set is
split in two halves by a hash of each reference, each half's threshold is chosen on the other half
(the rule of ``choose_threshold``), and the routing figures are pooled over both halves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from classifiers.labels import MODEL_LABELS, OUT_OF_SCOPE
from classifiers.metrics import TARGET_PRECISION, choose_threshold, classification_metrics, routing_view
from classifiers.realtext.devset import DevExample


def half_of(example_id: str) -> int:
    return hashlib.sha256(example_id.encode()).digest()[0] % 2


def routing_figures(gold: np.ndarray, codes: np.ndarray, confidence: np.ndarray, thresholds: np.ndarray) -> dict:
    routed = confidence >= thresholds
    in_scope = gold != OUT_OF_SCOPE
    correct = codes == gold
    return {
        "coverage": float(routed[in_scope].mean()) if in_scope.any() else None,
        "precision": float(correct[routed].mean()) if routed.any() else None,
        "nonc_to_triage": float((~routed[~in_scope]).mean()) if (~in_scope).any() else None,
        "routed": int(routed.sum()),
    }


def calibrated_thresholds(ids: Sequence[str], gold: Sequence[str], probs: np.ndarray, target: float = TARGET_PRECISION) -> tuple[np.ndarray, list[float]]:
    """Per-text threshold chosen on the other half of the set; also the two thresholds."""
    halves = np.array([half_of(i) for i in ids])
    gold = np.asarray(gold)
    per_text = np.zeros(len(ids))
    chosen = []
    for half in (0, 1):
        other = halves != half
        threshold = choose_threshold(list(gold[other]), probs[other], MODEL_LABELS, target)["threshold"]
        per_text[halves == half] = threshold
        chosen.append(threshold)
    return per_text, chosen


def score(examples: Sequence[DevExample], probs: np.ndarray, shipped_threshold: float | None = None) -> dict:
    """Figures for one system: overall and per source."""
    ids = [e.id for e in examples]
    gold = np.array([e.label for e in examples])
    sources = np.array([e.source for e in examples])
    codes, confidence = routing_view(probs, MODEL_LABELS)
    cross, chosen = calibrated_thresholds(ids, gold, probs)
    result = {"thresholds_cross_fitted": chosen, "overall": {}, "sources": {}}
    groups = [("overall", np.ones(len(gold), dtype=bool))] + [(s, sources == s) for s in sorted(set(sources))]
    for name, mask in groups:
        metrics = classification_metrics(list(gold[mask]), probs[mask], MODEL_LABELS)
        row = {
            "n": int(mask.sum()),
            "complaints": int((gold[mask] != OUT_OF_SCOPE).sum()),
            "macro_f1": metrics["macro_f1"],
            "accuracy": metrics["accuracy"],
            "routing_accuracy": metrics["in_scope_routing_accuracy"],
            "cross": routing_figures(gold[mask], codes[mask], confidence[mask], cross[mask]),
            "per_class": metrics["per_class"],
        }
        if shipped_threshold is not None:
            row["shipped"] = routing_figures(gold[mask], codes[mask], confidence[mask], np.full(mask.sum(), shipped_threshold))
        if name == "overall":
            result["overall"] = row
        else:
            result["sources"][name] = row
    return result


def _fmt(value, pct: bool = False) -> str:
    if value is None:
        return "-"
    return f"{100 * value:.1f}%" if pct else f"{value:.3f}"


def format_side_by_side(systems: dict[str, dict]) -> str:
    """One table per scope (overall, then each source), systems as columns."""
    names = list(systems)
    first = systems[names[0]]
    scopes = ["overall", *first["sources"]]
    lines = []
    for scope in scopes:
        rows = {n: (systems[n]["overall"] if scope == "overall" else systems[n]["sources"][scope]) for n in names}
        head = rows[names[0]]
        lines.append(f"== {scope}: {head['n']} texts, {head['complaints']} complaints, {head['n'] - head['complaints']} non-complaints")
        lines.append(f"{'':<40}" + "".join(f"{n:>16}" for n in names))
        table = [
            ("macro-F1 (13 codes present)", lambda r: _fmt(r["macro_f1"])),
            ("accuracy (14 labels)", lambda r: _fmt(r["accuracy"], True)),
            ("routing accuracy (complaints, top code)", lambda r: _fmt(r["routing_accuracy"], True)),
            ("auto-routing precision (cross-fitted)", lambda r: _fmt(r["cross"]["precision"], True)),
            ("auto-routing coverage (cross-fitted)", lambda r: _fmt(r["cross"]["coverage"], True)),
            ("non-complaints to triage (cross-fitted)", lambda r: _fmt(r["cross"]["nonc_to_triage"], True)),
            ("auto-routing precision (shipped thr.)", lambda r: _fmt(r.get("shipped", {}).get("precision"), True)),
            ("auto-routing coverage (shipped thr.)", lambda r: _fmt(r.get("shipped", {}).get("coverage"), True)),
            ("non-complaints to triage (shipped thr.)", lambda r: _fmt(r.get("shipped", {}).get("nonc_to_triage"), True)),
        ]
        for title, cell in table:
            lines.append(f"{title:<40}" + "".join(f"{cell(rows[n]):>16}" for n in names))
        lines.append("")
    lines.append("Per category F1 overall (support):")
    overall = {n: systems[n]["overall"]["per_class"] for n in names}
    for label in MODEL_LABELS:
        support = next((overall[n][label]["support"] for n in names if label in overall[n]), 0)
        if not support:
            continue
        cells = "".join(f"{_fmt(overall[n].get(label, {}).get('f1')):>16}" for n in names)
        lines.append(f"{label:<32}{support:>8}" + cells)
    return "\n".join(lines)
