"""Training-time text noise that mimics how citizens type.

The tokenizer lowercases, so case changes would be invisible to the model; the
noise here is what survives lowercasing: dropped words, typos, chat abbreviations
(and their expansions) and cropping of long texts.
"""

from __future__ import annotations

import random

# formal form -> informal variants seen in complaint channels (and back)
_INFORMAL = {
    "yang": ["yg"], "tidak": ["tdk", "gak", "nggak", "ga"], "sudah": ["udh", "udah", "sdh"],
    "dengan": ["dgn"], "untuk": ["utk", "buat"], "tolong": ["tlg"], "bapak": ["bpk", "pak"],
    "karena": ["krn", "karna"], "belum": ["blm"], "saja": ["aja"], "sama": ["sm"],
    "juga": ["jg"], "kalau": ["kalo", "klo"], "sampai": ["sampe"], "bagaimana": ["gimana"],
    "banget": ["bgt"], "sekali": ["bgt"], "terima": ["trima"], "kasih": ["kasi"],
    "mohon": ["mhn"], "segera": ["sgr"], "warga": ["wrg"], "jalan": ["jln", "jl"],
    "rumah": ["rmh"], "sekolah": ["sklh"], "kenapa": ["knp", "napa"], "apa": ["ap"],
    "lagi": ["lg"], "dari": ["dr"], "pada": ["pd"], "bisa": ["bs"], "hari": ["hr"],
    "minggu": ["mgg"], "bulan": ["bln"], "tahun": ["thn"], "kami": ["kmi"], "saya": ["sy", "aku"],
    "admin": ["min"], "terus": ["trs"], "kemana": ["kmn"], "gimana": ["gmn"],
}
_REVERSE: dict[str, list[str]] = {}
for _formal, _variants in _INFORMAL.items():
    for _variant in _variants:
        _REVERSE.setdefault(_variant, []).append(_formal)


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    if kind == 2:
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    return word[:i] + rng.choice("aeiounkrst") + word[i + 1 :]


def augment_text(
    text: str,
    rng: random.Random,
    *,
    word_dropout: float = 0.1,
    typo_rate: float = 0.04,
    slang_rate: float = 0.3,
    crop_probability: float = 0.25,
) -> str:
    """Return a noisy copy of ``text``; the label does not change."""
    words = text.split()
    if len(words) > 30 and rng.random() < crop_probability:
        keep = max(15, int(len(words) * rng.uniform(0.6, 1.0)))
        start = rng.randrange(0, len(words) - keep + 1)
        words = words[start : start + keep]
    out = []
    for word in words:
        if len(words) > 4 and rng.random() < word_dropout:
            continue
        key = word.lower()
        if rng.random() < slang_rate:
            options = _INFORMAL.get(key) or _REVERSE.get(key)
            if options:
                word = rng.choice(options)
        if rng.random() < typo_rate:
            word = _typo(word, rng)
        out.append(word)
    return " ".join(out) if out else text
