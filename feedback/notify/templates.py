"""Notification texts: Bahasa Indonesia first, English below. Only the ticket's own public facts.

A notification carries the tracking code, links, the agency's name and the staff's public
response (masked like on the public tracking page) — never the complaint text, the reporter's
name, or anything about other people, so a mistyped address leaks nothing.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

from feedback.tracking.codes import format_code

EVENTS = ("received", "routed", "response", "resolved")
# Sent to staff (agency heads, managers), never to citizens.
STAFF_EVENTS = ("sla_escalation",)

SUBJECTS = {
    "received": ("Laporan Anda telah diterima", "Your report has been received"),
    "routed": ("Laporan Anda diteruskan ke instansi", "Your report has been forwarded to an agency"),
    "response": ("Tanggapan baru atas laporan Anda", "New response to your report"),
    "resolved": ("Laporan Anda telah selesai", "Your report has been resolved"),
    "sla_escalation": ("Eskalasi: batas waktu layanan terlampaui", "Escalation: service deadline missed"),
}

BODIES = {
    "received": (
        "Terima kasih. Laporan Anda telah kami terima dengan kode pelacakan {code}.\n"
        "Pantau perkembangannya di: {track_url}\n"
        "Simpan kode ini dan sebutkan bila menghubungi kami atau membalas email ini.",
        "Thank you. We have received your report with tracking code {code}.\n"
        "Follow its progress at: {track_url}\n"
        "Keep this code and mention it when you contact us or reply to this email.",
    ),
    "routed": (
        "Laporan {code} telah diteruskan ke {agency} untuk ditindaklanjuti.\n"
        "Pantau perkembangannya di: {track_url}",
        "Report {code} has been forwarded to {agency_en} for follow-up.\n"
        "Follow its progress at: {track_url}",
    ),
    "response": (
        "Petugas memberikan tanggapan atas laporan {code}:\n\n{message}\n\n"
        "Balas email ini bila ingin menambahkan keterangan. Riwayat lengkap: {track_url}",
        "Staff have responded to report {code} (see the response above).\n"
        "Reply to this email to add information. Full history: {track_url}",
    ),
    "resolved": (
        "Laporan {code} telah dinyatakan selesai.\n"
        "Bagaimana penanganannya? Beri penilaian di: {track_url}\n"
        "Bantu kami memperbaiki layanan dengan mengisi Survei Kepuasan Masyarakat (IKM): {survey_url}",
        "Report {code} has been marked as resolved.\n"
        "How did we do? Rate the handling at: {track_url}\n"
        "Help us improve by answering the Community Satisfaction Survey (IKM): {survey_url}",
    ),
    "sla_escalation": (
        "Tiket {code} ({agency}) telah melewati batas waktu layanan (SLA) dan dieskalasi.\n"
        "Mohon segera ditindaklanjuti: {staff_url}",
        "Ticket {code} ({agency_en}) has missed its service deadline (SLA) and was escalated.\n"
        "Please follow up: {staff_url}",
    ),
}

WEBHOOK_MESSAGES = {
    "received": "Laporan {code} diterima. / Report {code} received.",
    "routed": "Laporan {code} diteruskan ke {agency}. / Report {code} forwarded to {agency_en}.",
    "response": "Tanggapan petugas atas laporan {code}: {message}",
    "resolved": "Laporan {code} selesai. Beri penilaian: {track_url} / Report {code} resolved. Rate it: {track_url}",
}

FOOTER = (
    "Email ini dikirim otomatis oleh Suara Warga; jangan membagikan kode pelacakan Anda kepada orang lain.\n"
    "This email was sent automatically by Suara Warga; do not share your tracking code with others."
)


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def links(base_url: str, code: str) -> dict[str, str]:
    base = base_url.rstrip("/")
    return {"track_url": f"{base}/track/{code}", "survey_url": f"{base}/survei?ticket={code}"}


def staff_link(base_url: str, ticket_id: int) -> str:
    return f"{base_url.rstrip('/')}/admin/tickets/{ticket_id}"


def context_for(event: str, code: str, base_url: str, *, agency: str | None = None,
                agency_en: str | None = None, message: str | None = None, staff_url: str = "") -> dict[str, str]:
    """Everything a template may use. Callers pass already-masked response text."""
    if event not in EVENTS and event not in STAFF_EVENTS:
        raise ValueError(f"unknown notification event {event!r}")
    return {
        "code": format_code(code),
        "agency": agency or "instansi terkait",
        "agency_en": agency_en or agency or "the responsible agency",
        "message": (message or "").strip(),
        "staff_url": staff_url,
        **links(base_url, code),
    }


def subject_for(event: str, code: str) -> str:
    """`[Suara Warga ABCD-EFGH-JK23] ...`: the code lets citizen replies thread back to the ticket."""
    id_text, en_text = SUBJECTS[event]
    return f"[Suara Warga {format_code(code)}] {id_text} / {en_text}"


def render_email(event: str, ctx: dict[str, str], code: str) -> RenderedEmail:
    id_body, en_body = (part.format(**ctx) for part in BODIES[event])
    text = f"{id_body}\n\n--- English ---\n{en_body}\n\n-- \n{FOOTER}\n"
    return RenderedEmail(subject=subject_for(event, code), text=text, html=_html(id_body, en_body, ctx))


def _paragraphs(body: str, ctx: dict[str, str]) -> str:
    escaped = html.escape(body)
    for key in ("track_url", "survey_url", "staff_url"):
        if not ctx.get(key):
            continue
        url = html.escape(ctx[key])
        escaped = escaped.replace(url, f'<a href="{url}">{url}</a>')
    return "".join(f"<p>{block.replace(chr(10), '<br>')}</p>" for block in escaped.split("\n\n"))


def _html(id_body: str, en_body: str, ctx: dict[str, str]) -> str:
    footer = html.escape(FOOTER).replace("\n", "<br>")
    return (
        '<!doctype html><html lang="id"><head><meta charset="utf-8"></head>'
        '<body style="font-family:sans-serif;line-height:1.5;color:#222">'
        f"{_paragraphs(id_body, ctx)}"
        '<hr><div lang="en" style="color:#555">'
        f"{_paragraphs(en_body, ctx)}</div>"
        f'<p style="font-size:small;color:#777">{footer}</p></body></html>'
    )


def webhook_message(event: str, ctx: dict[str, str]) -> str:
    return WEBHOOK_MESSAGES[event].format(**ctx)
