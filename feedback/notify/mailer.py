"""Outbound email over SMTP: a UTF-8 text + HTML message with headers that stop mail loops."""
from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from feedback.notify.templates import RenderedEmail
from feedback.settings import Settings


class PermanentDeliveryError(Exception):
    """Retrying cannot help (e.g. the server rejected the address with a 5xx reply)."""


def _domain(settings: Settings) -> str:
    address = parseaddr(settings.mail_from)[1]
    return address.rsplit("@", 1)[1] if "@" in address else "suarawarga.local"


def build_email(settings: Settings, recipient: str, rendered: RenderedEmail, *, tracking_code: str) -> EmailMessage:
    """The message for one recipient; all notifications of a ticket share a thread root."""
    msg = EmailMessage()
    msg["From"] = settings.mail_from
    msg["To"] = recipient
    if settings.inbound_addresses:
        msg["Reply-To"] = settings.inbound_addresses[0]  # replies reach the email intake channel
    msg["Subject"] = rendered.subject
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    domain = _domain(settings)
    msg["Message-ID"] = make_msgid(idstring=f"notify.{tracking_code}", domain=domain)
    thread_root = f"<ticket.{tracking_code}@{domain}>"
    msg["In-Reply-To"] = thread_root
    msg["References"] = thread_root
    # RFC 3834: auto-responders must not answer; Exchange honours the X- header.
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Auto-Response-Suppress"] = "All"
    msg["Content-Language"] = "id, en"
    msg.set_content(rendered.text, charset="utf-8")
    msg.add_alternative(rendered.html, subtype="html", charset="utf-8")
    return msg


def send_email(settings: Settings, msg: EmailMessage, recipient: str) -> None:
    """Send one message; raises PermanentDeliveryError for 5xx refusals, other errors are transient."""
    if not settings.smtp_host:
        raise PermanentDeliveryError("SMTP not configured")
    timeout = settings.smtp_timeout_seconds
    envelope_from = parseaddr(settings.mail_from)[1] or None
    if settings.smtp_ssl:
        client: smtplib.SMTP = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=timeout,
                                                 context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
    try:
        if settings.smtp_starttls and not settings.smtp_ssl:
            client.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            client.login(settings.smtp_user, settings.smtp_password or "")
        client.send_message(msg, from_addr=envelope_from, to_addrs=[recipient])
    except smtplib.SMTPRecipientsRefused as exc:
        code, reason = next(iter(exc.recipients.values()))
        if 500 <= code < 600:
            raise PermanentDeliveryError(f"SMTP {code}: {_text(reason)}") from exc
        raise
    except smtplib.SMTPResponseException as exc:
        if 500 <= exc.smtp_code < 600 and not isinstance(exc, smtplib.SMTPAuthenticationError):
            raise PermanentDeliveryError(f"SMTP {exc.smtp_code}: {_text(exc.smtp_error)}") from exc
        raise
    finally:
        try:
            client.quit()
        except Exception:  # the connection may already be gone; the outcome is decided above
            client.close()


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
