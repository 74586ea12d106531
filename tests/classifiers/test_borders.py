"""The shipped model on the border set: contrastive pairs for every "Borders" rule of TAXONOMY.md.

``data/border_pairs.jsonl`` was written for this test only (never for training): each pair shares
its setting and most words but falls on the two sides of one rule. A complaint passes when the
model's best code is the right one; a text with no category passes when it goes to triage.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from classifiers import load_classifier
from classifiers.labels import MODEL_LABELS, OUT_OF_SCOPE

BORDER_PAIRS = Path(__file__).resolve().parent / "data" / "border_pairs.jsonl"
RULES = (
    "drain_vs_flood", "tree_prune_vs_fallen", "streetlight_vs_grid", "parking_vs_vendors", "lowincome_vs_service",
    "bribe_inside_vs_street", "bpjs_pbi_vs_bpjs_other", "kelurahan_certificates", "river_rubbish_vs_drain",
    "app_fault_other_service_vs_this_system", "no_problem_vs_problem", "out_of_scope_vs_in_scope",
)


def _pairs() -> list[dict]:
    return [json.loads(line) for line in BORDER_PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_border_rule_has_contrastive_pairs():
    rows = _pairs()
    by_pair = defaultdict(list)
    for row in rows:
        assert row["category"] in MODEL_LABELS
        by_pair[(row["rule"], row["pair"])].append(row["category"])
    assert set(rule for rule, _ in by_pair) == set(RULES)
    assert all(len(cats) == 2 and cats[0] != cats[1] for cats in by_pair.values())
    assert min(Counter(rule for rule, _ in by_pair).values()) >= 10


@pytest.fixture(scope="module")
def outcomes() -> list[tuple[dict, bool, str]]:
    classifier = load_classifier()
    rows = _pairs()
    predictions = classifier.predict([row["text"] for row in rows])
    results = []
    for row, prediction in zip(rows, predictions):
        if row["category"] == OUT_OF_SCOPE:
            passed = prediction.confidence < classifier.threshold
            seen = "triage" if passed else f"{prediction.category} {prediction.confidence:.2f}"
        else:
            passed = prediction.category == row["category"]
            seen = prediction.category
        results.append((row, passed, seen))
    return results


def test_shipped_model_passes_at_least_95_percent_of_the_border_set(outcomes):
    passed = sum(ok for _, ok, _ in outcomes)
    failures = [f"{row['rule']}#{row['pair']}: want {row['category']}, got {seen}: {row['text'][:70]}"
                for row, ok, seen in outcomes if not ok]
    assert passed / len(outcomes) >= 0.95, f"{passed}/{len(outcomes)} passed\n" + "\n".join(failures)
