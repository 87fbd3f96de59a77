"""The outcome notices' settings and transports, built from the app's configuration for
the services (``services.notices.settings``), and the sweep that queues notices whose
retry is due."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from contextlib import ExitStack
from functools import partial
from typing import Any

from flask import Flask, current_app, has_app_context
from flask_babel import force_locale

from noticeboard.extensions import db
from noticeboard.services.errors import ServiceError
from noticeboard.services.notices.outbox import due_notices_waiting, queue_notices_job
from noticeboard.services.notices.settings import NoticeSettings, set_settings_provider
from noticeboard.services.notices.transport import (
    HttpSmsTransport,
    LogMailTransport,
    LogSmsTransport,
    MailTransport,
    SmsTransport,
    SmtpTransport,
)

log = logging.getLogger(__name__)


def init_notices(app: Flask) -> None:
    set_settings_provider(lambda: settings_from(current_app._get_current_object()))  # type: ignore[attr-defined]
    if not app.config["MAIL_SERVER"] and not app.config["TESTING"]:
        log.info("NOTICEBOARD_MAIL_SERVER is not set: outcome notices go to the log")


def settings_from(app: Flask) -> NoticeSettings:
    config = app.config
    mail: MailTransport = LogMailTransport()
    if config["MAIL_SERVER"]:
        mail = SmtpTransport(
            host=config["MAIL_SERVER"],
            port=int(config["MAIL_PORT"]),
            username=config["MAIL_USERNAME"] or "",
            password=config["MAIL_PASSWORD"] or "",
            starttls=bool(config["MAIL_USE_TLS"]),
            ssl=bool(config["MAIL_USE_SSL"]),
            timeout=float(config["MAIL_TIMEOUT"]),
        )
    sms: SmsTransport = LogSmsTransport()
    if config["SMS_GATEWAY_URL"]:
        sms = HttpSmsTransport(config["SMS_GATEWAY_URL"], config["SMS_GATEWAY_TOKEN"] or "")
    return NoticeSettings(
        base_url=config["PUBLIC_BASE_URL"] or "http://localhost:5000",
        sender=config["MAIL_DEFAULT_SENDER"],
        mail=mail,
        sms=sms,
        rate=float(config["NOTICE_RATE"]),
        connections=int(config["NOTICE_CONNECTIONS"]),
        retry_seconds=float(config["NOTICE_RETRY_SECONDS"]),
        max_attempts=int(config["NOTICE_MAX_ATTEMPTS"]),
        retention_days=int(config["CONTACT_RETENTION_DAYS"]),
        render=partial(render_notice, app),
    )


def render_notice(app: Flask, template: str, values: Mapping[str, Any]) -> str:
    """A template of ``templates/notices/`` in the site's Jinja environment (its
    translations and vocabulary), under the contributor's language: no request needed,
    and from the run's sending threads too (each gets the app's context here)."""
    with ExitStack() as stack:
        if not has_app_context():
            stack.enter_context(app.app_context())
        stack.enter_context(force_locale(values["notice"].language))
        return app.jinja_env.get_template(template).render(**values)


def queue_due_notices(app: Flask) -> None:
    """Queue a notices job when notices are due and none is queued or running."""
    with app.app_context():
        session = db.session()
        try:
            if due_notices_waiting(session):
                queue_notices_job(session)
                session.commit()
        except ServiceError as exc:
            session.rollback()
            log.warning("notices job not queued: %s", exc)
        finally:
            db.session.remove()
