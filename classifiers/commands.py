"""Plain functions behind ``feedback train``, ``feedback evaluate`` and ``feedback classify``.

Each returns the text to print; the CLI prints it.
"""

from __future__ import annotations

from pathlib import Path

from classifiers.data.io import read_examples
from classifiers.data.split import build_split

DATA_DIR = Path(__file__).resolve().parent / "data"
TRAIN_PATH = DATA_DIR / "train.jsonl"
TEST_PATH = DATA_DIR / "test.jsonl"
VOCAB_PATH = DATA_DIR / "vocab.txt"
"""The shipped model's WordPiece vocabulary, reused by ``feedback train`` so that it reproduces the model."""


def train_command(
    output: str | Path | None = None,
    base: str | Path | None = None,
    extra_examples_path: str | Path | None = None,
    epochs: int | None = None,
    tiny: bool = False,
    new_vocab: bool = False,
    incremental: bool = False,
) -> str:
    """Train on the fixed split (built first if missing) into ``output`` (default: the shipped model).

    From scratch the committed ``data/vocab.txt`` is reused; ``new_vocab`` trains a new one
    and overwrites it (do that when the corpus has grown, and commit it with the model).
    ``incremental`` fine-tunes the current model (``CLASSIFIER_MODEL`` or the shipped one) on the
    extra examples instead, replaying part of the training texts: minutes instead of a full run.
    """
    from classifiers.predict import SHIPPED_MODEL_DIR, default_model_dir
    from classifiers.train import finetune_on_corrections, train_model

    output = Path(output) if output is not None else SHIPPED_MODEL_DIR
    lines = []
    if not TRAIN_PATH.exists():
        lines.append(build_split())
    extra = read_examples(extra_examples_path) if extra_examples_path else []
    if incremental:
        if not extra:
            return "No corrections to learn from: nothing changed."
        metrics = finetune_on_corrections(default_model_dir(), extra, output, train_path=TRAIN_PATH)
        done = metrics["incremental"]
        return (f"Model fine-tuned from {done['from']} on {done['corrections']} extra examples "
                f"(+{done['replayed']} replayed training texts) in {done['seconds']} s; saved to {output}")
    metrics = train_model(
        TRAIN_PATH, output, base=base, extra_examples=extra, epochs=epochs, tiny=tiny,
        vocab_path=None if tiny else VOCAB_PATH, new_vocab=new_vocab,
    )
    test, baseline, train = metrics["test"], metrics.get("baseline"), metrics["train"]
    lines += [
        f"Model saved to {output} ({train['parameters']:,} parameters, {train['seconds']} s, "
        f"best epoch {train['best_epoch']}/{train['epochs_run']}, {len(extra)} extra examples)",
        f"{metrics['evaluated_on']}: macro-F1 {test['macro_f1']:.3f}, accuracy {test['accuracy']:.3f}, ECE {test['ece']:.3f}"
        + (f"; baseline macro-F1 {baseline['macro_f1']:.3f}" if baseline else ""),
        f"Triage threshold on the own test split {metrics['threshold']:.2f} ({metrics['triage']['rule']})",
    ]
    if not tiny:
        lines.append(_calibrate_on_real_text(output))
    return "\n".join(lines)


def _calibrate_on_real_text(model_dir: Path) -> str:
    """Set the threshold on the real-text development set when its sources are fetched here."""
    from classifiers.realtext import devset
    from classifiers.realtext.calibrate import calibrate

    try:
        examples = devset.load()
    except (RuntimeError, ValueError) as exc:
        return f"Threshold kept from the own test split: real-text development set not available ({exc})."
    metrics = calibrate(model_dir, examples)
    return f"Threshold set on {len(examples)} real texts: {metrics['threshold']:.2f} ({metrics['real_text']['triage']['rule']})"


def evaluate_command(model: str | Path | None = None, compare_to: str | Path | None = None) -> str:
    """Model vs TF-IDF baseline on the test split; with ``compare_to``, also before/after figures."""
    from classifiers.evaluate import compare_models, evaluate_model, format_comparison, format_report
    from classifiers.predict import default_model_dir

    model_dir = Path(model) if model is not None else default_model_dir()
    text = format_report(evaluate_model(model_dir, TEST_PATH, TRAIN_PATH))
    if compare_to is not None:
        text += "\n\n" + format_comparison(compare_models(compare_to, model_dir, TEST_PATH))
    return text


def classify_command(text: str, model: str | Path | None = None) -> str:
    """Category, confidence, top-3 and the routing decision for one text."""
    from classifiers.predict import load_classifier

    classifier = load_classifier(model)
    prediction = classifier.predict([text])[0]
    decision = "auto-route" if prediction.confidence >= classifier.threshold else "triage (below threshold)"
    lines = [
        f"category:     {prediction.category}",
        f"confidence:   {prediction.confidence:.3f} (threshold {classifier.threshold:.2f}) -> {decision}",
        f"not a complaint (lainnya): {prediction.out_of_scope:.3f}",
        "top:          " + ", ".join(f"{code} {p:.3f}" for code, p in prediction.top),
    ]
    return "\n".join(lines)
