"""A real (tiny) training run, fine-tuning from it, and the folder contract."""

import json

from classifiers import CATEGORY_CODES, load_classifier
from classifiers.augment import augment_text
from classifiers.commands import classify_command
from classifiers.labels import MODEL_LABELS
from classifiers.train import train_model


def test_tiny_training_produces_a_loadable_folder(tiny_model):
    names = {p.name for p in tiny_model.iterdir()}
    assert {"model.safetensors", "config.json", "tokenizer.json", "metrics.json", "README.md"} <= names
    config = json.loads((tiny_model / "config.json").read_text())
    assert [config["id2label"][str(i)] for i in range(len(MODEL_LABELS))] == list(MODEL_LABELS)
    metrics = json.loads((tiny_model / "metrics.json").read_text())
    assert 0.0 < metrics["threshold"] < 1.0
    assert {"macro_f1", "accuracy", "ece", "per_class"} <= set(metrics["test"])
    assert metrics["baseline"]["macro_f1"] >= 0.0
    (prediction,) = load_classifier(tiny_model).predict(["air PDAM mati"])
    assert prediction.category in CATEGORY_CODES


def test_classifier_model_environment_variable(tiny_model, monkeypatch):
    monkeypatch.setenv("CLASSIFIER_MODEL", str(tiny_model))
    assert load_classifier().model_dir == tiny_model
    assert "category:" in classify_command("listrik padam")


def test_fine_tuning_a_base_with_extra_examples(tiny_model, small_split, tmp_path):
    train, test = small_split
    extra = [{"text": "lampu PJU di gang kami mati", "category": "transportasi"}]
    metrics = train_model(
        train, tmp_path / "tuned", base=tiny_model, extra_examples=extra, epochs=1, progress=False, test_path=test
    )
    assert metrics["train"]["base"] == str(tiny_model)
    assert metrics["train"]["extra_examples"] == 1
    assert load_classifier(tmp_path / "tuned").predict(["x"])[0].category in CATEGORY_CODES


def test_augmentation_is_seeded_and_keeps_text():
    import random

    text = "tolong pak jalan yang rusak di depan rumah saya sudah lama tidak diperbaiki"
    first = augment_text(text, random.Random(3))
    assert first == augment_text(text, random.Random(3))
    assert first.strip()
