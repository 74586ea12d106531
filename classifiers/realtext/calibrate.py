"""Set a model's triage threshold on real citizen text and record the real-text figures in its card.

    python -m classifiers.realtext.calibrate [--model DIR] [--mirror /work/.mirror]

The own test split is written by the same hands as the training data, so a threshold chosen there
promises more precision than real traffic gets. This picks the lowest threshold whose auto-routed
real texts are at least 95% correct (``choose_threshold``), keeps the own-split one for reference,
and stores per-source figures (model and TF-IDF baseline) in ``metrics.json`` and the model card.
Only one number is fitted on the development set; the weights never see it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from classifiers.labels import MODEL_LABELS
from classifiers.metrics import choose_threshold
from classifiers.model_card import write_model_card
from classifiers.realtext import devset
from classifiers.realtext.evaluate import score

TRAIN_PATH = Path(__file__).resolve().parents[1] / "data" / "train.jsonl"


def _summary(figures: dict) -> dict:
    """What the model card shows: headline figures overall and per source (no per-class detail)."""

    def row(r: dict) -> dict:
        return {k: r[k] for k in ("n", "complaints", "macro_f1", "accuracy", "routing_accuracy", "cross") if k in r} | (
            {"at_threshold": r["shipped"]} if "shipped" in r else {}
        )

    weak = sorted(
        ((label, s["f1"], s["support"]) for label, s in figures["overall"]["per_class"].items() if s["support"] >= 5),
        key=lambda item: item[1],
    )[:4]
    return {
        "overall": row(figures["overall"]),
        "sources": {name: row(r) for name, r in figures["sources"].items()},
        "weakest": [{"label": label, "f1": f1, "support": support} for label, f1, support in weak],
        "thresholds_cross_fitted": figures["thresholds_cross_fitted"],
    }


def calibrate(model_dir: Path, examples: list[devset.DevExample], train_path: Path = TRAIN_PATH) -> dict:
    """Write the real-text threshold and figures into ``model_dir``; returns the updated metrics."""
    from classifiers.baseline import TfidfBaseline
    from classifiers.data.io import read_examples
    from classifiers.predict import load_classifier

    classifier = load_classifier(model_dir)
    texts, gold = [e.text for e in examples], [e.label for e in examples]
    probs = classifier.predict_proba(texts)
    triage = choose_threshold(gold, probs, MODEL_LABELS)
    baseline_probs = TfidfBaseline().fit(read_examples(train_path)).predict_proba(texts)

    metrics_path = model_dir / "metrics.json"
    metrics = json.loads(metrics_path.read_text(encoding="utf-8"))
    own_threshold = metrics.get("own_split_threshold", metrics["threshold"])
    metrics["own_split_threshold"] = own_threshold
    metrics["threshold"] = triage["threshold"]
    metrics["real_text"] = {
        "texts": len(examples),
        "triage": triage,
        "model": _summary(score(examples, probs, triage["threshold"])),
        "baseline": _summary(score(examples, baseline_probs)),
    }
    metrics_path.write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    write_model_card(model_dir, metrics)
    return metrics


def main(argv: list[str] | None = None) -> int:
    from classifiers.predict import default_model_dir

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--mirror", type=Path, default=devset.DEFAULT_MIRROR, help="folder of fetched repositories")
    args = parser.parse_args(argv)
    examples = devset.load_or_exit(args.mirror)
    model_dir = args.model or default_model_dir()
    metrics = calibrate(model_dir, examples)
    real = metrics["real_text"]
    print(f"{model_dir}: threshold {metrics['own_split_threshold']:.2f} (own split) -> {metrics['threshold']:.2f} "
          f"(real text, {real['triage']['rule']}); auto-routed precision {real['triage']['routed_precision']:.3f}, "
          f"complaints auto-routed {real['triage']['in_scope_routed_fraction']:.3f}, "
          f"non-complaints to triage {real['triage']['out_of_scope_to_triage_fraction']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
