"""parse_email(): every corpus message has concrete expected fields; fuzzing never crashes."""
from __future__ import annotations

import email.errors
import os
import re
from email.message import EmailMessage, Message
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from feedback.intake.email import MAX_TEXT_CHARS, AutoReason, ParsedEmail, QuarantineReason, parse_email
from feedback.intake.messages import Channel

CORPUS = Path(__file__).resolve().parents[2] / "data" / "emails"
TICKET = {"auto_reason": None, "quarantine_reason": None}

# Per file: exact field values; "text" is exact, "text_has"/"text_lacks" are substrings.
EXPECTED: dict[str, dict] = {
    "01_gmail_alternative.eml": {
        **TICKET,
        "subject": "Jalan berlubang di Jl. Kaliurang km 7",
        "from_name": "Budi Santoso",
        "from_address": "budi.santoso1987@gmail.com",
        "message_id": "<CAJx7b2fGmailPlainHtml01@mail.gmail.com>",
        "html_converted": False,
        "text_has": ["Jl. Kaliurang km 7", "Mohon segera ditambal", "Salam,\nBudi Santoso"],
        "text_lacks": ["<div", "&nbsp;"],
    },
    "02_outlook_html_only.eml": {
        **TICKET,
        "subject": "Sampah TPS Pasar Kranggan tidak diangkut",
        "from_address": "siti.rahma@outlook.co.id",
        "html_converted": True,
        "text_has": ["Yth. Dinas Lingkungan Hidup,", "lima hari tidak diangkut", "warga & banyak lalat",
                     "- Lokasi: TPS Pasar Kranggan\n- Sejak: Rabu, 29 Mei 2024", "Siti Rahmawati"],
        "text_lacks": ["<", "MsoNormal", "alert(", "mso 9", "\xa0"],
    },
    "03_yahoo_android.eml": {
        **TICKET,
        "from_address": "aguswibowo_88@yahoo.co.id",
        "text": "Lampu penerangan jalan di Jl. Parangtritis depan SD Negeri 2 mati sudah seminggu. "
        "Malam hari gelap sekali dan rawan jambret.\n\nMohon diperbaiki.",
    },
    "04_iphone_sent_from.eml": {
        **TICKET,
        "from_name": "Dewi Lestari",
        "text": "Pohon besar tumbang di Jl. Wates km 5 setelah hujan angin tadi subuh. Separuh jalan tertutup, "
        "mobil harus bergantian lewat.",
    },
    "05_samsung_quoted_printable.eml": {
        **TICKET,
        "subject": "Saluran air mampet – Griya Asri blok C",
        "from_name": "Rina Kurniasih",
        "text_has": ["setinggi ±20 cm", "belum ada tindakan."],
        "text_lacks": ["Dikirim dari", "=C2", "=\n"],
    },
    "06_base64_body.eml": {
        **TICKET,
        "subject": "Pelayanan KTP-el lambat",
        "text_has": ["Kecamatan Gondokusuman", "Hormat saya,\nHendra Gunawan"],
    },
    "07_iso_8859_1.eml": {
        **TICKET,
        "subject": "Ruang tunggu imigrasi 35°C",
        "from_name": "José Pereira",
        "text_has": ["Saya José Pereira", "mencapai 35°C", "Antrean ± 3 jam"],
    },
    "08_windows_1252.eml": {
        **TICKET,
        "text_has": ["“Trans Jogja”", "bocor – penumpang", "hujan…"],
        "text_lacks": ["\ufffd"],
    },
    "09_declared_utf8_actually_cp1252.eml": {
        **TICKET,
        "text": "Air PDAM di Kelurahan Wirobrajan mati sejak Senin pagi. Petugas bilang “sedang perbaikan pipa” "
        "tapi sudah 4 hari – warga harus beli air galon.",
    },
    "10_photo_attachment.eml": {
        **TICKET,
        "html_converted": False,
        "attachments": [("IMG_20240612_105511.jpg", "image/jpeg")],
        "rejected_attachments": [],
        "text": "Trotoar di depan Pasar Beringharjo sisi utara ambles dan keramiknya lepas.\n"
        "Pejalan kaki terpaksa turun ke jalan. Foto terlampir.",
    },
    "11_pdf_attachment.eml": {
        **TICKET,
        "from_name": "Lembaga Bantuan Warga",
        "attachments": [("surat_keberatan_PKL.pdf", "application/pdf")],
        "text_has": ["Terlampir surat keberatan 12 pedagang"],
        "text_lacks": ["Kusumanegara", "-- "],
    },
    "12_inline_image_cid.eml": {
        **TICKET,
        "html_converted": True,
        "attachments": [("genangan.png", "image/png")],
        "text": "Ada tumpahan oli di Jl. Solo depan Galeria, sudah dua motor tergelincir pagi ini.\n\n"
        "[foto genangan]\n\nMohon segera dibersihkan.",
    },
    "13_reply_with_tracking_code.eml": {
        **TICKET,
        "subject": "Re: [SW-7K3M-P9QX-2HZR] Lampu jalan mati di Jl. Godean",
        "in_reply_to": "<notice.7K3MP9QX2HZR.1@suarawarga.example.id>",
        "references": ["<notice.7K3MP9QX2HZR.1@suarawarga.example.id>"],
        "tracking_codes_found": ["7K3M-P9QX-2HZR"],
        "text": "Terima kasih, tapi sampai malam ini lampunya masih mati. Tiang nomor 14 dan\n"
        "15 juga ikut padam sekarang.",
    },
    "14_forwarded_complaint.eml": {
        **TICKET,
        "from_address": "eko.susilo@gmail.com",
        "text_has": ["Parkir liar di Jl. Mataram", "Matur nuwun,\nBu Darmi"],
        "text_lacks": ["Forwarded message", "Dari:", "Subject:"],
    },
    "15_out_of_office.eml": {"auto_reason": AutoReason.AUTO_SUBMITTED, "quarantine_reason": None},
    "16_dsn_bounce.eml": {"auto_reason": AutoReason.DELIVERY_REPORT, "quarantine_reason": None},
    "17_precedence_bulk_newsletter.eml": {"auto_reason": AutoReason.PRECEDENCE, "quarantine_reason": None},
    "18_no_from.eml": {"quarantine_reason": QuarantineReason.NO_FROM, "from_address": None},
    "19_empty_body.eml": {"quarantine_reason": QuarantineReason.EMPTY, "text": "", "subject": ""},
    "20_disguised_exe_as_jpg.eml": {
        **TICKET,
        "attachments": [],
        "rejected_attachments": [("foto_kerusakan.jpg", "executable")],
        "text_has": ["Jl. Imogiri Timur retak"],
    },
    "21_header_injection_subject.eml": {
        **TICKET,
        "subject": "Keluhan antrean Samsat Bcc: korban@example.com X-Injected: yes",
    },
    "22_zip_attachment.eml": {
        **TICKET,
        "attachments": [],
        "rejected_attachments": [("foto_drainase.zip", "archive")],
    },
    "23_nested_archive.eml": {
        "quarantine_reason": QuarantineReason.NESTED_ARCHIVE,
        "rejected_attachments": [("dokumen.zip", "nested_archive")],
    },
    "24_outlook_reply_original_message.eml": {
        **TICKET,
        "subject": "RE: Pengaduan Anda telah diterima",
        "tracking_codes_found": ["4DWC-9RT2-ZJXB"],
        "text": "Mohon maaf, alamat yang benar adalah Jl. Gejayan no. 21, bukan no. 12.\n\nBambang",
    },
    "25_forward_as_attachment.eml": {
        **TICKET,
        "from_address": "nur.aini@mail.example.net",
        "attachments": [],
        "text": "Posyandu RW 05 Kelurahan Bener sudah dua bulan tidak mendapat vaksin campak.\n"
        "Ibu-ibu disuruh ke puskesmas yang jauhnya 6 km.\n\nSlamet",
    },
    "26_hundreds_of_attachments.eml": {"quarantine_reason": QuarantineReason.TOO_MANY_ATTACHMENTS},
    "27_balasan_otomatis_x_autoreply.eml": {"auto_reason": AutoReason.X_AUTOREPLY, "quarantine_reason": None},
    "28_yahoo_reply_quoted_history.eml": {
        **TICKET,
        "html_converted": False,
        "tracking_codes_found": ["HQ7R-2M4N-8XKU"],
        "text": "Lampunya sudah menyala lagi sejak kemarin. Terima kasih atas tindak lanjutnya.",
    },
    "29_iphone_html_only_blockquote.eml": {
        **TICKET,
        "html_converted": True,
        "text": "Timbangan pedagang daging di Pasar Kranggan masih tidak ditera ulang.\n"
        "Pembeli rugi 1-2 ons tiap kilo.",
    },
}


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def test_corpus_is_complete_and_documented() -> None:
    files = sorted(p.name for p in CORPUS.glob("*.eml"))
    assert len(files) >= 22
    assert files == sorted(EXPECTED)
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert all(name in readme for name in files)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_message(name: str) -> None:
    parsed = parse_email(corpus(name))
    expected = dict(EXPECTED[name])
    text_has = expected.pop("text_has", [])
    text_lacks = expected.pop("text_lacks", [])
    attachments = expected.pop("attachments", None)
    for field_name, value in expected.items():
        assert getattr(parsed, field_name) == value, field_name
    for fragment in text_has:
        assert fragment in parsed.text
    for fragment in text_lacks:
        assert fragment not in parsed.text
    if attachments is not None:
        from feedback.intake.attachment_types import sniff_type

        assert [(a.filename, sniff_type(a.data)) for a in parsed.attachments] == attachments
    assert "\n" not in parsed.subject and "\r" not in parsed.subject
    assert parsed.raw_sha256 and parsed.size == len(corpus(name))


def test_every_ticket_text_is_non_empty_and_tag_free() -> None:
    for name, expected in EXPECTED.items():
        if expected.get("quarantine_reason") is None and expected.get("auto_reason") is None:
            parsed = parse_email(corpus(name))
            assert parsed.is_actionable
            assert parsed.text.strip()
            assert not re.search(r"</?[a-zA-Z][^>]*>", parsed.text), name


def test_photo_attachment_bytes_survive_base64() -> None:
    parsed = parse_email(corpus("10_photo_attachment.eml"))
    data = parsed.attachments[0].data
    assert data.startswith(b"\xff\xd8\xff") and data.endswith(b"\xff\xd9")
    assert parsed.attachments[0].declared_type == "image/jpeg"


def test_to_intake_message_maps_fields() -> None:
    parsed = parse_email(corpus("10_photo_attachment.eml"))
    message = parsed.to_intake_message()
    assert message.channel is Channel.EMAIL
    assert message.title == "Trotoar rusak depan Pasar Beringharjo (foto terlampir)"
    assert message.reporter_email == "andi.pratama@gmail.com"
    assert message.reporter_name == "Andi Pratama"
    assert message.idempotency_key == "<CAPhotoAttach10xyz@mail.gmail.com>"
    assert len(message.attachments) == 1


def test_idempotency_key_falls_back_to_raw_hash() -> None:
    parsed = parse_email(b"From: a@example.id\n\nhalo, lampu mati")
    assert parsed.message_id is None
    assert parsed.to_intake_message().idempotency_key == f"sha256:{parsed.raw_sha256}"


def test_over_max_bytes_is_quarantined_with_headers_read() -> None:
    raw = corpus("01_gmail_alternative.eml")
    parsed = parse_email(raw, max_bytes=len(raw) - 1)
    assert parsed.quarantine_reason is QuarantineReason.TOO_LARGE
    assert parsed.from_address == "budi.santoso1987@gmail.com"
    assert parsed.text == ""


def test_25_mb_message_is_quarantined_quickly() -> None:
    raw = b"From: a@example.id\r\nSubject: besar\r\n\r\n" + b"A" * (25 * 1024 * 1024 + 1)
    parsed = parse_email(raw)
    assert parsed.quarantine_reason is QuarantineReason.TOO_LARGE
    assert parsed.subject == "besar"


def test_attachments_over_the_count_are_rejected_not_quarantined() -> None:
    parsed = parse_email(corpus("26_hundreds_of_attachments.eml"), max_attachments=200)
    assert parsed.quarantine_reason is None
    assert len(parsed.attachments) == 120
    parsed = parse_email(corpus("12_inline_image_cid.eml"), max_attachments=0)
    assert parsed.attachments == []
    assert parsed.rejected_attachments == [("genangan.png", "too_many")]


def test_attachment_over_size_limit_is_rejected() -> None:
    parsed = parse_email(corpus("11_pdf_attachment.eml"), max_attachment_bytes=100)
    assert parsed.attachments == []
    assert parsed.rejected_attachments == [("surat_keberatan_PKL.pdf", "too_large")]
    assert parsed.quarantine_reason is None  # the text is still a complaint


def test_garbage_base64_body_never_crashes() -> None:
    raw = (
        b"From: x@example.id\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
        b"!!!!====@@@@ not base64 at all \xff\xfe\n"
    )
    parsed = parse_email(raw)
    assert isinstance(parsed, ParsedEmail)


def test_binary_body_with_bogus_charset_is_quarantined_as_invalid_encoding() -> None:
    raw = b"From: x@example.id\nContent-Type: text/plain; charset=x-no-such\n\n" + bytes(range(0, 32)) * 4
    parsed = parse_email(raw)
    assert parsed.quarantine_reason is QuarantineReason.INVALID_ENCODING


def test_deeply_nested_multipart_is_invalid_structure() -> None:
    raw = b"From: x@example.id\nMIME-Version: 1.0\n"
    body = b"halo"
    for depth in range(40):
        boundary = b"b%d" % depth
        body = (
            b"Content-Type: multipart/mixed; boundary=" + boundary + b"\n\n--" + boundary + b"\n"
            + body + b"\n--" + boundary + b"--\n"
        )
    parsed = parse_email(raw + body)
    assert parsed.quarantine_reason is QuarantineReason.INVALID_STRUCTURE


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ("Auto-Submitted: auto-generated", AutoReason.AUTO_SUBMITTED),
        ("Auto-Submitted: no", None),
        ("X-Autorespond: yes", AutoReason.X_AUTOREPLY),
        ("Precedence: junk", AutoReason.PRECEDENCE),
        ("Precedence: list", AutoReason.PRECEDENCE),
        ("List-Id: <warga.lists.example.id>", AutoReason.MAILING_LIST),
        ("X-Failed-Recipients: a@b.example", AutoReason.FAILED_RECIPIENTS),
        ("Return-Path: <>", AutoReason.NULL_RETURN_PATH),
        ("Subject: Out of Office: Pengaduan", AutoReason.AUTO_SUBJECT),
        ("Subject: Balasan Otomatis: Re: jalan", AutoReason.AUTO_SUBJECT),
        ("Subject: Delivery Status Notification (Failure)", AutoReason.AUTO_SUBJECT),
        ("Subject: Undeliverable: laporan", AutoReason.AUTO_SUBJECT),
        ("Subject: Jalan rusak di depan kantor Out of Office", None),
    ],
)
def test_auto_reply_headers(headers: str, reason: AutoReason | None) -> None:
    raw = f"From: Warga <warga@example.id>\n{headers}\n\nLampu jalan mati.\n".encode()
    assert parse_email(raw).auto_reason == reason


@pytest.mark.parametrize("sender", ["MAILER-DAEMON@mx.example.id", "postmaster@example.id", "noreply@example.id"])
def test_system_senders_are_auto(sender: str) -> None:
    parsed = parse_email(f"From: {sender}\nSubject: x\n\nbody\n".encode())
    assert parsed.auto_reason is AutoReason.SYSTEM_SENDER


@pytest.mark.parametrize(
    "from_header",
    ["", "not an address", "a@b", "Warga <warga@@example.id>", "a@example.id, b@example.id", "<>"],
)
def test_unusable_from_is_quarantined(from_header: str) -> None:
    parsed = parse_email(f"From: {from_header}\n\nJalan rusak.\n".encode())
    assert parsed.quarantine_reason is QuarantineReason.NO_FROM


def test_encoded_from_name_and_domain_lowercased() -> None:
    parsed = parse_email(b"From: =?utf-8?b?U2l0aSBOdXLigJlhaW5p?= <Siti@Example.CO.ID>\n\nisi\n")
    assert parsed.from_name == "Siti Nur\u2019aini"
    assert parsed.from_address == "Siti@example.co.id"


def test_raw_utf8_headers_are_decoded() -> None:
    parsed = parse_email("From: Dédé <dede@example.id>\nSubject: Jalan rusak – parah\n\nisi\n".encode("utf-8"))
    assert parsed.subject == "Jalan rusak – parah"
    assert parsed.from_name == "Dédé"



def test_custom_find_codes_is_used_on_subject_and_body() -> None:
    seen: list[str] = []

    def finder(text: str) -> list[str]:
        seen.append(text)
        return ["X"] if "tiket" in text else []

    parsed = parse_email(b"From: a@example.id\nSubject: tiket 5\n\nisi tiket\n", find_codes=finder)
    assert parsed.tracking_codes_found == ["X"]
    assert seen[0] == "tiket 5"


# --- properties -----------------------------------------------------------

FUZZ = settings(max_examples=int(os.environ.get("SW_FUZZ_EXAMPLES", "300")), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _assert_sane(parsed: ParsedEmail) -> None:
    assert isinstance(parsed, ParsedEmail)
    # The catch-all in parse_email is a last resort: fuzzing must never reach it.
    assert not [note for note in parsed.notes if note.startswith("parser error")], parsed.notes
    assert "\n" not in parsed.subject and "\r" not in parsed.subject
    assert parsed.quarantine_reason is None or isinstance(parsed.quarantine_reason, QuarantineReason)
    assert parsed.from_address is None or "@" in parsed.from_address
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", parsed.text)
    for code in parsed.tracking_codes_found:
        assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}(-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}){2}", code)


@FUZZ
@given(st.binary(max_size=4000))
def test_arbitrary_bytes_never_raise(raw: bytes) -> None:
    _assert_sane(parse_email(raw))


@FUZZ
@given(st.sampled_from(sorted(EXPECTED)), st.data())
def test_mutated_corpus_never_raises(name: str, data: st.DataObject) -> None:
    raw = bytearray(corpus(name))
    for _ in range(data.draw(st.integers(1, 8))):
        pos = data.draw(st.integers(0, len(raw)))
        action = data.draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        if action == "flip" and pos < len(raw):
            raw[pos] = data.draw(st.integers(0, 255))
        elif action == "insert":
            raw[pos:pos] = data.draw(st.sampled_from([b"\r\n", b"--", b"=?", b"?=", b"\x00", b"<", b"\n\n", b"=\n"]))
        elif action == "delete":
            del raw[pos : pos + data.draw(st.integers(1, 50))]
        elif action == "truncate":
            del raw[pos:]
    _assert_sane(parse_email(bytes(raw)))


header_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)
charsets = st.sampled_from(["utf-8", "iso-8859-1", "windows-1252", "us-ascii", "koi8-r", "x-bogus", "utf-16", ""])
encodings = st.sampled_from(["7bit", "8bit", "base64", "quoted-printable", "x-uuencode", "binary", "bogus"])
ctypes = st.sampled_from(
    ["text/plain", "text/html", "image/jpeg", "image/png", "application/pdf", "application/zip",
     "application/octet-stream", "message/rfc822", "message/delivery-status", "text/calendar", "bogus"]
)


@st.composite
def leaf_parts(draw: st.DrawFn) -> Message:
    maintype, _, subtype = draw(ctypes).partition("/")
    part = MIMENonMultipart(maintype or "text", subtype or "plain")
    part.set_payload(draw(st.binary(max_size=300)))
    charset = draw(charsets)
    if charset:
        part.set_param("charset", charset)
    part["Content-Transfer-Encoding"] = draw(encodings)
    if draw(st.booleans()):
        part.add_header("Content-Disposition", draw(st.sampled_from(["attachment", "inline", "bogus"])),
                        filename=draw(header_text) or "x")
    if draw(st.booleans()):
        part["Content-ID"] = "<cid@x>"
    return part


def mime_trees() -> st.SearchStrategy[Message]:
    def extend(children: st.SearchStrategy[Message]) -> st.SearchStrategy[Message]:
        @st.composite
        def multipart(draw: st.DrawFn) -> Message:
            subtype = draw(st.sampled_from(["mixed", "alternative", "related", "report", "bogus"]))
            container = MIMEMultipart(subtype)
            for child in draw(st.lists(children, max_size=4)):
                container.attach(child)
            return container

        return multipart()

    return st.recursive(leaf_parts(), extend, max_leaves=8)


@FUZZ
@given(
    mime_trees(),
    st.dictionaries(
        st.sampled_from(["From", "Subject", "Message-ID", "In-Reply-To", "References", "Date",
                         "Auto-Submitted", "Precedence", "Return-Path", "Content-Type"]),
        header_text,
    ),
)
def test_generated_mime_messages_never_raise(tree: Message, headers: dict[str, str]) -> None:
    for name, value in headers.items():
        del tree[name]
        tree[name] = value
    try:
        raw = tree.as_bytes()
    except (UnicodeError, ValueError, TypeError, LookupError, AttributeError, IndexError, email.errors.MessageError):
        assume(False)  # the generator itself could not serialise this tree
        return
    _assert_sane(parse_email(raw))


words = st.text(st.characters(blacklist_characters="<>&", blacklist_categories=("Cs", "Cc")), max_size=20)
tags = st.sampled_from(["p", "div", "br", "b", "i", "span", "li", "ul", "table", "td", "tr", "a", "blockquote",
                        "script", "style", "img", "h1", "font", "o:p", "center"])


@st.composite
def html_documents(draw: st.DrawFn) -> str:
    pieces: list[str] = []
    for _ in range(draw(st.integers(0, 30))):
        tag = draw(tags)
        kind = draw(st.sampled_from(["open", "close", "text", "self", "attr", "comment", "entity"]))
        if kind == "open":
            pieces.append(f"<{tag}>")
        elif kind == "close":
            pieces.append(f"</{tag}>")
        elif kind == "self":
            pieces.append(f"<{tag}/>")
        elif kind == "attr":
            pieces.append(f'<{tag} class="{draw(words).replace(chr(34), "")}" style="x:y">')
        elif kind == "comment":
            pieces.append(f"<!-- {draw(words)} -->")
        elif kind == "entity":
            pieces.append(draw(st.sampled_from(["&nbsp;", "&amp;", "&eacute;", "&#8220;", "&copy;"])))
        else:
            pieces.append(draw(words))
    return "".join(pieces)


@FUZZ
@given(html_documents(), st.sampled_from(["8bit", "base64", "quoted-printable"]))
def test_html_only_mail_never_yields_tags(html: str, cte: str) -> None:
    message = EmailMessage()
    message["From"] = "Warga <warga@example.id>"
    message["Subject"] = "uji"
    message.set_content(html, subtype="html", cte=cte)
    parsed = parse_email(message.as_bytes())
    _assert_sane(parsed)
    assert not re.search(r"</?[a-zA-Z][\w:]*[^>]*>", parsed.text)
    assert "<!--" not in parsed.text


# --- hostile sizes: bounded work ------------------------------------------


def test_thousands_of_mime_parts_are_quarantined_before_parsing() -> None:
    raw = b"From: a@example.id\nContent-Type: multipart/mixed; boundary=b\n\n" + b"--b\n\nx\n" * 3000
    parsed = parse_email(raw)
    assert parsed.quarantine_reason is QuarantineReason.TOO_MANY_PARTS
    assert parsed.from_address == "a@example.id"


def test_huge_text_is_cut_and_noted() -> None:
    parsed = parse_email(b"From: a@example.id\n\n" + b"jalan rusak " * 100_000)
    assert len(parsed.text) <= MAX_TEXT_CHARS
    assert any("text cut" in note for note in parsed.notes)


def test_huge_encoded_subject_is_bounded() -> None:
    parsed = parse_email(b"From: a@example.id\nSubject: " + b"=?utf-8?q?jalan?= " * 200_000 + b"\n\nisi")
    assert parsed.subject.startswith("jalan") and len(parsed.subject) <= 250
