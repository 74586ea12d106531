"""Attachment checks shared by the web and email channels.

Types are decided by magic bytes only: the declared MIME type and the file name
are what the sender claims, the first bytes are what a browser or viewer will
actually see. Only photos (JPEG, PNG) and PDF documents are accepted.
"""
from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import Iterable

from feedback.intake.messages import IntakeAttachment

MiB = 1024 * 1024
DEFAULT_MAX_BYTES = 10 * MiB
DEFAULT_MAX_COUNT = 5
MAX_FILENAME_LENGTH = 100
FALLBACK_STEM = "lampiran"

_ALLOWED_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)

# Canonical extension first; the others are accepted as-is when they match.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "image/jpeg": (".jpg", ".jpeg", ".jpe"),
    "image/png": (".png",),
    "application/pdf": (".pdf",),
}

_EXECUTABLE_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "Windows executable"),
    (b"\x7fELF", "ELF executable"),
    (b"#!", "script"),
    (b"\xca\xfe\xba\xbe", "Mach-O/Java class"),
    (b"\xfe\xed\xfa\xce", "Mach-O executable"),
    (b"\xfe\xed\xfa\xcf", "Mach-O executable"),
    (b"\xce\xfa\xed\xfe", "Mach-O executable"),
    (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
    (b"\x00asm", "WebAssembly"),
)

_ARCHIVE_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"PK\x07\x08", "zip"),
    (b"Rar!\x1a\x07", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"MSCF", "cab"),
)
_ARCHIVE_EXTENSIONS = frozenset(
    ".zip .rar .7z .gz .tgz .bz2 .xz .zst .tar .cab .jar .apk .iso .arj .lzh .z".split()
)
_MAX_ZIP_MEMBERS_INSPECTED = 1000

_MESSAGES: dict[str, tuple[str, str]] = {
    "too_many": (
        "Terlalu banyak lampiran (paling banyak {limit} berkas).",
        "Too many attachments (at most {limit} files).",
    ),
    "too_large": (
        "Lampiran {filename} terlalu besar (paling besar {limit_mib} MB).",
        "Attachment {filename} is too large (at most {limit_mib} MB).",
    ),
    "empty": (
        "Lampiran {filename} kosong.",
        "Attachment {filename} is empty.",
    ),
    "type_not_allowed": (
        "Jenis berkas {filename} tidak diterima; kirim foto JPEG/PNG atau dokumen PDF.",
        "File type of {filename} is not accepted; send a JPEG/PNG photo or a PDF document.",
    ),
    "executable": (
        "Lampiran {filename} adalah program atau skrip dan ditolak.",
        "Attachment {filename} is a program or script and was rejected.",
    ),
    "archive": (
        "Lampiran {filename} adalah arsip terkompresi (zip/rar/7z) dan ditolak.",
        "Attachment {filename} is a compressed archive (zip/rar/7z) and was rejected.",
    ),
    "nested_archive": (
        "Lampiran {filename} berisi arsip di dalam arsip dan ditolak.",
        "Attachment {filename} contains an archive inside an archive and was rejected.",
    ),
}


class AttachmentError(ValueError):
    """An attachment (or a set of them) that must not be stored; `code` is stable."""

    def __init__(self, code: str, *, filename: str | None = None, detail: str = "", **params: object) -> None:
        if code not in _MESSAGES:
            raise KeyError(f"unknown attachment error code {code!r}")
        self.code = code
        self.filename = filename
        self.detail = detail
        fmt = {"filename": filename or "", **params}
        template_id, template_en = _MESSAGES[code]
        self.message_id = " ".join(template_id.format(**fmt).split())
        self.message_en = " ".join(template_en.format(**fmt).split())
        super().__init__(f"{code}: {self.message_en}" + (f" ({detail})" if detail else ""))


@dataclass(frozen=True)
class ValidatedAttachment:
    filename: str
    content_type: str
    data: bytes
    size: int
    sha256: str


def sniff_type(data: bytes) -> str | None:
    """Return the accepted MIME type that the magic bytes show, else None."""
    for signature, content_type in _ALLOWED_SIGNATURES:
        if data.startswith(signature):
            return content_type
    return None


def _executable_kind(data: bytes) -> str | None:
    for signature, kind in _EXECUTABLE_SIGNATURES:
        if data.startswith(signature):
            return kind
    return None


def _archive_kind(data: bytes) -> str | None:
    for signature, kind in _ARCHIVE_SIGNATURES:
        if data.startswith(signature):
            return kind
    if len(data) >= 262 and data[257:262] == b"ustar":
        return "tar"
    return None


def _zip_contains_archive(data: bytes) -> bool:
    """True when a zip lists an archive member (by name or by its first bytes)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist()[:_MAX_ZIP_MEMBERS_INSPECTED]:
                name = info.filename.lower()
                if any(name.endswith(ext) for ext in _ARCHIVE_EXTENSIONS):
                    return True
                if info.file_size == 0 or info.is_dir():
                    continue
                with archive.open(info) as member:
                    # A short streamed read: a zip bomb is never expanded.
                    if _archive_kind(member.read(300)):
                        return True
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError, ValueError):
        # Unreadable or encrypted: it is rejected as an archive anyway.
        return False
    return False


_DRIVE = re.compile(r"^[A-Za-z]:")
_UNSAFE_STEM_CHARS = re.compile(r"[^\w\s()\-+,@&=~]", re.UNICODE)
_EXT_SHAPE = re.compile(r"^\.[A-Za-z0-9]{1,10}$")


def safe_filename(name: str | None, content_type: str | None = None) -> str:
    """A file name safe to store and serve: no directories, controls or traversal.

    With `content_type` (the sniffed type), the name always ends with an
    extension of that type: ``foto.jpg.exe`` holding JPEG bytes becomes
    ``foto_jpg_exe.jpg``. Dots inside the stem become underscores so no
    server can read a second extension.
    """
    text = unicodedata.normalize("NFC", name or "")
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text)
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = _DRIVE.sub("", text)
    text = text.strip().lstrip(".").rstrip(". ")
    stem, dot, ext = text.rpartition(".")
    if not dot:
        stem, ext = text, ""
    else:
        ext = "." + ext
        if not _EXT_SHAPE.match(ext):
            stem, ext = text, ""
    allowed = EXTENSIONS.get(content_type or "", ())
    if content_type is not None and ext.lower() not in allowed:
        stem = f"{stem}{ext}" if stem else ext
        ext = allowed[0] if allowed else ".bin"
    ext = ext.lower()
    stem = _UNSAFE_STEM_CHARS.sub("_", stem.replace(".", "_"))
    stem = re.sub(r"\s+", " ", stem).strip(" _") or FALLBACK_STEM
    stem = stem[: MAX_FILENAME_LENGTH - len(ext)].rstrip(" ")
    return stem + ext


def validate_attachment(attachment: IntakeAttachment, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ValidatedAttachment:
    """Check one attachment; raise AttachmentError or return it with its sniffed type."""
    data = attachment.data
    shown_name = safe_filename(attachment.filename)
    if not data:
        raise AttachmentError("empty", filename=shown_name)
    if len(data) > max_bytes:
        raise AttachmentError(
            "too_large", filename=shown_name, limit_mib=round(max_bytes / MiB, 1), detail=f"{len(data)} bytes"
        )
    executable = _executable_kind(data)
    if executable:
        raise AttachmentError("executable", filename=shown_name, detail=executable)
    archive = _archive_kind(data)
    if archive:
        if archive == "zip" and _zip_contains_archive(data):
            raise AttachmentError("nested_archive", filename=shown_name, detail=archive)
        raise AttachmentError("archive", filename=shown_name, detail=archive)
    content_type = sniff_type(data)
    if content_type is None:
        raise AttachmentError("type_not_allowed", filename=shown_name, detail=repr(data[:8]))
    return ValidatedAttachment(
        filename=safe_filename(attachment.filename, content_type),
        content_type=content_type,
        data=data,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def validate_attachments(
    attachments: Iterable[IntakeAttachment],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_count: int = DEFAULT_MAX_COUNT,
) -> list[ValidatedAttachment]:
    """Validate a whole upload: all attachments pass or AttachmentError is raised."""
    items = list(attachments)
    if len(items) > max_count:
        raise AttachmentError("too_many", limit=max_count, detail=f"{len(items)} attachments")
    return [validate_attachment(item, max_bytes=max_bytes) for item in items]
