"""Fetch inbound mail from an IMAP mailbox, at least once, losing nothing.

Fetching never changes the mailbox (``BODY.PEEK[]``: not even \\Seen). The caller
stores the raw bytes first, and only then calls ``mark_processed``, which moves
the message to the processed folder. A crash in between leaves the message in
the inbox, so it is fetched again on the next poll; the caller deduplicates by
Message-ID (or by ``(uidvalidity, uid)``)::

    with ImapMailbox.connect(host, port, user, password, use_tls=True) as box:
        for fetched in box.fetch_new():
            store_raw_email(fetched.raw_bytes)      # commit first
            box.mark_processed(fetched.uid)

``fetch_new_messages()`` is the same loop as a generator for one poll.
"""
from __future__ import annotations

import imaplib
import logging
import re
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import TracebackType

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 30.0
# Quoted ASCII only: modified UTF-7 names and wildcards are out of scope.
_MAILBOX_NAME = re.compile(r"^[\x20-\x24\x26-\x29\x2b-\x7e]{1,200}$")


class ImapError(RuntimeError):
    """The IMAP server refused a command; `command` and `response` say which and why."""

    def __init__(self, command: str, typ: str, data: object) -> None:
        self.command = command
        self.response = data
        super().__init__(f"IMAP {command} failed: {typ} {data!r}")


@dataclass(frozen=True)
class FetchedMessage:
    uid: int
    raw_bytes: bytes
    uidvalidity: int | None = None
    mailbox: str = "INBOX"
    _box: ImapMailbox | None = field(default=None, repr=False, compare=False)

    def mark_processed(self) -> None:
        """Move this message to the processed folder of the session that fetched it."""
        if self._box is None:
            raise RuntimeError("this message was not fetched by an open ImapMailbox")
        self._box.mark_processed(self.uid)


def quote_mailbox(name: str) -> str:
    """An IMAP quoted string for an ASCII mailbox name."""
    if not _MAILBOX_NAME.match(name):
        raise ValueError(f"mailbox name must be 1-200 printable ASCII characters: {name!r}")
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


class ImapMailbox:
    """One logged-in IMAP session with one selected mailbox."""

    def __init__(self, conn: imaplib.IMAP4, *, mailbox: str = "INBOX", processed_mailbox: str = "Processed") -> None:
        self.conn = conn
        self.mailbox = mailbox
        self.processed_mailbox = processed_mailbox
        self.capabilities = self._capabilities()
        self.uidvalidity: int | None = None
        self._processed_ready = False
        self._select(mailbox)

    @classmethod
    def connect(
        cls,
        host: str,
        port: int,
        user: str,
        password: str,
        *,
        use_tls: bool = False,
        starttls: bool = False,
        ssl_context: ssl.SSLContext | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        mailbox: str = "INBOX",
        processed_mailbox: str = "Processed",
    ) -> ImapMailbox:
        """Connect (implicit TLS, STARTTLS or plain), log in and select `mailbox`."""
        context = ssl_context or ssl.create_default_context()
        if use_tls:
            conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(host, port, ssl_context=context, timeout=timeout)
        else:
            conn = imaplib.IMAP4(host, port, timeout=timeout)
            if starttls:
                conn.starttls(ssl_context=context)
        try:
            _check("LOGIN", conn.login(user, password))
            return cls(conn, mailbox=mailbox, processed_mailbox=processed_mailbox)
        except BaseException:
            _logout_quietly(conn)
            raise

    def __enter__(self) -> ImapMailbox:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        _logout_quietly(self.conn)

    def _capabilities(self) -> frozenset[str]:
        # imaplib keeps the pre-login list; servers announce MOVE/UIDPLUS only after login.
        typ, data = self.conn.capability()
        if typ != "OK" or not data or not data[0]:
            return frozenset(self.conn.capabilities)
        return frozenset(data[0].decode("ascii", "replace").upper().split())

    def _select(self, mailbox: str) -> None:
        _check("SELECT", self.conn.select(quote_mailbox(mailbox)))
        typ, data = self.conn.response("UIDVALIDITY")
        if typ == "UIDVALIDITY" and data and data[0]:
            self.uidvalidity = int(data[0])

    def new_uids(self) -> list[int]:
        """UIDs still in the mailbox and not flagged \\Deleted, oldest first."""
        typ, data = self.conn.uid("SEARCH", None, "UNDELETED")
        _check("UID SEARCH", (typ, data))
        return sorted(int(uid) for uid in (data[0] or b"").split())

    def fetch(self, uid: int) -> bytes | None:
        """The raw RFC 822 bytes of one message, without setting \\Seen; None if gone."""
        typ, data = self.conn.uid("FETCH", str(uid), "(BODY.PEEK[])")
        _check("UID FETCH", (typ, data))
        for item in data:
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
                return item[1]
        return None

    def fetch_new(self, limit: int | None = None) -> Iterator[FetchedMessage]:
        """Yield every message still waiting in the mailbox (at most `limit`)."""
        for uid in self.new_uids()[:limit]:
            raw = self.fetch(uid)
            if raw is None:  # expunged by another client since SEARCH
                continue
            yield FetchedMessage(uid=uid, raw_bytes=raw, uidvalidity=self.uidvalidity, mailbox=self.mailbox, _box=self)

    def ensure_mailbox(self, name: str) -> None:
        """Create `name` unless it exists, and subscribe to it."""
        typ, data = self.conn.list('""', quote_mailbox(name))
        _check("LIST", (typ, data))
        if any(item for item in data if item):
            return
        typ, data = self.conn.create(quote_mailbox(name))
        if typ != "OK" and b"ALREADYEXISTS" not in b" ".join(d for d in data if isinstance(d, bytes)):
            raise ImapError("CREATE", typ, data)
        self.conn.subscribe(quote_mailbox(name))

    def mark_processed(self, uid: int) -> None:
        """Move one message to the processed folder (MOVE, else COPY + \\Deleted + EXPUNGE)."""
        if not self._processed_ready:
            self.ensure_mailbox(self.processed_mailbox)
            self._processed_ready = True
        target = quote_mailbox(self.processed_mailbox)
        if "MOVE" in self.capabilities:
            _check("UID MOVE", self.conn.uid("MOVE", str(uid), target))
            return
        _check("UID COPY", self.conn.uid("COPY", str(uid), target))
        _check("UID STORE", self.conn.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Deleted)"))
        if "UIDPLUS" in self.capabilities:
            _check("UID EXPUNGE", self.conn.uid("EXPUNGE", str(uid)))
        else:
            # Plain EXPUNGE also removes other \Deleted mail in this folder; new_uids() skips those anyway.
            _check("EXPUNGE", self.conn.expunge())

    def append(self, raw: bytes, mailbox: str | None = None, flags: str = "") -> None:
        """APPEND a raw message (tests and manual re-injection of quarantined mail)."""
        typ, data = self.conn.append(quote_mailbox(mailbox or self.mailbox), flags or None, None, raw)
        _check("APPEND", (typ, data))
        if (mailbox or self.mailbox) == self.mailbox:
            self.conn.noop()  # let the selected mailbox see the new message


def fetch_new_messages(
    host: str,
    port: int,
    user: str,
    password: str,
    *,
    use_tls: bool = False,
    mailbox: str = "INBOX",
    processed_mailbox: str = "Processed",
    ssl_context: ssl.SSLContext | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    limit: int | None = None,
) -> Iterator[FetchedMessage]:
    """One poll: yield waiting messages; call ``message.mark_processed()`` after storing each.

    The connection stays open while the generator is consumed and is logged
    out when it finishes or is closed.
    """
    with ImapMailbox.connect(
        host, port, user, password, use_tls=use_tls, ssl_context=ssl_context, timeout=timeout,
        mailbox=mailbox, processed_mailbox=processed_mailbox,
    ) as box:
        yield from box.fetch_new(limit=limit)


def mark_processed(message: FetchedMessage) -> None:
    """Move a message yielded by `fetch_new_messages` to the processed folder."""
    message.mark_processed()


def append_message(
    host: str,
    port: int,
    user: str,
    password: str,
    raw: bytes,
    *,
    mailbox: str = "INBOX",
    use_tls: bool = False,
    ssl_context: ssl.SSLContext | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> None:
    """Deliver one raw message into `mailbox` with APPEND (for tests and re-injection)."""
    with ImapMailbox.connect(
        host, port, user, password, use_tls=use_tls, ssl_context=ssl_context, timeout=timeout, mailbox=mailbox
    ) as box:
        box.append(raw, mailbox)


def _check(command: str, result: tuple[str, list]) -> list:
    typ, data = result
    if typ != "OK":
        raise ImapError(command, typ, data)
    return data


def _logout_quietly(conn: imaplib.IMAP4) -> None:
    try:
        conn.logout()
    except (imaplib.IMAP4.error, OSError) as exc:
        logger.debug("IMAP logout failed: %r", exc)
