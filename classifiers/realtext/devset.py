"""The real-text development set: committed references and labels, texts rebuilt from fetched copies.

``refs.csv`` (committed) holds one row per labelled text: source, repository, commit, path, row,
a short SHA-256 of the text, the label (13 codes or ``none``) and whether the labeller was unsure.
``python -m classifiers.realtext.devset`` rebuilds the texts into ``var/real_dev.jsonl`` (ignored by
git) from the repositories fetched under ``--mirror``; a row whose text changed is refused.
The set is for evaluation only: the shipped model is never trained on it.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from classifiers.labels import CATEGORY_CODES, OUT_OF_SCOPE
from classifiers.realtext.sources import DEFAULT_MIRROR, SOURCES, RealText, iter_texts

REFS_PATH = Path(__file__).resolve().parent / "refs.csv"
DEFAULT_OUTPUT = Path(__file__).resolve().parents[2] / "var" / "real_dev.jsonl"
NO_CATEGORY = "none"
REF_FIELDS = ("source", "repo", "commit", "path", "row", "sha", "label", "unsure")


@dataclass(frozen=True)
class DevExample:
    id: str
    source: str
    text: str
    label: str  # a taxonomy code or "lainnya" (the refs file says "none")
    unsure: bool


def example_id(source: str, path: str, row: int) -> str:
    return f"{source}|{path}|{row}"


def model_label(label: str) -> str:
    """``none`` in the refs file is the model's ``lainnya``."""
    if label == NO_CATEGORY:
        return OUT_OF_SCOPE
    if label not in CATEGORY_CODES:
        raise ValueError(f"unknown label {label!r} in {REFS_PATH.name}")
    return label


def read_refs(path: Path = REFS_PATH) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_refs(rows: list[dict], path: Path = REFS_PATH) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=REF_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({key: row[key] for key in REF_FIELDS} for row in rows)


def ref_row(text: RealText, label: str, unsure: bool) -> dict:
    source = SOURCES[text.source]
    return {
        "source": text.source,
        "repo": source.repo,
        "commit": source.commit,
        "path": text.path,
        "row": text.row,
        "sha": text.digest,
        "label": label,
        "unsure": "1" if unsure else "0",
    }


class DevSetMismatchError(RuntimeError):
    """A reference points at a row that is missing or whose text differs from the labelled one."""


def rebuild(mirror: Path = DEFAULT_MIRROR, refs_path: Path = REFS_PATH) -> list[DevExample]:
    """The labelled texts, read from the fetched repositories and checked against the stored digests."""
    refs = read_refs(refs_path)
    wanted = {r["source"] for r in refs}
    texts: dict[str, RealText] = {}
    for name in sorted(wanted):
        for text in iter_texts(SOURCES[name], mirror):
            texts[example_id(text.source, text.path, text.row)] = text
    examples = []
    for ref in refs:
        key = example_id(ref["source"], ref["path"], int(ref["row"]))
        text = texts.get(key)
        if text is None or text.digest != ref["sha"]:
            raise DevSetMismatchError(f"{key}: text missing or changed in the fetched copy")
        examples.append(DevExample(key, ref["source"], text.text, model_label(ref["label"]), ref["unsure"] == "1"))
    return examples


def save(examples: list[DevExample], path: Path = DEFAULT_OUTPUT) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for ex in examples:
            handle.write(json.dumps(ex.__dict__, ensure_ascii=False) + "\n")


def load(path: Path = DEFAULT_OUTPUT, mirror: Path = DEFAULT_MIRROR) -> list[DevExample]:
    """The rebuilt set from ``path`` when it matches the committed refs, else rebuilt from ``mirror``."""
    refs_digest = hashlib.sha256(REFS_PATH.read_bytes()).hexdigest()
    stamp = path.with_suffix(".refs-sha256")
    if path.exists() and stamp.exists() and stamp.read_text() == refs_digest:
        with path.open(encoding="utf-8") as handle:
            return [DevExample(**json.loads(line)) for line in handle if line.strip()]
    examples = rebuild(mirror)
    save(examples, path)
    stamp.write_text(refs_digest)
    return examples


def load_or_exit(mirror: Path = DEFAULT_MIRROR, path: Path = DEFAULT_OUTPUT) -> list[DevExample]:
    """``load`` for command-line tools: a missing fetch or a changed row ends the program with the reason."""
    try:
        return load(path, mirror)
    except (RuntimeError, ValueError) as exc:
        raise SystemExit(f"error: {exc}") from exc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR, help="folder of fetched repositories")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    examples = load_or_exit(args.mirror, args.output)
    print(f"{len(examples)} texts written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
