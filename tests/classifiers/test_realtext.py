"""The real-text development set: references rebuilt from a fetched copy, and how it is scored."""

from __future__ import annotations

import csv
import io
import subprocess

import numpy as np
import pytest

from classifiers.labels import MODEL_LABELS
from classifiers.realtext import devset, sources
from classifiers.realtext.devset import DevExample, DevSetMismatchError
from classifiers.realtext.evaluate import format_side_by_side, score


def _bare_mirror(tmp_path, repo: str, files: dict[str, bytes]) -> tuple[str, object]:
    """A fetched-style bare repository ``MIRROR/owner+name/repo`` holding ``files`` in one commit."""
    work = tmp_path / "work"
    work.mkdir()
    for path, content in files.items():
        (work / path).parent.mkdir(parents=True, exist_ok=True)
        (work / path).write_bytes(content)
    git = ["git", "-c", "user.email=t@example.invalid", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q", str(work)], check=True)
    subprocess.run([*git, "-C", str(work), "add", "."], check=True)
    subprocess.run([*git, "-C", str(work), "commit", "-qm", "data"], check=True)
    commit = subprocess.run(["git", "-C", str(work), "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    mirror = tmp_path / "mirror"
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(mirror / repo.replace("/", "+") / "repo")], check=True)
    return commit, mirror


@pytest.fixture
def fake_source(tmp_path, monkeypatch):
    rows = [["text", "kategori"], ["jalan desa rusak parah", "x"], ["", "x"], ["PKH saya tidak cair", "x"]]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    commit, mirror = _bare_mirror(tmp_path, "someone/portal", {"data/aduan.csv": buffer.getvalue().encode()})
    source = sources.Source("portal", "someone/portal", commit, "csv", ("data/aduan.csv",), "text")
    monkeypatch.setitem(sources.SOURCES, "portal", source)
    monkeypatch.setattr(devset, "SOURCES", sources.SOURCES)
    return source, mirror


def test_texts_are_read_from_the_pinned_commit_and_empty_rows_skipped(fake_source):
    source, mirror = fake_source
    texts = list(sources.iter_texts(source, mirror))
    assert [(t.row, t.text) for t in texts] == [(0, "jalan desa rusak parah"), (2, "PKH saya tidak cair")]


def test_refs_rebuild_into_labelled_texts_and_refuse_a_changed_row(fake_source, tmp_path):
    source, mirror = fake_source
    texts = list(sources.iter_texts(source, mirror))
    refs = tmp_path / "refs.csv"
    devset.write_refs([devset.ref_row(texts[0], "infrastruktur_jalan", False), devset.ref_row(texts[1], "none", True)], refs)
    committed = refs.read_text()
    assert "jalan desa" not in committed and "PKH" not in committed  # references only, never the text
    rebuilt = devset.rebuild(mirror, refs)
    assert [(e.text, e.label, e.unsure) for e in rebuilt] == [
        ("jalan desa rusak parah", "infrastruktur_jalan", False),
        ("PKH saya tidak cair", "lainnya", True),
    ]
    refs.write_text(committed.replace(texts[1].digest, "000000000000"))
    with pytest.raises(DevSetMismatchError):
        devset.rebuild(mirror, refs)


def test_a_missing_fetch_is_a_clear_error(tmp_path):
    with pytest.raises(sources.MirrorMissingError, match="not fetched"):
        list(sources.iter_texts(sources.SOURCES["tweets"], tmp_path))


def test_committed_refs_hold_valid_labels_and_no_text():
    rows = devset.read_refs()
    assert len(rows) >= 1000
    assert {r["source"] for r in rows} == set(sources.SOURCES)
    for row in rows:
        devset.model_label(row["label"])
        assert set(row) == set(devset.REF_FIELDS) and len(row["sha"]) == 12
        assert row["commit"] == sources.SOURCES[row["source"]].commit


def _probs(rows: list[tuple[str, float]]) -> np.ndarray:
    """One probability row per (best label, its probability); the rest spread evenly."""
    out = np.zeros((len(rows), len(MODEL_LABELS)))
    for i, (label, p) in enumerate(rows):
        out[i, :] = (1 - p) / (len(MODEL_LABELS) - 1)
        out[i, MODEL_LABELS.index(label)] = p
    return out


def test_scores_count_routing_precision_coverage_and_triage_of_non_complaints():
    examples = [
        DevExample("a|p|0", "a", "t", "listrik", False),
        DevExample("a|p|1", "a", "t", "listrik", False),
        DevExample("a|p|2", "a", "t", "bencana", False),
        DevExample("b|p|0", "b", "t", "lainnya", False),
        DevExample("b|p|1", "b", "t", "lainnya", False),
    ]
    probs = _probs([("listrik", 0.9), ("bencana", 0.9), ("bencana", 0.3), ("lainnya", 0.8), ("listrik", 0.95)])
    result = score(examples, probs, shipped_threshold=0.5)
    shipped = result["overall"]["shipped"]
    # routed: rows 0, 1 (listrik/bencana at 0.9), row 4 (listrik 0.95, but it is not a complaint)
    assert shipped["routed"] == 3
    assert shipped["coverage"] == pytest.approx(2 / 3)
    assert shipped["precision"] == pytest.approx(1 / 3)
    assert shipped["nonc_to_triage"] == pytest.approx(1 / 2)
    assert result["overall"]["accuracy"] == pytest.approx(3 / 5)
    assert set(result["sources"]) == {"a", "b"} and result["sources"]["a"]["n"] == 3
    report = format_side_by_side({"model": result, "baseline": result})
    assert "== overall: 5 texts, 3 complaints, 2 non-complaints" in report and "== b:" in report
