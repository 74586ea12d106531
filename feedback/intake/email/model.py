"""What parsing one inbound email produces: `ParsedEmail` and the reasons to create nothing."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from feedback.intake.messages import Channel, IntakeAttachment, IntakeMessage


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
