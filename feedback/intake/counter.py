"""Counter channel: a walk-in citizen's report entered by counter staff, and its printable receipt."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

import segno

from feedback.accounts.roles import StaffContext
from feedback.errors import FieldError, InputError
from feedback.intake.messages import Channel, IntakeMessage
from feedback.intake.nik import mask_nik
from feedback.intake.services import TicketDispatcher, create_ticket
from feedback.settings import Settings
from feedback.tables import StaffUser, Ticket
from feedback.tracking.codes import format_code, normalize_code

FORM_FIELDS = ("kind", "title", "text", "location", "kecamatan", "privacy", "name", "phone", "nik", "email", "office")


async def staff_office(staff_id: int) -> str | None:
    row = await StaffUser.select(StaffUser.office).where(StaffUser.id == staff_id).first()
    return (row or {}).get("office")


async def submit_counter_report(values: Mapping[str, str], staff: StaffContext, settings: Settings,
                                dispatcher: TicketDispatcher | None = None) -> dict[str, Any]:
    """Create the ticket (channel counter) recorded with the office and the staff member.
    The NIK is checked by validate_intake (16 digits, province, birth date) like every field."""
    office = (values.get("office") or "").strip() or await staff_office(staff.id)
    nik = (values.get("nik") or "").replace(" ", "").replace(".", "") or None
    if not office:
        raise InputError([FieldError("office", "required", "Nama kantor/loket wajib diisi.", "The office is required.")])
    msg = IntakeMessage(
        text=values.get("text") or "", channel=Channel.COUNTER, kind=values.get("kind") or "complaint",
        title=values.get("title") or None, location=values.get("location") or None,
        kecamatan=values.get("kecamatan") or None, privacy=values.get("privacy") or "public",
        reporter_name=values.get("name") or None, reporter_phone=values.get("phone") or None,
        reporter_email=values.get("email") or None, reporter_nik=nik,
        office=office, received_by_id=staff.id,
    )
    return await create_ticket(msg, settings, dispatcher)


@dataclass(frozen=True)
class Receipt:
    code: str  # XXXX-XXXX-XXXX
    tracking_url: str
    qr_svg: str
    created_at: datetime
    office: str | None
    staff_name: str
    kind: str
    title: str | None
    reporter_name: str | None
    reporter_nik: str | None  # masked unless the viewer is an admin


def qr_svg(url: str) -> str:
    """The QR code as inline SVG markup (no external request, prints sharply at any size)."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2, title="QR")


async def receipt_for(code: str, staff: StaffContext, settings: Settings) -> Receipt | None:
    """The receipt of a counter ticket; None when it does not exist or is not this viewer's to print
    (counter staff: tickets taken at their own office or by themselves; admins: any)."""
    normalized = normalize_code(code)
    if normalized is None:
        return None
    ticket = await Ticket.select(
        *Ticket.all_columns(), Ticket.received_by.username.as_alias("staff_username"),
        Ticket.received_by.full_name.as_alias("staff_full_name"),
    ).where((Ticket.tracking_code == normalized) & (Ticket.channel == Channel.COUNTER.value)).first()
    if ticket is None:
        return None
    if staff.role != "admin" and ticket["received_by"] != staff.id:
        office = await staff_office(staff.id)
        if not office or office != ticket["office"]:
            return None
    url = f"{settings.base_url.rstrip('/')}/track/{normalized}"
    nik = ticket["reporter_nik"]
    return Receipt(
        code=format_code(normalized), tracking_url=url, qr_svg=qr_svg(url), created_at=ticket["created_at"],
        office=ticket["office"], staff_name=ticket["staff_full_name"] or ticket["staff_username"] or "",
        kind=ticket["kind"], title=ticket["title"], reporter_name=ticket["reporter_name"],
        reporter_nik=nik if staff.role == "admin" else mask_nik(nik),
    )
