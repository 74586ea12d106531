"""Shared fixtures: a tiny model trained once per session on a slice of the real split."""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path

import pytest

from classifiers.data.io import read_examples, write_examples

DATA_DIR = Path(__file__).resolve().parents[2] / "classifiers" / "data"


def _slice(path: Path, per_label: int, seed: int) -> list[tuple[str, str]]:
    by_label = defaultdict(list)
    for example in read_examples(path):
        by_label[example[1]].append(example)
    rng = random.Random(seed)
    out = []
    for label in sorted(by_label):
        out.extend(rng.sample(by_label[label], min(per_label, len(by_label[label]))))
    rng.shuffle(out)
    return out


@pytest.fixture(scope="session")
def small_split(tmp_path_factory) -> tuple[Path, Path]:
    """About 300 training and 100 test texts drawn per category from the real split."""
    folder = tmp_path_factory.mktemp("split")
    train, test = folder / "train.jsonl", folder / "test.jsonl"
    write_examples(train, _slice(DATA_DIR / "train.jsonl", 22, seed=1))
    write_examples(test, _slice(DATA_DIR / "test.jsonl", 7, seed=2))
    return train, test


@pytest.fixture(scope="session")
def tiny_model(small_split, tmp_path_factory) -> Path:
    """A one-epoch tiny model folder (seconds to train)."""
    from classifiers.train import train_model

    train, test = small_split
    output = tmp_path_factory.mktemp("tiny") / "model"
    train_model(train, output, tiny=True, epochs=1, progress=False, test_path=test)
    return output
