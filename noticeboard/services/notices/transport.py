"""How a notice leaves: SMTP (or the log, for development) for e-mail, an HTTP gateway
(or the log) for SMS.

The SMTP connection hands a message over in two steps so that no server is ever given
the same ``Message-ID`` twice: everything up to the final ``.`` of DATA, then a callback
that records the notice as being sent (committed), then the dot. A worker killed before
the dot leaves a message the server discards, and the notice is sent again; one killed
after it leaves a notice recorded as sent. Only the one write of the dot lies between.
"""

from __future__ import annotations

import json
import logging
import re
import smtplib
import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable
from contextlib import AbstractContextManager, suppress
from dataclasses import dataclass
from email.message import Message
from email.policy import compat32
from types import TracebackType
from typing import Protocol

log = logging.getLogger(__name__)

# SMTP's line ends, and no folding of the long link headers (List-Unsubscribe).
WIRE = compat32.clone(linesep="\r\n", max_line_length=998)
CommitBeforeDot = Callable[[], bool]  # False: the notice is no longer ours; do not send


class DeliveryError(Exception):
    """The message was not delivered; ``permanent`` when trying again cannot help."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message[:500]
        self.permanent = permanent


class ServerUnreachable(DeliveryError):
    """No message can go now (connection refused, timed out, dropped before the dot)."""


class ClaimLost(Exception):
    """The notice was taken from this run meanwhile; the message was not handed over."""


class MailConnection(Protocol):
    def send(self, message: Message, recipient: str, commit: CommitBeforeDot) -> None:
        """Hand ``message`` over, calling ``commit`` just before it is final."""


class MailTransport(Protocol):
    def connect(self) -> AbstractContextManager[MailConnection]:
        """A connection for a batch of messages (raises ServerUnreachable)."""


class SmsTransport(Protocol):
    def send(self, number: str, text: str, key: str, commit: CommitBeforeDot) -> None:
        """Send ``text`` to ``number``; ``key`` makes a repeated request a no-op."""


@dataclass(frozen=True)
class SmtpTransport:
    host: str
    port: int = 25
    username: str = ""
    password: str = ""
    starttls: bool = False
    ssl: bool = False
    timeout: float = 30.0

    def connect(self) -> SmtpConnection:
        return SmtpConnection(self)


class SmtpConnection:
    def __init__(self, settings: SmtpTransport) -> None:
        self._settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpConnection:
        self._smtp = self._open()
        return self

    def _open(self) -> smtplib.SMTP:
        s = self._settings
        try:
            if s.ssl:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=s.timeout, context=ssl.create_default_context()
                )
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            # The final dot goes in a write of its own: without this, Nagle's algorithm
            # holds it until the server acknowledges the body (40 ms a message on Linux).
            if smtp.sock is not None:
                smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            smtp.ehlo()
            if s.starttls:
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if s.username:
                smtp.login(s.username, s.password)
        except smtplib.SMTPAuthenticationError as exc:
            raise ServerUnreachable(f"the SMTP server refused the login: {_reply(exc)}") from exc
        except (OSError, smtplib.SMTPException) as exc:
            where = f"{s.host}:{s.port}"
            raise ServerUnreachable(f"cannot reach the SMTP server {where}: {exc}") from exc
        return smtp

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._smtp is None:
            return
        try:
            self._smtp.quit()
        except (OSError, smtplib.SMTPException):
            self._smtp.close()
        self._smtp = None

    def send(self, message: Message, recipient: str, commit: CommitBeforeDot) -> None:
        if self._smtp is None:  # dropped after an earlier message: connect again
            self._smtp = self._open()
        smtp = self._smtp
        try:
            self._envelope(smtp, str(message["From"]), recipient)
            code, reply = smtp.docmd("DATA")
            if code != 354:
                self._refused(smtp, code, reply)
            smtp.send(_dot_stuffed(message.as_bytes(policy=WIRE)))
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            raise ServerUnreachable(f"the SMTP server dropped the connection: {exc}") from exc
        if not commit():
            smtp.close()  # without the dot the server discards what it was given
            self._smtp = None
            raise ClaimLost
        try:
            smtp.send(b".\r\n")
            code, reply = smtp.getreply()
        except (OSError, smtplib.SMTPServerDisconnected):
            # Handed over with no answer: the server may hold it. Counted as delivered,
            # since sending again could give it a second copy of this Message-ID.
            log.warning("no answer after the message to a contributor was handed over")
            self._smtp = None
            return
        if code != 250:
            raise DeliveryError(_text(code, reply), permanent=500 <= code < 600)

    def _envelope(self, smtp: smtplib.SMTP, sender: str, recipient: str) -> None:
        code, reply = smtp.mail(_address(sender), ["SMTPUTF8"] if _needs_utf8(recipient) else [])
        if code != 250:
            self._refused(smtp, code, reply)
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            self._refused(smtp, code, reply)

    @staticmethod
    def _refused(smtp: smtplib.SMTP, code: int, reply: bytes) -> None:
        with suppress(OSError, smtplib.SMTPException):
            smtp.rset()
        raise DeliveryError(_text(code, reply), permanent=500 <= code < 600)


def _dot_stuffed(data: bytes) -> bytes:
    """DATA's body as smtplib's ``data()`` sends it, without the final dot."""
    data = re.sub(rb"(?m)^\.", b"..", data)
    return data if data.endswith(b"\r\n") else data + b"\r\n"


def _address(header: str) -> str:
    from email.utils import parseaddr

    return parseaddr(header)[1]


def _needs_utf8(address: str) -> bool:
    return not address.isascii()


def _text(code: int, reply: bytes | str) -> str:
    said = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return f"{code} {said}"


def _reply(exc: smtplib.SMTPResponseException) -> str:
    return _text(exc.smtp_code, exc.smtp_error)


class LogMailTransport:
    """Development: each message goes to the log instead of a server."""

    def connect(self) -> LogMailTransport:
        return self

    def __enter__(self) -> LogMailTransport:
        return self

    def __exit__(self, *_exc: object) -> None:
        return None

    def send(self, message: Message, recipient: str, commit: CommitBeforeDot) -> None:
        if not commit():
            raise ClaimLost
        text = next(
            (
                str(part.get_payload(decode=True).decode("utf-8"))  # type: ignore[union-attr]
                for part in message.walk()
                if part.get_content_type() == "text/plain"
            ),
            "",
        )
        log.info("outcome notice (log backend) %s:\n%s", message["Message-ID"], text)


class LogSmsTransport:
    def send(self, number: str, text: str, key: str, commit: CommitBeforeDot) -> None:
        if not commit():
            raise ClaimLost
        log.info("outcome SMS (log backend) %s: %s", key, text)


@dataclass(frozen=True)
class HttpSmsTransport:
    """A gateway that takes ``POST {"to", "text", "id"}`` as JSON, with the notice's key as
    ``Idempotency-Key`` too, so a repeated request sends nothing twice."""

    url: str
    token: str = ""
    timeout: float = 15.0

    def send(self, number: str, text: str, key: str, commit: CommitBeforeDot) -> None:
        headers = {"Content-Type": "application/json", "Idempotency-Key": key}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        body = json.dumps({"to": number, "text": text, "id": key}).encode()
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")  # noqa: S310 - the operator's URL
        if not commit():
            raise ClaimLost
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                answer.read()
        except urllib.error.HTTPError as exc:
            raise DeliveryError(
                f"the SMS gateway answered {exc.code}", permanent=400 <= exc.code < 500
            ) from exc
        except OSError as exc:
            raise ServerUnreachable(f"cannot reach the SMS gateway: {exc}") from exc
