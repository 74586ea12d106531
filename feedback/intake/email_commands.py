"""CLI: `feedback smtpd --host H --port P` and `feedback imap-poll`."""
from __future__ import annotations

import asyncio

from feedback.settings import Settings


def cmd_smtpd(args, settings: Settings) -> int:
    from feedback.intake.smtp_server import serve

    asyncio.run(serve(settings, args.host, args.port))
    return 0


def cmd_imap_poll(args, settings: Settings) -> int:
    from feedback.db import bind_tables, close_pool, engine_from_url
    from feedback.intake.email_jobs import poll_imap
    from feedback.jobs.queues import DirectDispatcher

    if not settings.imap_host or not settings.imap_user:
        print("IMAP_HOST dan IMAP_USER belum diatur / IMAP_HOST and IMAP_USER are not set")
        return 2
    loop = asyncio.new_event_loop()
    engine = engine_from_url(settings.database_url)
    bind_tables(engine)
    try:
        dispatcher = DirectDispatcher(settings) if settings.redis_url else None
        report = poll_imap(settings, loop.run_until_complete, dispatcher=dispatcher, processed_mailbox=args.processed)
    finally:
        loop.run_until_complete(close_pool(engine))
        loop.close()
    print(report.summary())
    return 1 if report.failed else 0


def register(sub) -> None:
    smtpd = sub.add_parser("smtpd", help="receive inbound email over SMTP (aiosmtpd)")
    smtpd.add_argument("--host", default="127.0.0.1")
    smtpd.add_argument("--port", type=int, default=2525)
    smtpd.set_defaults(func=cmd_smtpd)
    poll = sub.add_parser("imap-poll", help="fetch new mail from the IMAP mailbox once and ingest it")
    poll.add_argument("--processed", default="Processed", help="folder that processed mail is moved to")
    poll.set_defaults(func=cmd_imap_poll)
