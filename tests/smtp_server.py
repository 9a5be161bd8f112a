"""A real SMTP server on a loopback port (aiosmtpd), keeping what it receives."""

from __future__ import annotations

import contextlib
import email
import re
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from tests.helpers import free_port, wait_for

LINK = re.compile(r"https?://\S+/invite/[A-Za-z0-9_-]+")


class Inbox:
    def __init__(self, login: tuple[str, str] | None = None):
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.logins: list[str] = []
        self._login = login

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = (
            self._login is not None
            and (
                auth_data.login.decode(),
                auth_data.password.decode(),
            )
            == self._login
        )
        if ok:
            self.logins.append(auth_data.login.decode())
        return AuthResult(success=ok)

    def mail_to(self, address: str, timeout: float = 20.0) -> EmailMessage:
        return wait_for(
            lambda: next((m for m in self.messages if m["To"] == address), None), timeout=timeout
        )

    @staticmethod
    def link_in(message: EmailMessage) -> str:
        found = LINK.search(message.get_body(("plain",)).get_content())
        assert found, message
        return found.group(0)


@contextlib.contextmanager
def smtp_server(login: tuple[str, str] | None = None) -> Iterator[tuple[str, Inbox]]:
    """(SMTP_URL to reach it, its inbox); with `login`, it asks for that user and password."""
    inbox = Inbox(login)
    port = free_port()
    options = {}
    if login:
        options = {"authenticator": inbox.authenticate, "auth_require_tls": False}
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        user = f"{login[0]}:{login[1]}@" if login else ""
        yield f"smtp://{user}127.0.0.1:{port}", inbox
    finally:
        controller.stop()
