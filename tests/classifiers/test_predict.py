"""The shipped model through the public API (no mocks)."""

import json
import math

import pytest

from classifiers import CATEGORY_CODES, load_classifier
from classifiers.predict import SHIPPED_MODEL_DIR

CLEAR_CASES = {
    "infrastruktur_jalan": "Jalan berlubang besar di depan SD Negeri 3, aspal rusak parah sudah 2 bulan, motor sering jatuh",
    "kebersihan_lingkungan": "sampah di TPS pasar sudah seminggu tidak diangkut, menumpuk dan baunya menyengat",
    "air_bersih": "Air PDAM mati total sudah 3 hari di perumahan kami, tolong segera diperbaiki pipanya",
    "listrik": "listrik PLN padam terus tiap malam, tiang listrik miring dan kabelnya menjuntai",
    "kesehatan": "Di puskesmas antrean lama sekali, dokternya tidak ada, pasien BPJS ditolak",
    "pendidikan": "Sekolah anak saya memungut biaya seragam dan buku LKS yang mahal, katanya wajib beli",
    "kependudukan": "KTP elektronik saya sudah 6 bulan belum dicetak di Dukcapil, katanya blangko habis",
    "transportasi": "Lampu lalu lintas di perempatan mati sejak kemarin, kendaraan saling serobot",
    "bantuan_sosial": "Bantuan PKH keluarga kami tidak cair lagi padahal masih terdaftar di DTKS",
    "ketertiban_umum": "PKL berjualan di trotoar sampai makan badan jalan, pejalan kaki terpaksa jalan di aspal",
    "keamanan": "Motor saya dicuri di depan rumah tadi malam, maling sudah sering beraksi di gang ini",
    "bencana": "Rumah warga terendam banjir setinggi pinggang karena tanggul sungai jebol, butuh evakuasi",
    "perizinan": "Pengajuan PBG lewat SIMBG sudah 3 bulan belum terbit, izin bangunan saya terkatung-katung",
}
NOT_COMPLAINTS = [
    "Assalamualaikum, selamat pagi admin",
    "terima kasih banyak pak atas pelayanannya 🙏",
    "tes tes, cuma coba aplikasinya",
]
PATHOLOGICAL = [
    "",
    "   \n\t ",
    "😀😡🙏🔥" * 50,
    "jalan rusak " * 10_000,
    "x" * 100_000,
    bytes(range(256)).decode("latin-1") * 4,
    "\x00\x01\x02 garbage \ufffd\ud800",
    "The streetlight near my house has been broken for a week",
    "我家附近的路灯坏了一个星期",
    "الطريق مكسور",
]


@pytest.fixture(scope="module")
def classifier():
    return load_classifier()


def _check(prediction):
    assert prediction.category in CATEGORY_CODES
    assert 0.0 <= prediction.confidence <= 1.0
    assert len(prediction.top) >= 3
    probabilities = [p for _, p in prediction.top]
    assert probabilities == sorted(probabilities, reverse=True)
    assert sum(probabilities) <= 1.0 + 1e-6
    assert all(code in CATEGORY_CODES for code, _ in prediction.top)
    assert prediction.top[0] == (prediction.category, prediction.confidence)
    assert 0.0 <= prediction.out_of_scope <= 1.0 and not math.isnan(prediction.out_of_scope)


def test_shipped_model_folder_is_small_and_self_describing():
    config = json.loads((SHIPPED_MODEL_DIR / "config.json").read_text())
    assert set(config["id2label"].values()) == set(CATEGORY_CODES) | {"lainnya"}
    size = sum(p.stat().st_size for p in SHIPPED_MODEL_DIR.iterdir())
    assert size < 20 * 1024 * 1024
    assert (SHIPPED_MODEL_DIR / "README.md").exists()


def test_clear_complaints_get_plausible_categories(classifier):
    predictions = classifier.predict(list(CLEAR_CASES.values()))
    for prediction in predictions:
        _check(prediction)
    hits = [p.category == code for code, p in zip(CLEAR_CASES, predictions)]
    in_top3 = [code in dict(p.top) for code, p in zip(CLEAR_CASES, predictions)]
    assert sum(hits) >= 11, list(zip(CLEAR_CASES, [p.category for p in predictions]))
    assert all(in_top3), list(zip(CLEAR_CASES, [p.top for p in predictions]))


def test_greetings_and_thanks_mostly_go_to_triage(classifier):
    predictions = classifier.predict(NOT_COMPLAINTS)
    below = [p.confidence < classifier.threshold for p in predictions]
    assert sum(below) >= 2
    assert sum(p.out_of_scope > 0.5 for p in predictions) >= 2


def test_threshold_comes_from_metrics(classifier):
    stored = json.loads((SHIPPED_MODEL_DIR / "metrics.json").read_text())["threshold"]
    assert classifier.threshold == pytest.approx(stored)
    assert 0.0 < classifier.threshold < 1.0


@pytest.mark.parametrize("text", PATHOLOGICAL, ids=range(len(PATHOLOGICAL)))
def test_pathological_texts_never_raise(classifier, text):
    (prediction,) = classifier.predict([text])
    _check(prediction)


def test_odd_inputs_and_batching_keep_order(classifier):
    texts = list(CLEAR_CASES.values()) * 3 + PATHOLOGICAL
    batched = classifier.predict(texts)
    assert len(batched) == len(texts)
    single = [classifier.predict([t])[0] for t in texts[:13]]
    assert [p.category for p in batched[:13]] == [p.category for p in single]
    assert [p.confidence for p in batched[:13]] == pytest.approx([p.confidence for p in single], abs=1e-4)
    assert classifier.predict([]) == []
    (from_bytes,) = classifier.predict([b"\xff\xfe jalan rusak"])
    _check(from_bytes)


def test_threads_setting_is_read_from_environment(monkeypatch):
    import torch

    before = torch.get_num_threads()
    monkeypatch.setenv("CLASSIFIER_THREADS", "1")
    try:
        assert load_classifier().threads == 1
    finally:
        torch.set_num_threads(before)


def test_long_numbers_urls_and_stretched_letters_are_normalised():
    from classifiers.text import clean_text

    cleaned = clean_text("NIK 3578 1526 0382 0001 hp 0812-3456-7890 MATI LAMPU TERUUUUS https://x.id/a?b=1", 128)
    assert "3578" not in cleaned and "7890" not in cleaned and "x.id" not in cleaned
    assert cleaned.split().count("nomor") == 2 and "TERUS" in cleaned and "tautan" in cleaned
    assert clean_text("RT 04 RW 12 tahun 2024", 128) == "RT 04 RW 12 tahun 2024"
