"""The citizen's own words: body parts joined, cleaned, and quoted history and signatures removed."""
from __future__ import annotations

import re

from feedback.intake.email.html_text import html_to_text

# HTMLParser has quadratic corners on hostile input; no complaint needs more.
MAX_HTML_CHARS = 1_000_000
# Text beyond this is not read by staff; the raw message stays available.
MAX_TEXT_CHARS = 200_000
MAX_MARKER_LINE = 500


def body_text(parts: list[tuple[str, str]], notes: list[str]) -> tuple[str, bool]:
    """The (kind, text) body parts as one text, HTML converted; and whether any was HTML."""
    texts: list[str] = []
    converted = False
    for kind, text in parts:
        if kind == "html":
            if len(text) > MAX_HTML_CHARS:
                notes.append(f"HTML body cut to {MAX_HTML_CHARS} characters before conversion")
                text = text[:MAX_HTML_CHARS]
            text = html_to_text(text)
            converted = True
        texts.append(text)
    return "\n\n".join(t.strip("\n") for t in texts if t.strip()), converted


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def clean_body(text: str) -> str:
    """Unix line ends, control characters removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


def looks_garbled(text: str) -> bool:
    """More than a fifth replacement or control characters: the charset was wrong or the body binary."""
    if len(text) < 20:
        return False
    bad = sum(1 for ch in text if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\n\r") or 0x7F <= ord(ch) <= 0x9F)
    return bad / len(text) > 0.2


# --- quoted replies, forwards and signatures ------------------------------

_REPLY_HEADERS = [
    re.compile(r"^\s*On\b.{0,300}\bwrote:\s*$", re.IGNORECASE),
    re.compile(r"^\s*Pada\b.{0,300}\bmenulis:\s*$", re.IGNORECASE),
    re.compile(r"^\s*Le\b.{0,300}\ba écrit\s*:\s*$", re.IGNORECASE),
    re.compile(r"^\s*-{2,}\s*(Original Message|Pesan Asli|Pesan Orisinal|Pesan asal)\s*-{2,}\s*$", re.IGNORECASE),
    re.compile(r"^\s*-{2,}\s*(Original message|Pesan asli)\s*-{2,}\s*$", re.IGNORECASE),
]
_FORWARD_MARKERS = [
    re.compile(r"^\s*-{2,}\s*(Forwarded message|Forwarded Message|Pesan yang diteruskan|Pesan terusan)\s*-{2,}\s*$", re.IGNORECASE),
    re.compile(r"^\s*(Begin forwarded message|Awal pesan yang diteruskan|Pesan yang diteruskan)\s*:\s*$", re.IGNORECASE),
]
# Outlook's header block: "From:/Dari:" followed closely by "Sent:/Date:/Dikirim:/Tanggal:".
_OUTLOOK_FROM = re.compile(r"^\s*\*?(From|Dari)\s*:\*?\s*\S", re.IGNORECASE)
_OUTLOOK_NEXT = re.compile(r"^\s*\*?(Sent|Date|Dikirim|Tanggal|To|Kepada|Subject|Subjek|Perihal)\s*:", re.IGNORECASE)
_UNDERSCORE_RULE = re.compile(r"^\s*_{10,}\s*$")
_FORWARD_HEADER_LINE = re.compile(
    r"^\s*\*?(From|Dari|Date|Tanggal|Sent|Dikirim|Subject|Subjek|Perihal|To|Kepada|Cc|Reply-To)\s*:", re.IGNORECASE
)
_SIGNATURE_LINES = [
    re.compile(r"^--\s?$"),
    re.compile(
        r"^\s*(Sent|Dikirim|Sent via|Dikirim melalui|Dikirim via)\s+(from|dari|via|melalui)?\s*(my\s+)?"
        r"(iphone|ipad|ipod|android|samsung|galaxy|huawei|xiaomi|redmi|oppo|vivo|realme|yahoo|outlook|mail\b|gmail|"
        r"blackberry|mobile|phone|ponsel|hp\b|smartphone|perangkat|windows|aplikasi)",
        re.IGNORECASE,
    ),
    re.compile(r"^\s*(Get|Dapatkan|Unduh)\s+Outlook\s+(for|untuk)\b", re.IGNORECASE),
]


def _find_marker(lines: list[str]) -> tuple[int, str] | None:
    """First line that starts quoted history ('reply') or forwarded content ('forward')."""
    for i, line in enumerate(lines):
        if len(line) > MAX_MARKER_LINE:
            continue
        joined = line if i + 1 >= len(lines) else f"{line} {lines[i + 1][:MAX_MARKER_LINE]}"
        if any(p.match(line) for p in _FORWARD_MARKERS):
            return i, "forward"
        if any(p.match(line) for p in _REPLY_HEADERS):
            return i, "reply"
        # "On ..., Name <a@b>\nwrote:" wrapped by the client over two lines.
        if line.strip() and any(p.match(joined) for p in _REPLY_HEADERS[:3]) and lines[i + 1].strip().endswith(":"):
            return i, "reply"
        if _UNDERSCORE_RULE.match(line) and i + 1 < len(lines) and _OUTLOOK_FROM.match(lines[i + 1]):
            return i, "reply"
        if _OUTLOOK_FROM.match(line) and any(_OUTLOOK_NEXT.match(nxt) for nxt in lines[i + 1 : i + 4]):
            return i, "reply"
    return None


def _strip_signature(lines: list[str]) -> list[str]:
    for i, line in enumerate(lines):
        if any(p.match(line) for p in _SIGNATURE_LINES):
            return lines[:i]
    return lines


def _drop_quoted(lines: list[str]) -> list[str]:
    return [line for line in lines if not line.lstrip().startswith(">")]


def _skip_forward_headers(lines: list[str]) -> list[str]:
    i = 0
    while i < len(lines) and (not lines[i].strip() or _FORWARD_HEADER_LINE.match(lines[i])):
        i += 1
    return lines[i:]


def _join(lines: list[str]) -> str:
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in lines)).strip()


def extract_complaint_text(text: str, _depth: int = 0) -> str:
    """The citizen's own words: quoted history, signatures and client footers removed.

    A forward whose note is empty keeps the forwarded content; a forward with a
    note keeps both, note first.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    marker = _find_marker(lines)
    head, tail, kind = (lines, [], None) if marker is None else (lines[: marker[0]], lines[marker[0] + 1 :], marker[1])
    own = _join(_strip_signature(_drop_quoted(head)))
    if kind == "forward" and _depth < 5:
        forwarded = extract_complaint_text("\n".join(_skip_forward_headers(tail)), _depth + 1)
        return f"{own}\n\n{forwarded}".strip() if own else forwarded
    if kind == "reply" and not own:
        # Bottom-posted reply: the history comes first, the answer after it.
        return _join(_strip_signature(_drop_quoted(tail)))
    return own

