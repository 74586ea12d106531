"""Urgent texts (floods, fires, injured people, collapsing structures) get priority `darurat`."""
from __future__ import annotations

import re

URGENT_PATTERNS = [
    r"kebakaran", r"terbakar", r"\bapi\b.*(besar|merembet|menjalar)", r"\bkobaran\b",
    r"banjir", r"tergenang.*(rumah|pinggang|dada|leher)", r"terendam", r"tanggul\s+jebol", r"meluap",
    r"longsor", r"ambruk", r"roboh", r"runtuh", r"ambles", r"jembatan\s+putus", r"mau\s+(roboh|ambruk|runtuh)",
    r"luka", r"berdarah", r"terluka", r"korban", r"pingsan", r"tidak\s+sadar(kan)?\s+diri", r"sekarat",
    r"kritis", r"sesak\s+napas", r"kejang", r"meninggal", r"tewas", r"tenggelam", r"hanyut", r"terseret",
    r"tersengat\s+listrik", r"kesetrum", r"kabel.*(putus|percikan|menjuntai|bertegangan)", r"korsleting",
    r"(bocor|bau)\s+gas", r"ledakan", r"meledak", r"puting\s+beliung", r"gempa", r"tsunami",
    r"darurat", r"emergency", r"\bsos\b", r"tolong\s+segera", r"begal", r"perampokan",
]
URGENT_RE = re.compile("|".join(f"(?:{p})" for p in URGENT_PATTERNS), re.IGNORECASE)


def is_urgent(text: str) -> bool:
    return bool(URGENT_RE.search(text or ""))
