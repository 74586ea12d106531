"""A real (tiny) training run, fine-tuning from it, and the folder contract."""

import json

import pytest
import torch

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


def test_committed_vocabulary_is_what_the_shipped_model_uses():
    from transformers import AutoTokenizer

    from classifiers.commands import VOCAB_PATH
    from classifiers.predict import SHIPPED_MODEL_DIR
    from classifiers.train import load_vocab

    shipped = AutoTokenizer.from_pretrained(SHIPPED_MODEL_DIR, local_files_only=True)
    committed = load_vocab(VOCAB_PATH, 128)
    assert committed.get_vocab() == shipped.get_vocab()
    text = "Assalamualaikum admin, JLN rusak di RT 03/RW 05 sdh 2 mgg 😡 mohon ditindaklanjuti"
    assert committed(text)["input_ids"] == shipped(text)["input_ids"]


def test_vocabulary_round_trip_rejects_a_file_that_is_not_one(tmp_path):
    from classifiers.train import load_vocab

    (tmp_path / "vocab.txt").write_text("halo\nhalo\n", encoding="utf-8")
    with pytest.raises(ValueError):
        load_vocab(tmp_path / "vocab.txt", 64)


def test_retraining_with_the_saved_vocabulary_gives_the_same_weights(small_split, tmp_path):
    """What makes `feedback train` reproduce the shipped model: saved vocabulary, seeds, one thread."""
    from safetensors.torch import load_file

    train, test = small_split
    vocab = tmp_path / "vocab.txt"
    runs = []
    for name in ("first", "second"):
        metrics = train_model(train, tmp_path / name, tiny=True, epochs=1, progress=False, test_path=test, vocab_path=vocab)
        runs.append((metrics, load_file(tmp_path / name / "model.safetensors")))
    assert vocab.exists()
    (first_metrics, first), (second_metrics, second) = runs
    assert first_metrics["train"]["vocab_sha256"] == second_metrics["train"]["vocab_sha256"]
    assert first.keys() == second.keys()
    assert all(torch.equal(first[k], second[k]) for k in first)
    assert first_metrics["test"] == second_metrics["test"]


def test_framing_wraps_the_text_without_losing_it():
    import random

    from classifiers.augment import frame_text

    text = "sampah di TPS belum diangkut seminggu"
    framed = [frame_text(text, random.Random(seed)) for seed in range(20)]
    assert all(text in f for f in framed)
    assert any(len(f) > len(text) + 10 for f in framed)
    assert framed == [frame_text(text, random.Random(seed)) for seed in range(20)]


def test_incremental_fine_tuning_learns_corrections_and_keeps_the_threshold(tiny_model, small_split, tmp_path):
    from classifiers.train import IncrementalOptions, finetune_on_corrections

    train, _ = small_split
    corrections = [("pohon mahoni di depan balai desa dahannya menjuntai ke kabel mohon dipangkas", "kebersihan_lingkungan")] * 3
    before = load_classifier(tiny_model).predict_proba([corrections[0][0]])[0]
    metrics = finetune_on_corrections(
        tiny_model, corrections, tmp_path / "tuned", train_path=train,
        options=IncrementalOptions(epochs=3, lr=2e-3, replay=100, correction_repeat=8),
    )
    tuned = load_classifier(tmp_path / "tuned")
    after = tuned.predict_proba([corrections[0][0]])[0]
    column = MODEL_LABELS.index("kebersihan_lingkungan")
    assert after[column] > before[column]
    assert metrics["incremental"]["corrections"] == 3 and metrics["incremental"]["replayed"] == 100
    assert tuned.threshold == load_classifier(tiny_model).threshold
