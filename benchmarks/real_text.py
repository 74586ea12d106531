"""The classifier on real citizen text: model and TF-IDF baseline side by side, per source and overall.

    python -m benchmarks.real_text [--model PATH] [--mirror /work/.mirror] [--json out.json]

Needs the four public repositories named in ``classifiers/realtext/sources.py`` fetched under
``--mirror`` (their texts are never committed; see ``classifiers/realtext/devset.py``). The baseline
is TF-IDF + logistic regression fitted on the same ``train.jsonl`` as the model.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from a checkout


def main(argv: list[str] | None = None) -> int:
    from classifiers.realtext import devset

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="model folder (default: CLASSIFIER_MODEL or shipped)")
    parser.add_argument("--mirror", type=Path, default=devset.DEFAULT_MIRROR, help="folder of fetched repositories")
    parser.add_argument("--train", type=Path, default=ROOT / "classifiers" / "data" / "train.jsonl")
    parser.add_argument("--json", type=Path, default=None, help="also write all figures as JSON")
    args = parser.parse_args(argv)

    from classifiers import load_classifier
    from classifiers.baseline import TfidfBaseline
    from classifiers.data.io import read_examples
    from classifiers.realtext.evaluate import format_side_by_side, score

    examples = devset.load_or_exit(args.mirror)
    texts = [e.text for e in examples]

    classifier = load_classifier(args.model)
    started = time.perf_counter()
    model_probs = classifier.predict_proba(texts)
    model_s = time.perf_counter() - started
    baseline = TfidfBaseline().fit(read_examples(args.train))
    baseline_probs = baseline.predict_proba(texts)

    systems = {
        "model": score(examples, model_probs, classifier.threshold),
        "tfidf+logreg": score(examples, baseline_probs),
    }
    print(f"Real-text development set: {len(examples)} texts; model {classifier.model_dir} (threshold {classifier.threshold:.2f}); "
          f"baseline fitted on {args.train.name}; model scored {len(texts) / model_s:.0f} texts/s")
    for name, figures in systems.items():
        print(f"{name}: thresholds chosen on the other half: {figures['thresholds_cross_fitted']}")
    print()
    print(format_side_by_side(systems))
    if args.json:
        args.json.write_text(json.dumps(systems, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
