"""Evaluation report, baseline, comparison and the metric helpers."""

import numpy as np

from classifiers.evaluate import compare_models, evaluate_model, format_comparison, format_report
from classifiers.labels import MODEL_LABELS
from classifiers.metrics import choose_threshold, expected_calibration_error, triage_at


def test_evaluation_report_has_model_and_baseline_side_by_side(tiny_model, small_split):
    train, test = small_split
    report = evaluate_model(tiny_model, test, train)
    for side in ("model", "baseline"):
        metrics = report[side]
        assert {"accuracy", "macro_f1", "ece", "per_class", "confusion", "triage"} <= set(metrics)
        labels, matrix = metrics["confusion"]["labels"], metrics["confusion"]["matrix"]
        assert len(matrix) == len(labels) and all(len(row) == len(labels) for row in matrix)
        assert sum(map(sum, matrix)) == metrics["n"]
        assert 0.0 <= metrics["ece"] <= 1.0
    text = format_report(report)
    assert "tfidf+logreg" in text and "macro-F1" in text and "lainnya" in text


def test_comparison_of_a_model_with_itself_shows_no_change(tiny_model, small_split):
    report = compare_models(tiny_model, tiny_model, small_split[1])
    assert all(abs(v) < 1e-9 for v in report["delta"].values())
    assert "Change:" in format_comparison(report)


def test_expected_calibration_error():
    confidence = np.array([0.9] * 10)
    assert expected_calibration_error(confidence, np.array([1] * 9 + [0])) < 1e-9
    assert abs(expected_calibration_error(confidence, np.zeros(10)) - 0.9) < 1e-9


def test_threshold_sends_out_of_scope_texts_to_triage():
    labels = list(MODEL_LABELS)
    gold, rows = [], []
    for i in range(40):
        row = np.full(len(labels), 0.01)
        row[i % 13] = 0.9 if i % 2 else 0.6
        gold.append(labels[i % 13])
        rows.append(row / row.sum())
    for _ in range(10):
        row = np.full(len(labels), 0.01)
        row[0], row[-1] = 0.45, 0.5
        gold.append("lainnya")
        rows.append(row / row.sum())
    probs = np.array(rows)
    chosen = choose_threshold(gold, probs, labels)
    assert chosen["routed_precision"] >= 0.95
    assert chosen["out_of_scope_to_triage_fraction"] == 1.0
    assert triage_at(gold, probs, labels, 0.0)["routed_fraction"] == 1.0
