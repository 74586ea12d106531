"""Which attachment parts become ticket files; rejected ones are noted, a nested archive quarantines."""
from __future__ import annotations

from feedback.intake.attachment_types import AttachmentError, safe_filename, sniff_type, validate_attachment
from feedback.intake.email.mime import Walk
from feedback.intake.email.model import ParsedEmail, QuarantineReason
from feedback.intake.messages import IntakeAttachment

# More attachment parts than this is not a citizen's email; quarantine it whole.
QUARANTINE_ATTACHMENT_FACTOR = 10


def accept_attachments(
    walk: Walk, parsed: ParsedEmail, *, max_attachments: int, max_attachment_bytes: int
) -> QuarantineReason | None:
    """Fill `parsed.attachments` and `rejected_attachments` from the walk; the quarantine reason, if any."""
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
