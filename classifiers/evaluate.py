"""Evaluate a model folder on the test split, side by side with the TF-IDF baseline."""

from __future__ import annotations

from pathlib import Path

from classifiers.baseline import TfidfBaseline
from classifiers.data.io import read_examples
from classifiers.labels import MODEL_LABELS, OUT_OF_SCOPE
from classifiers.metrics import choose_threshold, classification_metrics, triage_at
from classifiers.predict import load_classifier

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_TEST = DATA_DIR / "test.jsonl"
DEFAULT_TRAIN = DATA_DIR / "train.jsonl"

_SHORT = {
    "infrastruktur_jalan": "jalan", "kebersihan_lingkungan": "bersih", "air_bersih": "air", "listrik": "listrk",
    "kesehatan": "sehat", "pendidikan": "didik", "kependudukan": "duduk", "transportasi": "trans",
    "bantuan_sosial": "bansos", "ketertiban_umum": "tertib", "keamanan": "aman", "bencana": "bencna",
    "perizinan": "izin", OUT_OF_SCOPE: "lain",
}


def _model_metrics(model_dir: Path, examples: list[tuple[str, str]]) -> dict:
    classifier = load_classifier(model_dir)
    probs = classifier.predict_proba([t for t, _ in examples])
    gold = [c for _, c in examples]
    metrics = classification_metrics(gold, probs, classifier.labels)
    metrics["triage"] = triage_at(gold, probs, classifier.labels, classifier.threshold)
    return metrics


def evaluate_model(model_dir: str | Path, test_path: str | Path = DEFAULT_TEST, train_path: str | Path = DEFAULT_TRAIN) -> dict:
    """Metrics of the model (at its stored threshold) and of a baseline fitted on ``train_path``."""
    test = read_examples(test_path)
    gold = [c for _, c in test]
    baseline_probs = TfidfBaseline().fit(read_examples(train_path)).predict_proba([t for t, _ in test])
    baseline = classification_metrics(gold, baseline_probs, MODEL_LABELS)
    baseline["triage"] = choose_threshold(gold, baseline_probs, MODEL_LABELS)
    return {
        "model_dir": str(model_dir),
        "test_path": str(test_path),
        "model": _model_metrics(Path(model_dir), test),
        "baseline": baseline,
    }


def compare_models(before_dir: str | Path, after_dir: str | Path, test_path: str | Path = DEFAULT_TEST) -> dict:
    """Both models on the same test split, e.g. before and after retraining with corrections."""
    test = read_examples(test_path)
    before, after = _model_metrics(Path(before_dir), test), _model_metrics(Path(after_dir), test)
    keys = ("accuracy", "macro_f1", "macro_f1_with_lainnya", "in_scope_routing_accuracy", "ece")
    return {
        "before_dir": str(before_dir),
        "after_dir": str(after_dir),
        "test_path": str(test_path),
        "before": before,
        "after": after,
        "delta": {k: after[k] - before[k] for k in keys if before[k] is not None and after[k] is not None},
    }


def _pct(value) -> str:
    return "   n/a" if value is None else f"{100 * value:5.1f}%"


def _summary_rows(columns: dict[str, dict]) -> list[str]:
    names = list(columns)
    lines = [f"{'':<34}" + "".join(f"{name:>14}" for name in names)]
    rows = [
        ("accuracy (14 labels)", lambda m: _pct(m["accuracy"])),
        ("macro-F1 (13 codes)", lambda m: f"{m['macro_f1']:.3f}"),
        ("macro-F1 (with lainnya)", lambda m: f"{m['macro_f1_with_lainnya']:.3f}"),
        ("routing accuracy (complaints)", lambda m: _pct(m["in_scope_routing_accuracy"])),
        ("ECE (15 bins)", lambda m: f"{m['ece']:.3f}"),
        ("triage threshold", lambda m: f"{m['triage']['threshold']:.2f}"),
        ("auto-routed (all texts)", lambda m: _pct(m["triage"]["routed_fraction"])),
        ("precision of auto-routed", lambda m: _pct(m["triage"]["routed_precision"])),
        ("complaints auto-routed", lambda m: _pct(m["triage"]["in_scope_routed_fraction"])),
        ("lainnya sent to triage", lambda m: _pct(m["triage"]["out_of_scope_to_triage_fraction"])),
        ("lainnya recall (top label)", lambda m: _pct(m["per_class"].get(OUT_OF_SCOPE, {}).get("recall"))),
    ]
    for title, cell in rows:
        lines.append(f"{title:<34}" + "".join(f"{cell(columns[n]):>14}" for n in names))
    return lines


def _per_class_rows(columns: dict[str, dict]) -> list[str]:
    names = list(columns)
    header = f"{'category':<24}{'n':>5}" + "".join(f"{name[:10] + ' P/R/F1':>24}" for name in names)
    lines = [header]
    for label in MODEL_LABELS:
        cells, support = [], 0
        for name in names:
            scores = columns[name]["per_class"].get(label)
            if scores:
                support = scores["support"]
                cells.append(f"{scores['precision']:.2f}/{scores['recall']:.2f}/{scores['f1']:.2f}")
            else:
                cells.append("-")
        if any(c != "-" for c in cells):
            lines.append(f"{label:<24}{support:>5}" + "".join(f"{c:>24}" for c in cells))
    return lines


def _confusion_rows(metrics: dict) -> list[str]:
    labels, matrix = metrics["confusion"]["labels"], metrics["confusion"]["matrix"]
    lines = ["gold \\ predicted".ljust(8 + 1) + "".join(f"{_SHORT.get(l, l)[:6]:>7}" for l in labels)]
    for label, row in zip(labels, matrix):
        lines.append(f"{_SHORT.get(label, label)[:8]:<9}" + "".join(f"{v:>7}" for v in row))
    return lines


def format_report(report: dict) -> str:
    """Human-readable side-by-side report from ``evaluate_model``."""
    columns = {"model": report["model"], "tfidf+logreg": report["baseline"]}
    lines = [
        f"Model {report['model_dir']} on {report['test_path']} ({report['model']['n']} texts)",
        "",
        *_summary_rows(columns),
        "",
        "Per category (precision/recall/F1):",
        *_per_class_rows(columns),
        "",
        "Confusion matrix of the model (rows: gold, columns: predicted):",
        *_confusion_rows(report["model"]),
        "",
        "The baseline's threshold is calibrated on the test split with the same rule as the model's.",
    ]
    return "\n".join(lines)


def format_comparison(report: dict) -> str:
    """Human-readable before/after report from ``compare_models``."""
    columns = {"before": report["before"], "after": report["after"]}
    lines = [
        f"Before: {report['before_dir']}",
        f"After:  {report['after_dir']}",
        f"Test split: {report['test_path']} ({report['after']['n']} texts)",
        "",
        *_summary_rows(columns),
        "",
        "Change: " + ", ".join(f"{k} {v:+.3f}" for k, v in report["delta"].items()),
        "",
        *_per_class_rows(columns),
    ]
    return "\n".join(lines)
