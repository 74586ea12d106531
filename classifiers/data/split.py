"""Build the fixed train/test split from ``classifiers/data/raw/*.jsonl``.

Run once with ``python -m classifiers.data.split``; the two files are then committed
and never mixed. Texts written after the split was fixed live in the train-only folders
(``raw_train/``, then ``raw_traffic/`` and ``raw_gap/``, written to look like real portal traffic, and
``raw_borders/``, contrastive texts for the taxonomy's border rules)
and only ever join ``train.jsonl`` (appended after the original training texts), so the
test split stays exactly what it was. Duplicates are detected on a normalized form of the text (case,
accents, digits and punctuation ignored), so template variants that differ only in
an RT number do not leak from train into test.
"""

from __future__ import annotations

import argparse
import random
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from classifiers.data.io import read_examples, write_examples

DATA_DIR = Path(__file__).resolve().parent
RAW_DIR = DATA_DIR / "raw"
RAW_TRAIN_DIR = DATA_DIR / "raw_train"
TRAIN_ONLY_DIRS = (RAW_TRAIN_DIR, DATA_DIR / "raw_traffic", DATA_DIR / "raw_gap", DATA_DIR / "raw_borders")
SEED = 20240601
TEST_FRACTION = 0.2

_NON_LETTERS = re.compile(r"[^a-z]+")


def normalize_for_dedup(text: str) -> str:
    """Lowercase, strip accents, drop digits, punctuation and emoji, collapse spaces.

    Texts without letters (only emoji or digits) keep their stripped form as the key.
    """
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _NON_LETTERS.sub(" ", folded).strip() or " ".join(text.split())


@dataclass
class DedupResult:
    examples: list[tuple[str, str]]
    duplicates: int = 0
    conflicting: list[str] = field(default_factory=list)


def deduplicate(examples: list[tuple[str, str]]) -> DedupResult:
    """Keep the first text of each normalized form; drop forms labelled with two categories."""
    labels_by_key: dict[str, set[str]] = defaultdict(set)
    for text, category in examples:
        labels_by_key[normalize_for_dedup(text)].add(category)
    seen: set[str] = set()
    result = DedupResult(examples=[])
    for text, category in examples:
        key = normalize_for_dedup(text)
        if not key:
            continue
        if len(labels_by_key[key]) > 1:
            if key not in seen:
                result.conflicting.append(text)
            seen.add(key)
            continue
        if key in seen:
            result.duplicates += 1
            continue
        seen.add(key)
        result.examples.append((text, category))
    return result


def stratified_split(
    examples: list[tuple[str, str]], test_fraction: float, seed: int
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Split per category with a seeded shuffle; each side is shuffled again."""
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction}")
    rng = random.Random(seed)
    by_label: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for example in examples:
        by_label[example[1]].append(example)
    train, test = [], []
    for label in sorted(by_label):
        group = by_label[label]
        rng.shuffle(group)
        n_test = round(len(group) * test_fraction) if len(group) > 1 else 0
        test.extend(group[:n_test])
        train.extend(group[n_test:])
    rng.shuffle(train)
    rng.shuffle(test)
    return train, test


def load_raw(raw_dir: Path = RAW_DIR, *, required: bool = True) -> list[tuple[str, str]]:
    """All examples of ``raw_dir/*.jsonl`` in file-name order."""
    files = sorted(raw_dir.glob("*.jsonl")) if raw_dir.is_dir() else []
    if not files and required:
        raise FileNotFoundError(f"no *.jsonl files in {raw_dir}")
    examples: list[tuple[str, str]] = []
    for path in files:
        examples.extend(read_examples(path))
    return examples


def train_only_examples(split_examples: list[tuple[str, str]], extra: list[tuple[str, str]]) -> DedupResult:
    """Deduplicated ``extra`` texts whose normalized form is not already in the split."""
    taken = {normalize_for_dedup(text) for text, _ in split_examples}
    dedup = deduplicate(extra)
    kept = [(text, category) for text, category in dedup.examples if normalize_for_dedup(text) not in taken]
    return DedupResult(kept, dedup.duplicates + len(dedup.examples) - len(kept), dedup.conflicting)


def build_split(
    raw_dir: Path = RAW_DIR,
    out_dir: Path = DATA_DIR,
    *,
    test_fraction: float = TEST_FRACTION,
    seed: int = SEED,
    raw_train_dirs: tuple[Path, ...] | None = None,
) -> str:
    """Read, deduplicate, split and write ``train.jsonl``/``test.jsonl``; return a summary.

    Train-only texts come from ``raw_train_dirs`` (default: ``TRAIN_ONLY_DIRS`` beside ``raw_dir``).
    """
    if raw_train_dirs is None:
        raw_train_dirs = tuple(raw_dir.with_name(d.name) for d in TRAIN_ONLY_DIRS)
    raw = load_raw(raw_dir)
    dedup = deduplicate(raw)
    train, test = stratified_split(dedup.examples, test_fraction, seed)
    extra_raw = [example for d in raw_train_dirs for example in load_raw(d, required=False)]
    extra = train_only_examples(dedup.examples, extra_raw)
    random.Random(seed).shuffle(extra.examples)
    train = train + extra.examples
    write_examples(out_dir / "train.jsonl", train)
    write_examples(out_dir / "test.jsonl", test)
    train_counts, test_counts = Counter(c for _, c in train), Counter(c for _, c in test)
    lines = [
        f"raw texts: {len(raw)}; exact/normalized duplicates dropped: {dedup.duplicates}; "
        f"dropped for conflicting labels: {len(dedup.conflicting)}",
        f"train-only texts ({', '.join(d.name + '/' for d in raw_train_dirs)}): {len(extra_raw)}; kept: {len(extra.examples)} "
        f"(duplicates of each other or of split texts: {extra.duplicates}, conflicting: {len(extra.conflicting)})",
        f"train: {len(train)}  test: {len(test)}  (seed {seed}, test fraction {test_fraction})",
        f"{'category':<24}{'train':>7}{'test':>7}",
    ]
    for label in sorted(train_counts | test_counts):
        lines.append(f"{label:<24}{train_counts[label]:>7}{test_counts[label]:>7}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw-dir", type=Path, default=RAW_DIR)
    parser.add_argument("--raw-train-dir", type=Path, action="append", default=None, help="train-only folder (repeatable)")
    parser.add_argument("--out-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--test-fraction", type=float, default=TEST_FRACTION)
    args = parser.parse_args(argv)
    print(build_split(args.raw_dir, args.out_dir, test_fraction=args.test_fraction, seed=args.seed, raw_train_dirs=tuple(args.raw_train_dir) if args.raw_train_dir else None))


if __name__ == "__main__":
    main()
