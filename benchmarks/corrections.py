"""Learning from staff corrections, measured on real text.

    python -m benchmarks.corrections [--model PATH] [--counts 100 300] [--threads 2]

Half of the real-text development set (by a hash of each reference) stands in for staff: its
complaints, with their true categories, are replayed as re-routing corrections, 100 and then 300 of
them. The model is fine-tuned on them with ``feedback train --include-corrections --incremental``'s
function, and scored before and after on the other half, which it never sees.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from a checkout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="model folder (default: CLASSIFIER_MODEL or shipped)")
    parser.add_argument("--counts", type=int, nargs="+", default=[100, 300])
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    os.environ["CLASSIFIER_TRAIN_THREADS"] = str(args.threads)
    os.environ["CLASSIFIER_THREADS"] = str(args.threads)

    from classifiers import load_classifier
    from classifiers.labels import MODEL_LABELS, OUT_OF_SCOPE
    from classifiers.metrics import classification_metrics
    from classifiers.predict import default_model_dir
    from classifiers.realtext import devset
    from classifiers.realtext.evaluate import half_of
    from classifiers.train import finetune_on_corrections

    examples = devset.load_or_exit()
    pool = [e for e in examples if half_of(e.id) == 0 and e.label != OUT_OF_SCOPE]
    held_out = [e for e in examples if half_of(e.id) == 1]
    gold = [e.label for e in held_out]
    texts = [e.text for e in held_out]
    model_dir = Path(args.model) if args.model else default_model_dir()
    train_path = ROOT / "classifiers" / "data" / "train.jsonl"

    def scores(directory: Path) -> dict:
        metrics = classification_metrics(gold, load_classifier(directory).predict_proba(texts), MODEL_LABELS)
        return {k: metrics[k] for k in ("accuracy", "macro_f1", "in_scope_routing_accuracy")}

    before = scores(model_dir)
    print(f"Corrections from {len(pool)} real complaints; scored on the other {len(held_out)} real texts (never trained on)")
    print(f"{'corrections':>12}{'seconds':>10}{'accuracy':>11}{'macro-F1':>10}{'routing acc.':>14}")
    print(f"{0:>12}{'-':>10}{100 * before['accuracy']:>10.1f}%{before['macro_f1']:>10.3f}{100 * before['in_scope_routing_accuracy']:>13.1f}%")
    for count in args.counts:
        corrections = [(e.text, e.label) for e in pool[:count]]
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            finetune_on_corrections(model_dir, corrections, Path(tmp) / "model", train_path=train_path)
            seconds = time.perf_counter() - started
            after = scores(Path(tmp) / "model")
        print(f"{len(corrections):>12}{seconds:>10.1f}{100 * after['accuracy']:>10.1f}%{after['macro_f1']:>10.3f}"
              f"{100 * after['in_scope_routing_accuracy']:>13.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
