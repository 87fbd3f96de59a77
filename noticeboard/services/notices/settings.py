"""What the notices need from the site's configuration, given to the services by the app
(``worker.notices``) instead of read from Flask: the services stay testable on their own,
and the job reads the settings of the app that runs it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from noticeboard.services.notices.transport import MailTransport, SmsTransport


@dataclass(frozen=True)
class NoticeSettings:
    # The public site's address, for the /track and unsubscribe links.
    base_url: str
    sender: str  # the From address; its domain is the Message-ID's
    mail: MailTransport
    sms: SmsTransport
    # Notices handed over per second (0: as fast as the server takes them).
    rate: float
    # SMTP connections a run sends over at once (one on SQLite).
    connections: int
    # The first retry waits this long; each further one twice as long as the last.
    retry_seconds: float
    max_attempts: int
    # A contact kept for a notice is erased this many days after the decision at the latest.
    retention_days: int
    # Renders a template of ``templates/notices/`` with these values.
    render: Callable[[str, Mapping[str, Any]], str]


SettingsProvider = Callable[[], NoticeSettings]
_provider: list[SettingsProvider] = []


def set_settings_provider(provider: SettingsProvider) -> None:
    _provider[:] = [provider]


def notice_settings() -> NoticeSettings:
    if not _provider:
        raise RuntimeError("outcome notices are not configured: the app sets them up")
    return _provider[0]()
