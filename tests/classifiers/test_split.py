from collections import Counter

from classifiers.data.io import read_examples, write_examples
from classifiers.data.split import TRAIN_ONLY_DIRS, build_split, deduplicate, load_raw, normalize_for_dedup, stratified_split
from classifiers.labels import MODEL_LABELS

from .conftest import DATA_DIR


def test_normalization_ignores_case_digits_and_punctuation():
    assert normalize_for_dedup("Jalan RUSAK di RT 03!!") == normalize_for_dedup("jalan rusak di rt 04 😡")


def test_deduplicate_drops_repeats_and_conflicting_labels():
    result = deduplicate([
        ("Sampah numpuk", "kebersihan_lingkungan"),
        ("sampah NUMPUK!", "kebersihan_lingkungan"),
        ("halo admin", "lainnya"),
        ("Halo admin.", "keamanan"),
        ("air mati", "air_bersih"),
    ])
    assert result.examples == [("Sampah numpuk", "kebersihan_lingkungan"), ("air mati", "air_bersih")]
    assert result.duplicates == 1
    assert result.conflicting == ["halo admin"]


def test_stratified_split_is_deterministic_and_proportional():
    examples = [(f"teks {label} nomor {i} " + "x" * i, label) for label in MODEL_LABELS for i in range(50)]
    train, test = stratified_split(examples, 0.2, seed=7)
    assert stratified_split(examples, 0.2, seed=7) == (train, test)
    assert set(train).isdisjoint(test) and len(train) + len(test) == len(examples)
    assert Counter(c for _, c in test) == {label: 10 for label in MODEL_LABELS}


def test_build_split_writes_both_files(tmp_path):
    raw = tmp_path / "raw"
    rows = [(f"laporan {label} {w} ke {w}", label) for label in ("listrik", "lainnya") for w in "abcdefghij"]
    write_examples(raw / "a.jsonl", rows)
    summary = build_split(raw, tmp_path, seed=1)
    train, test = read_examples(tmp_path / "train.jsonl"), read_examples(tmp_path / "test.jsonl")
    assert len(train) == 16 and len(test) == 4 and "train: 16" in summary


def test_train_only_texts_never_reach_test_and_leave_the_split_unchanged(tmp_path):
    raw, extra = tmp_path / "raw", tmp_path / "raw_train"
    rows = [(f"laporan {label} {w} ke {w}", label) for label in ("listrik", "lainnya") for w in "abcdefghij"]
    write_examples(raw / "a.jsonl", rows)
    build_split(raw, tmp_path, seed=1, raw_train_dirs=(tmp_path / "none",))
    before_train, before_test = read_examples(tmp_path / "train.jsonl"), read_examples(tmp_path / "test.jsonl")
    write_examples(extra / "b.jsonl", [
        ("tiang listrik miring di gang 5", "listrik"),
        ("Tiang listrik MIRING di gang 6!", "listrik"),  # duplicate of the line above
        (before_test[0][0].upper(), before_test[0][1]),  # a test text again: must not leak into train
        ("kabel PLN putus dekat pasar", "listrik"),
    ])
    summary = build_split(raw, tmp_path, seed=1, raw_train_dirs=(extra,))
    train, test = read_examples(tmp_path / "train.jsonl"), read_examples(tmp_path / "test.jsonl")
    assert test == before_test
    assert train[: len(before_train)] == before_train
    assert sorted(train[len(before_train) :]) == [("kabel PLN putus dekat pasar", "listrik"), ("tiang listrik miring di gang 5", "listrik")]
    assert "kept: 2" in summary


def test_committed_split_is_what_the_raw_files_build(tmp_path):
    build_split(out_dir=tmp_path)
    for name in ("train.jsonl", "test.jsonl"):
        assert (tmp_path / name).read_bytes() == (DATA_DIR / name).read_bytes(), name


def test_committed_split_is_stratified_and_disjoint():
    train, test = read_examples(DATA_DIR / "train.jsonl"), read_examples(DATA_DIR / "test.jsonl")
    train_keys = {normalize_for_dedup(t) for t, _ in train}
    assert not train_keys & {normalize_for_dedup(t) for t, _ in test}
    # the 80/20 proportion holds for the texts split together; later texts join train only
    train_only = {normalize_for_dedup(t) for d in TRAIN_ONLY_DIRS for t, _ in load_raw(d, required=False)}
    train = [(t, c) for t, c in train if normalize_for_dedup(t) not in train_only]
    train_counts, test_counts = Counter(c for _, c in train), Counter(c for _, c in test)
    assert set(train_counts) == set(test_counts) == set(MODEL_LABELS)
    for label in MODEL_LABELS:
        share = test_counts[label] / (train_counts[label] + test_counts[label])
        assert 0.17 <= share <= 0.23, label
