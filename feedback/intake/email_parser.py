"""Turn one raw inbound email into the fields a ticket needs.

`parse_email()` never raises for any input: hostile or broken mail comes back
with `quarantine_reason` set, auto-replies and bounces with `auto_reason` set.
The caller stores the raw bytes first, then parses, then decides:

* `quarantine_reason` set → keep the raw message for admins, create nothing;
* `auto_reason` set → create nothing and send nothing (no mail loops);
* otherwise → a new ticket, or a citizen message on the ticket whose tracking
  code appears in `tracking_codes_found`.

Headers are read with the `compat32` policy and decoded here, because the
modern policy can raise deep inside its header parser on malformed input.
"""
from __future__ import annotations

import codecs
import email
import email.errors
import email.header
import email.message
import email.utils
import hashlib
import logging
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.policy import compat32
from enum import StrEnum
from html.parser import HTMLParser

from feedback.intake.attachment_types import AttachmentError, safe_filename, sniff_type, validate_attachment
from feedback.intake.messages import Channel, IntakeAttachment, IntakeMessage

logger = logging.getLogger(__name__)

# What the stdlib email package raises on malformed input it did not repair.
_MALFORMED = (email.errors.MessageError, ValueError, TypeError, LookupError, IndexError, AttributeError)

MiB = 1024 * 1024
# HTMLParser has quadratic corners on hostile input; no complaint needs more.
MAX_HTML_CHARS = 1_000_000
# Text beyond this is not read by staff; the raw message stays available.
MAX_TEXT_CHARS = 200_000
# decode_header() slows down badly on huge headers; a subject needs 250 characters.
MAX_HEADER_CHARS = 4000
MAX_MARKER_LINE = 500
MAX_SUBJECT_LENGTH = 250
MAX_MIME_PARTS = 500
MAX_MIME_DEPTH = 20
# More attachment parts than this is not a citizen's email; quarantine it whole.
QUARANTINE_ATTACHMENT_FACTOR = 10


class QuarantineReason(StrEnum):
    TOO_LARGE = "too_large"
    NO_FROM = "no_from"
    EMPTY = "empty"
    TOO_MANY_ATTACHMENTS = "too_many_attachments"
    TOO_MANY_PARTS = "too_many_parts"
    NESTED_ARCHIVE = "nested_archive"
    INVALID_ENCODING = "invalid_encoding"
    INVALID_STRUCTURE = "invalid_structure"


class AutoReason(StrEnum):
    AUTO_SUBMITTED = "auto_submitted"
    X_AUTOREPLY = "x_autoreply"
    PRECEDENCE = "precedence"
    MAILING_LIST = "mailing_list"
    DELIVERY_REPORT = "delivery_report"
    FAILED_RECIPIENTS = "failed_recipients"
    SYSTEM_SENDER = "system_sender"
    NULL_RETURN_PATH = "null_return_path"
    AUTO_SUBJECT = "auto_subject"


@dataclass
class ParsedEmail:
    message_id: str | None = None
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    subject: str = ""
    from_name: str | None = None
    from_address: str | None = None
    date: datetime | None = None
    text: str = ""
    html_converted: bool = False
    attachments: list[IntakeAttachment] = field(default_factory=list)
    rejected_attachments: list[tuple[str, str]] = field(default_factory=list)
    tracking_codes_found: list[str] = field(default_factory=list)
    auto_reason: AutoReason | None = None
    quarantine_reason: QuarantineReason | None = None
    # Human-readable context for the admin view and the logs.
    notes: list[str] = field(default_factory=list)
    raw_sha256: str = ""
    size: int = 0

    @property
    def is_actionable(self) -> bool:
        """True when this mail should become a ticket or a citizen message."""
        return self.quarantine_reason is None and self.auto_reason is None

    def to_intake_message(self) -> IntakeMessage:
        """The channel-neutral shape; idempotency by Message-ID, else the raw hash."""
        return IntakeMessage(
            text=self.text,
            channel=Channel.EMAIL,
            title=self.subject or None,
            reporter_name=self.from_name,
            reporter_email=self.from_address,
            attachments=list(self.attachments),
            idempotency_key=self.message_id or f"sha256:{self.raw_sha256}",
            source_ref=self.message_id,
        )


# --- tracking codes -------------------------------------------------------

TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_C = f"[{TRACKING_ALPHABET}]"
# Dashed form in any case; the undashed form only in capitals to avoid words.
_DASHED_CODE = re.compile(rf"(?<![0-9A-Za-z])({_C}{{4}})-({_C}{{4}})-({_C}{{4}})(?![0-9A-Za-z])", re.IGNORECASE)
_PLAIN_CODE = re.compile(rf"(?<![0-9A-Za-z])({_C}{{4}})({_C}{{4}})({_C}{{4}})(?![0-9A-Za-z])")


def find_tracking_candidates(text: str) -> list[str]:
    """Tracking-code shaped strings, normalised to XXXX-XXXX-XXXX, in order, no repeats."""
    found: list[tuple[int, str]] = []
    for pattern in (_DASHED_CODE, _PLAIN_CODE):
        for match in pattern.finditer(text):
            found.append((match.start(), "-".join(match.groups()).upper()))
    return list(dict.fromkeys(code for _, code in sorted(found)))


# --- decoding helpers -----------------------------------------------------

_SINGLE_BYTE_ALIASES = {"us-ascii", "ascii", "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "cp819"}


def decode_bytes(data: bytes, declared: str | None) -> str:
    """Decode text honestly: declared charset if it fits, else UTF-8, else cp1252.

    Like browsers, ISO-8859-1 and US-ASCII labels are read as windows-1252.
    Bytes that are valid multi-byte UTF-8 under a single-byte label are UTF-8.
    Never raises.
    """
    label = (declared or "").strip().strip('"').lower()
    if not data:
        return ""
    if label in _SINGLE_BYTE_ALIASES or label in {"windows-1252", "cp1252"}:
        if not data.isascii():
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                pass
        return _decode_cp1252(data)
    codec = _lookup_codec(label) if label else None
    for candidate in (codec, "utf-8"):
        if candidate:
            try:
                return data.decode(candidate)
            except (UnicodeDecodeError, LookupError, ValueError):
                continue
    return _decode_cp1252(data)


# Codecs that are not charsets (escape decoders) or are slow on hostile bytes.
_REFUSED_CODECS = frozenset({"unicode-escape", "raw-unicode-escape", "punycode", "idna", "undefined"})


def _lookup_codec(label: str) -> str | None:
    try:
        info = codecs.lookup(label)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _REFUSED_CODECS:
        return None
    return info.name


def _decode_cp1252(data: bytes) -> str:
    # cp1252 leaves five bytes undefined; those become U+FFFD.
    return data.decode("cp1252", errors="replace")


def decode_header_value(value: object) -> str:
    """Decode an RFC 2047 header (or raw 8-bit header bytes) to str; never raises."""
    if value is None:
        return ""
    if isinstance(value, str) and len(value) > MAX_HEADER_CHARS:
        value = value[:MAX_HEADER_CHARS]
    try:
        chunks = email.header.decode_header(value)  # type: ignore[arg-type]
    except (email.errors.HeaderParseError, ValueError, TypeError, LookupError, AssertionError):
        return _raw_header_text(value)
    parts: list[str] = []
    for chunk, charset in chunks:
        if isinstance(chunk, str):
            parts.append(_raw_header_text(chunk))
        elif charset in (None, "unknown-8bit"):
            parts.append(decode_bytes(chunk, "utf-8"))
        else:
            parts.append(decode_bytes(chunk, charset))
    return "".join(parts)


def _raw_header_text(value: object) -> str:
    text = str(value)
    try:
        return decode_bytes(text.encode("ascii", "surrogateescape"), "utf-8")
    except UnicodeEncodeError:
        return text


def clean_header_text(text: str, limit: int = MAX_SUBJECT_LENGTH) -> str:
    """One line of printable text: CR, LF and every other control become spaces."""
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text)
    return " ".join(text.split())[:limit]


def _first_header(msg: email.message.Message, name: str) -> object | None:
    try:
        values = msg.get_all(name)
    except _MALFORMED:
        return None
    return values[0] if values else None


def _header(msg: email.message.Message, name: str) -> str:
    return clean_header_text(decode_header_value(_first_header(msg, name)), limit=2000)


_MSGID = re.compile(r"<[^<>\s]{1,900}>")


def _message_ids(value: str) -> list[str]:
    return _MSGID.findall(value)


_ADDRESS = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)


def validate_address(address: str) -> str | None:
    """The address with a lower-cased domain if it is a plain, routable address."""
    address = address.strip()
    if len(address) > 254 or not _ADDRESS.match(address):
        return None
    local, _, domain = address.rpartition("@")
    if len(local) > 64:
        return None
    return f"{local}@{domain.lower()}"


def _parse_from(raw_value: object | None) -> tuple[str | None, str | None]:
    if raw_value is None:
        return None, None
    # Raw 8-bit headers arrive as Header objects and hold no encoded words: decode first.
    raw_text = raw_value if isinstance(raw_value, str) else decode_header_value(raw_value)
    raw_text = raw_text.replace("\r", " ").replace("\n", " ")
    try:
        pairs = email.utils.getaddresses([raw_text])
    except (ValueError, TypeError, IndexError):
        return None, None
    pairs = [(name, addr) for name, addr in pairs if addr]
    if len(pairs) != 1:
        return None, None
    name, addr = pairs[0]
    name = clean_header_text(decode_header_value(name), limit=200) or None
    return name, validate_address(decode_header_value(addr))


# --- HTML to text ---------------------------------------------------------

_BLOCK_TAGS = frozenset(
    "p div li ul ol tr table h1 h2 h3 h4 h5 h6 blockquote pre hr section article header footer address dl dt dd".split()
)
_PARAGRAPH_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 table ul ol pre blockquote".split())
_SKIP_TAGS = frozenset({"script", "style", "head", "title", "template", "noscript", "object", "svg"})


class _HtmlToText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip_depth = 0
        self.quote_depth = 0
        self.pre_depth = 0

    def _newline(self) -> None:
        self.out.append("\n")

    def _break(self, blank_line: bool = False) -> None:
        """End the current line (and leave a blank one for paragraphs) unless already done."""
        tail = "".join(self.out[-2:])
        if not self.out:
            return
        if not tail.endswith("\n"):
            self.out.append("\n")
            tail += "\n"
        if blank_line and not tail.endswith("\n\n"):
            self.out.append("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip_depth += 1
        elif tag == "br":
            self._newline()
        elif tag in _BLOCK_TAGS:
            self._break(blank_line=tag in _PARAGRAPH_TAGS)
            if tag == "blockquote":
                self.quote_depth += 1
            elif tag == "pre":
                self.pre_depth += 1
            elif tag == "li":
                self._text("- ")
            elif tag == "hr":
                self._text("________________________________")
                self._newline()
        elif tag in ("td", "th"):
            self.out.append(" ")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt and not self.skip_depth:
                self._text(f"[{alt}]")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _SKIP_TAGS:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            if tag == "blockquote":
                self.quote_depth = max(0, self.quote_depth - 1)
            elif tag == "pre":
                self.pre_depth = max(0, self.pre_depth - 1)
            self._break(blank_line=tag in _PARAGRAPH_TAGS)

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if not self.pre_depth:
            data = re.sub(r"[ \t\r\n\f]+", " ", data)
        self._text(data)

    def _text(self, data: str) -> None:
        if not data:
            return
        at_line_start = not self.out or self.out[-1].endswith("\n")
        if at_line_start:
            data = data.lstrip(" ") if not self.pre_depth else data
            if not data:
                return
            if self.quote_depth:
                data = "> " * self.quote_depth + data
        self.out.append(data)


_MSO_MARKED_SECTION = re.compile(r"<!\[[^<>\[\]]{0,200}\]>")  # Outlook's <![if !supportLists]>, <![endif]>


def defuse_markup(html: str) -> str:
    """Escape every '<' that cannot start a complete tag, in linear time.

    CPython's HTMLParser rescans to the end of the input for each '<' whose
    tag, comment or declaration is never closed (quadratic: 40,000 '<!--'
    take half a minute), and gives up with AssertionError on bogus '<!['.
    Afterwards each remaining '<' either opens a closed comment or has its
    '>' before the next '<'.
    """
    html = _MSO_MARKED_SECTION.sub("", html)
    out: list[str] = []
    i, n = 0, len(html)
    comments_closed = True  # once '-->' is missing, it is missing for every later '<!--'
    next_gt = next_lt = -1
    while i < n:
        lt = html.find("<", i)
        if lt < 0:
            out.append(html[i:])
            break
        out.append(html[i:lt])
        if comments_closed and html.startswith("<!--", lt):
            end = html.find("-->", lt + 4)
            if end >= 0:
                out.append(html[lt : end + 3])
                i = end + 3
                continue
            comments_closed = False
        if next_gt < lt + 1:
            next_gt = html.find(">", lt + 1)
            next_gt = n if next_gt < 0 else next_gt
        if next_lt < lt + 1:
            next_lt = html.find("<", lt + 1)
            next_lt = n if next_lt < 0 else next_lt
        if next_gt < n and next_gt < next_lt and not html.startswith(("<!--", "<!["), lt):
            out.append(html[lt : next_gt + 1])
            i = next_gt + 1
        else:
            out.append("&lt;")
            i = lt + 1
    return "".join(out)


def html_to_text(html: str) -> str:
    """Readable text from HTML with the stdlib parser; script/style dropped."""
    parser = _HtmlToText()
    try:
        parser.feed(defuse_markup(html))
        parser.close()
    except (AssertionError, ValueError, IndexError) as exc:  # the stdlib parser's own give-ups
        logger.warning("html_to_text: parser gave up: %r", exc)
    text = "".join(parser.out).replace("\xa0", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


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


# --- auto-replies and bounces ---------------------------------------------

_AUTO_SUBJECT = re.compile(
    r"^\s*(out of (the )?office|automatic reply|auto[- ]?reply|autoreply|auto[- ]?response|balasan otomatis|"
    r"di luar kantor|undeliverable|undelivered mail|delivery status notification|delivery failure|"
    r"mail delivery (failed|failure|system)|returned mail|failure notice|tidak dapat dikirim|tidak terkirim|"
    r"pemberitahuan status pengiriman)",
    re.IGNORECASE,
)
_SYSTEM_SENDERS = re.compile(r"^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?)([+-].*)?@", re.IGNORECASE)


def detect_auto_reply(msg: email.message.Message, subject: str, from_address: str | None) -> AutoReason | None:
    """Why this mail was written by a machine (never answer it), or None."""
    auto_submitted = _header(msg, "Auto-Submitted").lower()
    if auto_submitted and auto_submitted != "no":
        return AutoReason.AUTO_SUBMITTED
    if _first_header(msg, "X-Autoreply") is not None or _first_header(msg, "X-Autorespond") is not None:
        return AutoReason.X_AUTOREPLY
    if _header(msg, "Precedence").lower() in {"bulk", "junk", "list", "auto_reply"}:
        return AutoReason.PRECEDENCE
    if _first_header(msg, "List-Id") is not None or _first_header(msg, "List-Unsubscribe") is not None:
        return AutoReason.MAILING_LIST
    if _content_type(msg) == "multipart/report":
        return AutoReason.DELIVERY_REPORT
    if _first_header(msg, "X-Failed-Recipients") is not None:
        return AutoReason.FAILED_RECIPIENTS
    raw_from = _header(msg, "From")
    if (from_address and _SYSTEM_SENDERS.match(from_address)) or re.search(r"\bmailer-daemon\b", raw_from, re.IGNORECASE):
        return AutoReason.SYSTEM_SENDER
    if _header(msg, "Return-Path").replace(" ", "") == "<>":
        return AutoReason.NULL_RETURN_PATH
    if _AUTO_SUBJECT.match(subject):
        return AutoReason.AUTO_SUBJECT
    return None


# --- MIME walk -------------------------------------------------------------


def _content_type(part: email.message.Message) -> str:
    try:
        return part.get_content_type()
    except _MALFORMED:  # a malformed Content-Type means text/plain (RFC 2045)
        return "text/plain"


def _param(part: email.message.Message, getter: str) -> str | None:
    try:
        value = getattr(part, getter)()
    except _MALFORMED:  # malformed parameters are treated as absent
        return None
    if value is None:
        return None
    return clean_header_text(decode_header_value(value) if isinstance(value, str) else str(value), limit=300) or None


def _disposition(part: email.message.Message) -> str:
    try:
        return (part.get_content_disposition() or "").lower()
    except _MALFORMED:
        return ""


def _payload_bytes(part: email.message.Message) -> bytes:
    try:
        payload = part.get_payload(decode=True)
    except _MALFORMED as exc:  # undecodable transfer encoding: no payload
        logger.info("email payload not decodable: %r", exc)
        return b""
    return payload if isinstance(payload, bytes) else b""


def _part_text(part: email.message.Message) -> str:
    return decode_bytes(_payload_bytes(part), _param(part, "get_content_charset"))


@dataclass
class _Walk:
    body_parts: list[tuple[str, str]] = field(default_factory=list)  # (kind, text) kind: plain|html
    forwarded_parts: list[str] = field(default_factory=list)
    candidates: list[tuple[str, bytes, str]] = field(default_factory=list)  # (filename, data, declared)
    notes: list[str] = field(default_factory=list)
    parts_seen: int = 0
    too_deep: bool = False
    too_many_parts: bool = False


def _is_attachment(part: email.message.Message, ctype: str) -> bool:
    """Files and inline images are attachments; inline text without a name is body."""
    disposition = _disposition(part)
    if disposition == "attachment" or not ctype.startswith("text/"):
        return True
    return disposition != "inline" and _param(part, "get_filename") is not None


def _walk(part: email.message.Message, walk: _Walk, depth: int = 0, *, body_wanted: bool = True) -> None:
    walk.parts_seen += 1
    if walk.parts_seen > MAX_MIME_PARTS:
        walk.too_many_parts = True
        return
    if depth > MAX_MIME_DEPTH:
        walk.too_deep = True
        return
    ctype = _content_type(part)
    if ctype in ("message/rfc822", "message/global"):
        _walk_forwarded(part, walk, depth)
        return
    if ctype.startswith("message/"):
        return  # delivery-status and friends carry no citizen text
    if part.is_multipart():
        children = part.get_payload()
        if not isinstance(children, list):
            return
        if ctype == "multipart/alternative":
            best = _best_alternative(children)
            for child in children:
                _walk(child, walk, depth + 1, body_wanted=body_wanted and child is best)
        else:
            for child in children:
                _walk(child, walk, depth + 1, body_wanted=body_wanted)
        return
    if _is_attachment(part, ctype):
        walk.candidates.append((_param(part, "get_filename") or "", _payload_bytes(part), ctype))
        return
    if not body_wanted:
        return
    if ctype == "text/html":
        walk.body_parts.append(("html", _part_text(part)))
    elif ctype == "text/plain":
        walk.body_parts.append(("plain", _part_text(part)))
    # text/calendar, text/enriched... carry no usable complaint text: ignored


def _walk_forwarded(part: email.message.Message, walk: _Walk, depth: int) -> None:
    payload = part.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else None
    if not isinstance(inner, email.message.Message):
        return
    nested = _Walk(parts_seen=walk.parts_seen)
    _walk(inner, nested, depth + 1)
    walk.parts_seen = nested.parts_seen
    walk.too_deep |= nested.too_deep
    walk.too_many_parts |= nested.too_many_parts
    walk.candidates.extend(nested.candidates)
    walk.notes.extend(nested.notes)
    text, _ = _body_text(nested)
    if text:
        walk.forwarded_parts.append(text)


def _best_alternative(children: list[email.message.Message]) -> email.message.Message | None:
    def has(part: email.message.Message, wanted: str) -> bool:
        for sub in _iter_parts(part):
            if _content_type(sub) == wanted and _disposition(sub) != "attachment" and _payload_bytes(sub).strip():
                return True
        return False

    for wanted in ("text/plain", "text/html"):
        for child in children:
            if has(child, wanted):
                return child
    return children[0] if children else None


def _iter_parts(part: email.message.Message, depth: int = 0) -> Iterator[email.message.Message]:
    if depth > MAX_MIME_DEPTH:
        return
    yield part
    if part.is_multipart() and isinstance(part.get_payload(), list):
        for child in part.get_payload():
            yield from _iter_parts(child, depth + 1)


def _body_text(walk: _Walk) -> tuple[str, bool]:
    texts: list[str] = []
    converted = False
    for kind, text in walk.body_parts:
        if kind == "html":
            if len(text) > MAX_HTML_CHARS:
                walk.notes.append(f"HTML body cut to {MAX_HTML_CHARS} characters before conversion")
                text = text[:MAX_HTML_CHARS]
            text = html_to_text(text)
            converted = True
        texts.append(text)
    return "\n\n".join(t.strip("\n") for t in texts if t.strip()), converted


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def _clean_body(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


def _looks_garbled(text: str) -> bool:
    if len(text) < 20:
        return False
    bad = sum(1 for ch in text if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\n\r") or 0x7F <= ord(ch) <= 0x9F)
    return bad / len(text) > 0.2


# --- attachments ----------------------------------------------------------


def _accept_attachments(
    walk: _Walk, parsed: ParsedEmail, *, max_attachments: int, max_attachment_bytes: int
) -> QuarantineReason | None:
    if len(walk.candidates) > max(max_attachments * QUARANTINE_ATTACHMENT_FACTOR, 50):
        parsed.notes.append(f"{len(walk.candidates)} attachment parts")
        return QuarantineReason.TOO_MANY_ATTACHMENTS
    quarantine = None
    for index, (name, data, declared) in enumerate(walk.candidates, start=1):
        sniffed = sniff_type(data)
        shown = safe_filename(name or f"lampiran-{index}", sniffed)
        if len(parsed.attachments) >= max_attachments:
            parsed.rejected_attachments.append((shown, "too_many"))
            continue
        try:
            validate_attachment(IntakeAttachment(shown, data, declared), max_bytes=max_attachment_bytes)
        except AttachmentError as exc:
            parsed.rejected_attachments.append((shown, exc.code))
            parsed.notes.append(f"attachment {shown!r} rejected: {exc}")
            if exc.code == "nested_archive":
                quarantine = QuarantineReason.NESTED_ARCHIVE
            continue
        parsed.attachments.append(IntakeAttachment(filename=shown, data=data, declared_type=declared))
    return quarantine


# --- entry point ----------------------------------------------------------


def parse_email(
    raw: bytes,
    *,
    max_bytes: int = 25 * MiB,
    max_attachments: int = 5,
    max_attachment_bytes: int = 10 * MiB,
    find_codes: Callable[[str], list[str]] = find_tracking_candidates,
) -> ParsedEmail:
    """Parse one raw RFC 5322 message; never raises, hostile mail is quarantined."""
    raw = bytes(raw)
    parsed = ParsedEmail(raw_sha256=hashlib.sha256(raw).hexdigest(), size=len(raw))
    too_large = len(raw) > max_bytes
    # Each MIME part starts with a "--boundary" line; thousands of them cost the stdlib parser seconds.
    too_many_parts = not too_large and raw.count(b"\n--") > 4 * MAX_MIME_PARTS
    try:
        # Over a limit only the headers are read, so admins still see who sent it.
        source = _header_block(raw) if too_large or too_many_parts else raw
        msg = email.message_from_bytes(source, policy=compat32)
        _read_headers(msg, parsed)
        if too_large or too_many_parts:
            parsed.quarantine_reason = QuarantineReason.TOO_LARGE if too_large else QuarantineReason.TOO_MANY_PARTS
            parsed.notes.append(f"{len(raw)} bytes > {max_bytes}" if too_large else "more than 2000 '--' lines")
            return parsed
        full_text = _read_body(msg, parsed, max_attachments=max_attachments, max_attachment_bytes=max_attachment_bytes)
        # Codes are searched before trimming: a reply quotes our notice with its code.
        parsed.tracking_codes_found = _codes(find_codes, parsed.subject, full_text)
    except RecursionError:
        parsed.quarantine_reason = QuarantineReason.INVALID_STRUCTURE
        parsed.notes.append("MIME nesting too deep for the parser")
    except Exception as exc:  # noqa: BLE001 - the receiver must never crash; the raw mail is kept
        logger.exception("parse_email: unexpected failure on message %s", parsed.raw_sha256)
        parsed.quarantine_reason = QuarantineReason.INVALID_STRUCTURE
        parsed.notes.append(f"parser error: {exc!r}"[:500])
    if parsed.quarantine_reason:
        logger.info("email %s quarantined: %s", parsed.message_id or parsed.raw_sha256, parsed.quarantine_reason)
    return parsed


def _header_block(raw: bytes, limit: int = 256 * 1024) -> bytes:
    head = raw[:limit]
    for separator in (b"\r\n\r\n", b"\n\n"):
        index = head.find(separator)
        if index >= 0:
            return head[: index + len(separator)]
    return head


def _read_headers(msg: email.message.Message, parsed: ParsedEmail) -> None:
    ids = _message_ids(_header(msg, "Message-ID"))
    parsed.message_id = ids[0] if ids else None
    in_reply_to = _message_ids(_header(msg, "In-Reply-To"))
    parsed.in_reply_to = in_reply_to[0] if in_reply_to else None
    parsed.references = _message_ids(_header(msg, "References"))[:100]
    parsed.subject = clean_header_text(decode_header_value(_first_header(msg, "Subject")))
    parsed.from_name, parsed.from_address = _parse_from(_first_header(msg, "From"))
    parsed.date = _parse_date(_header(msg, "Date"))
    parsed.auto_reason = detect_auto_reply(msg, parsed.subject, parsed.from_address)
    if parsed.from_address is None:
        parsed.quarantine_reason = QuarantineReason.NO_FROM
        parsed.notes.append(f"From header unusable: {_header(msg, 'From')[:200]!r}")


def _parse_date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _read_body(msg: email.message.Message, parsed: ParsedEmail, *, max_attachments: int, max_attachment_bytes: int) -> str:
    """Fill text and attachments; return the untrimmed text for the code search."""
    walk = _Walk()
    _walk(msg, walk)
    if walk.too_many_parts:
        parsed.quarantine_reason = parsed.quarantine_reason or QuarantineReason.TOO_MANY_PARTS
    if walk.too_deep:
        parsed.quarantine_reason = parsed.quarantine_reason or QuarantineReason.INVALID_STRUCTURE
        parsed.notes.append(f"MIME nesting deeper than {MAX_MIME_DEPTH}")
    raw_text, parsed.html_converted = _body_text(walk)
    parsed.notes.extend(walk.notes)
    if len(raw_text) > MAX_TEXT_CHARS:
        parsed.notes.append(f"text cut from {len(raw_text)} to {MAX_TEXT_CHARS} characters")
        raw_text = raw_text[:MAX_TEXT_CHARS]
    garbled = _looks_garbled(raw_text)
    raw_text = _clean_body(raw_text)
    forwarded = [_clean_body(text[:MAX_TEXT_CHARS]) for text in walk.forwarded_parts]
    own = extract_complaint_text(raw_text)
    forwarded_texts = [extract_complaint_text(text) for text in forwarded]
    # A message forwarded as an attachment: its text is the complaint when the note is empty.
    parsed.text = "\n\n".join(t for t in [own, *forwarded_texts] if t).strip()
    quarantine = _accept_attachments(
        walk, parsed, max_attachments=max_attachments, max_attachment_bytes=max_attachment_bytes
    )
    parsed.quarantine_reason = parsed.quarantine_reason or quarantine
    if garbled:
        parsed.quarantine_reason = parsed.quarantine_reason or QuarantineReason.INVALID_ENCODING
    if not parsed.text and not parsed.attachments and parsed.auto_reason is None:
        parsed.quarantine_reason = parsed.quarantine_reason or QuarantineReason.EMPTY
    return "\n".join([raw_text, *forwarded])


def _codes(find_codes: Callable[[str], list[str]], subject: str, body: str) -> list[str]:
    found = [*find_codes(subject), *find_codes(body)]
    return list(dict.fromkeys(found))
