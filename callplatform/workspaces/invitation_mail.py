"""The invitation's email, sent over SMTP (stdlib `smtplib`) when `SMTP_URL` is set.

Blocking: callers run it in a worker thread, after the invitation is committed (never
inside the transaction: a slow mail server must not hold the database). A failure to
send leaves the invitation valid; the caller says so, and the link can be copied."""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import unquote, urlsplit

from callplatform.config import get_settings
from callplatform.workspaces.invitations import TTL, Invited

TIMEOUT_SECONDS = 15
DEFAULT_FROM = formataddr(("CallPlatform", "no-reply@localhost"))
log = logging.getLogger(__name__)


def configured() -> bool:
    return bool(get_settings().smtp_url)


def message(invited: Invited) -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"] = f"{invited.inviter} invited you to {invited.workspace} on CallPlatform"
    mail["From"] = get_settings().smtp_from or DEFAULT_FROM
    mail["To"] = invited.email
    mail["Message-ID"] = make_msgid(domain="callplatform")
    mail.set_content(
        f"{invited.inviter} invited you to join the workspace “{invited.workspace}” on "
        "CallPlatform, to make and take calls with the team.\n\n"
        f"Accept the invitation:\n{invited.link}\n\n"
        f"The link works once and expires in {TTL.days} days. If you weren't expecting "
        "this, you can ignore this email.\n"
    )
    return mail


def send(invited: Invited) -> str:
    """Mail the invitation; "" when the server accepted it, else why not (in words
    fit to show the inviter). Nothing to do (and "") without `SMTP_URL`."""
    url = get_settings().smtp_url
    if not url:
        return ""
    parts = urlsplit(url)
    implicit_tls = parts.scheme == "smtps"
    port = parts.port or (465 if implicit_tls else 25)
    try:
        opener = smtplib.SMTP_SSL if implicit_tls else smtplib.SMTP
        kwargs = {"context": ssl.create_default_context()} if implicit_tls else {}
        with opener(parts.hostname, port, timeout=TIMEOUT_SECONDS, **kwargs) as server:
            if not implicit_tls:
                server.ehlo()
                if server.has_extn("starttls"):
                    server.starttls(context=ssl.create_default_context())
                    server.ehlo()
            if parts.username:
                server.login(unquote(parts.username), unquote(parts.password or ""))
            server.send_message(message(invited))
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("invitation mail to %s not sent: %s", invited.email, exc)
        return "The email could not be sent. The invitation is valid: copy its link instead."
    return ""
