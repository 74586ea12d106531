"""Read real complaint texts out of fetched copies of public repositories (evaluation only).

The texts carry personal data and no licence, so they are never committed: the project commits
references (source, commit, path, row) with labels, and this module turns references back into
texts from a local bare mirror (the layout of the ``fetch`` tool: ``MIRROR/owner+name/repo``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MIRROR = Path("/work/.mirror")


@dataclass(frozen=True)
class Source:
    name: str
    repo: str
    commit: str
    kind: str  # csv | geojson | xlsx
    paths: tuple[str, ...]
    text_column: str = ""


SOURCES: dict[str, Source] = {
    source.name: source
    for source in (
        Source(
            "regency_portal",
            "Enggal350/Deteksi-Dini-Masalah-Sosial-Pemantauan-Keluhan",
            "ea95b572a9428331af07b556c4b18527454fdbae",
            "csv",
            ("dataset/dataset_cleaned.csv",),
            "text",
        ),
        Source(
            "tweets",
            "Enggal350/Deteksi-Dini-Masalah-Sosial-Pemantauan-Keluhan",
            "ea95b572a9428331af07b556c4b18527454fdbae",
            "csv",
            ("dataset/dataset_aduan.csv",),
            "text",
        ),
        Source(
            "flood_reports",
            "fadmastuti/petabencana.id-data-archive",
            "2a7ddec2734c95630fd926573bda7a8f5a5254d1",
            "geojson",
            (
                "2017/reports/petabencana.id_jbd_reports_2017-02-20.geojson",
                "2017/reports/petabencana.id_jbd_reports_2017-02-21.geojson",
                "2017/reports/petabencana.id_jbd_reports_2017-02-22.geojson",
            ),
        ),
        Source(
            "social_aid",
            "rzqthya/streamlitDashboard",
            "cecf78c0404d37194799d70a90c939d7922009b8",
            "xlsx",
            ("zData Dashboard/Data Aduan 2022-2023.xlsx",),
            "Isi Laporan Akhir",
        ),
        Source(
            "pln_reviews",
            "marisdarmawan/Klasifikasi-Review-Negatif-PLN-Mobile",
            "76cf22b68b2b943c5a8b094d5a8e4f08cf9e643a",
            "csv",
            ("Hasil_Klasifikasi_Ulasan_PLN.csv",),
            "content",
        ),
    )
}


@dataclass(frozen=True)
class RealText:
    source: str
    path: str
    row: int
    text: str

    @property
    def digest(self) -> str:
        """Short SHA-256 of the text: lets a rebuild prove it found the same row without storing it."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:12]


class MirrorMissingError(RuntimeError):
    """The public repository has not been fetched to the mirror folder."""


def git_dir(source: Source, mirror: Path = DEFAULT_MIRROR) -> Path:
    path = Path(mirror) / source.repo.replace("/", "+") / "repo"
    if not path.exists():
        raise MirrorMissingError(f"{source.repo} is not fetched: expected a bare copy at {path}")
    return path


def read_blob(source: Source, path: str, mirror: Path = DEFAULT_MIRROR) -> bytes:
    result = subprocess.run(
        ["git", "--git-dir", str(git_dir(source, mirror)), "show", f"{source.commit}:{path}"],
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        raise MirrorMissingError(f"{source.repo}@{source.commit[:7]}:{path}: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout


def iter_texts(source: Source, mirror: Path = DEFAULT_MIRROR) -> Iterator[RealText]:
    """Every non-empty text of ``source``; ``row`` is the 0-based data row (CSV, XLSX) or feature index."""
    for path in source.paths:
        blob = read_blob(source, path, mirror)
        if source.kind == "csv":
            reader = csv.DictReader(io.StringIO(blob.decode("utf-8-sig")))
            rows = (row.get(source.text_column) or "" for row in reader)
        elif source.kind == "geojson":
            features = json.loads(blob)["features"]
            rows = ((feature.get("properties") or {}).get("text") or "" for feature in features)
        elif source.kind == "xlsx":
            rows = _xlsx_column(blob, source.text_column)
        else:
            raise ValueError(f"unknown source kind {source.kind!r}")
        for row, text in enumerate(rows):
            if text and text.strip():
                yield RealText(source.name, path, row, text)


def _xlsx_column(blob: bytes, column: str) -> Iterator[str]:
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(blob), read_only=True).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell) for cell in next(rows)]
    index = header.index(column)
    for values in rows:
        value = values[index] if index < len(values) else None
        yield "" if value is None else str(value)
