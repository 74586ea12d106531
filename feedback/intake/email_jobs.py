"""One IMAP poll (CLI `feedback imap-poll` and the periodic RQ job `poll_imap_job`)."""
from __future__ import annotations

import logging
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from feedback.intake.email_service import InboundResult, ingest_email
from feedback.intake.imap_client import ImapError, fetch_new_messages
from feedback.intake.services import TicketDispatcher
from feedback.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")
PROCESSED_MAILBOX = "Processed"


@dataclass
class PollReport:
    fetched: int = 0
    results: list[InboundResult] = field(default_factory=list)
    failed: int = 0  # not stored: left in the mailbox for the next poll

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status and not r.duplicate)

    @property
    def duplicates(self) -> int:
        return sum(1 for r in self.results if r.duplicate)

    def summary(self) -> str:
        return (f"fetched {self.fetched}: tickets {self.count('ticket')}, messages {self.count('message')}, "
                f"ignored {self.count('ignored')}, quarantined {self.count('quarantined')}, "
                f"duplicates {self.duplicates}, failed {self.failed}")


def poll_imap(settings: Settings, run: Callable[[Awaitable[T]], T], *, dispatcher: TicketDispatcher | None = None,
              processed_mailbox: str = PROCESSED_MAILBOX, ssl_context: ssl.SSLContext | None = None,
              limit: int | None = 200) -> PollReport:
    """Fetch waiting mail, ingest each message (stored first), then move it to the processed folder.

    `run` executes a coroutine on the caller's event loop (imaplib is blocking, so the poll itself
    is synchronous). A message whose raw bytes could not be stored stays in the inbox.
    """
    if not settings.imap_host or not settings.imap_user:
        raise ValueError("IMAP_HOST and IMAP_USER must be set for imap-poll")
    report = PollReport()
    messages = fetch_new_messages(
        settings.imap_host, settings.imap_port, settings.imap_user, settings.imap_password or "",
        use_tls=settings.imap_tls, mailbox=settings.imap_mailbox, processed_mailbox=processed_mailbox,
        ssl_context=ssl_context, limit=limit,
    )
    try:
        for fetched in messages:
            report.fetched += 1
            try:
                result = run(ingest_email(fetched.raw_bytes, source="imap", settings=settings, dispatcher=dispatcher))
            except Exception:  # noqa: BLE001 - not stored: keep it in the mailbox, try the next one
                report.failed += 1
                log.exception("imap-poll: message uid %s could not be stored; left in %s", fetched.uid,
                              settings.imap_mailbox)
                continue
            report.results.append(result)
            try:
                fetched.mark_processed()
            except ImapError:  # stored already: the next poll sees it again and skips it by Message-ID
                log.exception("imap-poll: message uid %s stored as #%s but not moved", fetched.uid, result.inbound_id)
    finally:
        messages.close()
    log.info("imap-poll: %s", report.summary())
    return report


def poll_imap_job() -> int:
    """Periodic RQ job (feedback.jobs.schedule): one poll with the worker's runtime. Returns the number fetched."""
    from feedback.jobs.queues import DirectDispatcher
    from feedback.jobs.runtime import get_runtime

    runtime = get_runtime()
    settings = runtime.settings
    if not settings.imap_host:
        return 0
    return poll_imap(settings, runtime.run, dispatcher=DirectDispatcher(settings)).fetched
