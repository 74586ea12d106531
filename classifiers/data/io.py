"""Reading and writing ``{"text", "category"}`` JSONL files."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from classifiers.labels import check_label


class CorpusFormatError(ValueError):
    """A JSONL line that is not an object with string ``text`` and ``category``."""


def read_examples(path: str | Path, *, validate: bool = True) -> list[tuple[str, str]]:
    """Read ``(text, category)`` pairs from a JSONL file; blank lines are skipped."""
    path = Path(path)
    examples = []
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                text, category = row["text"], row["category"]
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise CorpusFormatError(f"{path}:{line_no}: not a {{'text', 'category'}} object ({exc})") from exc
            if not isinstance(text, str) or not isinstance(category, str):
                raise CorpusFormatError(f"{path}:{line_no}: text and category must be strings")
            if validate:
                check_label(category)
            examples.append((text, category))
    return examples


def write_examples(path: str | Path, examples: Iterable[tuple[str, str]]) -> None:
    """Write ``(text, category)`` pairs as JSONL (UTF-8, one object per line)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for text, category in examples:
            handle.write(json.dumps({"text": text, "category": category}, ensure_ascii=False) + "\n")
