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


# How real portal messages are wrapped around the problem itself: forwarded letters, greetings,
# identity lines and sign-offs. Training on wrapped copies teaches the model that the wrapping says
# nothing about the category (and real letters put the problem far from the start).
_OPENERS = [
    "Assalamualaikum wr wb.", "assalamualaikum", "Selamat pagi pak,", "selamat siang bu", "Sugeng enjing,",
    "Punten,", "Yth. Bapak Bupati,", "Yth Bpk Walikota", "Kepada Yth. Kepala Dinas terkait, dengan hormat,",
    "Mohon izin melaporkan,", "izin lapor min", "Ijin menyampaikan aduan warga kami,",
    "Kami meneruskan pengaduan warga:", "Saya selaku ketua RT {rt} RW {rw} menyampaikan keluhan warga.",
    "Dengan hormat, saya yang bertanda tangan di bawah ini Nama: {name} NIK: {nik} Alamat: {addr}",
    "Nama {name}, NIK {nik}, alamat {addr}.", "Perkenalkan saya {name} warga {addr}.",
    "Mohon maaf mengganggu waktunya pak.", "Tanpa mengurangi rasa hormat,", "lapor pak",
]
_CLOSERS = [
    "Terima kasih.", "trims", "mksh pak", "Demikian, atas perhatiannya kami ucapkan terima kasih.",
    "Mohon ditindaklanjuti.", "mohon segera ditindak lanjuti 🙏", "Matur nuwun.", "Hatur nuhun.",
    "Wassalamualaikum wr wb.", "Hormat kami, {name}", "kontak saya {phone}", "mohon bantuannya, terima kasih",
    "Semoga bapak sehat selalu.", "tolong ditanggapi, sudah lapor berkali-kali",
]
_NAMES = ["Sutrisno", "Siti Aminah", "Budi S.", "Wahyuni", "Agus Salim", "Rina", "Dedi Kurniawan", "Ni Made Sari",
          "La Ode Hamid", "Yohanes", "Nurhayati", "Andi Baso", "Rahmat", "Teguh P."]
_PLACES = ["Desa Sukamaju", "Kel. Tegalrejo", "Kp. Cibeureum", "Perum Griya Asri blok C", "Dusun Krajan",
           "Jl. Melati gg. 3", "Kec. Kota Baru", "Nagari Koto Tuo", "Kel. Bontoala", "Desa Mekarsari"]


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        rt=rng.randint(1, 15), rw=rng.randint(1, 12), name=rng.choice(_NAMES),
        nik="".join(rng.choice("0123456789") for _ in range(16)),
        addr=f"{rng.choice(_PLACES)} RT {rng.randint(1, 15):02d}/{rng.randint(1, 12):02d}",
        phone="08" + "".join(rng.choice("0123456789") for _ in range(10)),
    )


def frame_text(text: str, rng: random.Random) -> str:
    """Wrap ``text`` as a real portal message might be: opener, sign-off, line breaks; same label."""
    parts = [text]
    if rng.random() < 0.7:
        parts.insert(0, _fill(rng.choice(_OPENERS), rng))
    if rng.random() < 0.6:
        parts.append(_fill(rng.choice(_CLOSERS), rng))
    joiner = rng.choice([" ", "\n", "\n\n", ". "])
    return joiner.join(parts)
