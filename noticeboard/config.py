"""Configuration defaults and the layering rules.

Order, later wins: these defaults, ``instance/config.py``, environment variables
prefixed ``NOTICEBOARD_``, then the mapping passed to ``create_app`` (tests).
Nothing here is read at import time: ``load_config`` runs inside ``create_app``.
"""

from __future__ import annotations

import os
from typing import Any, ClassVar

from flask import Flask


class ConfigError(RuntimeError):
    """The configuration cannot start a safe site; the message says how to fix it."""


class Settings:
    """What an operator sets, each as NOTICEBOARD_<NAME>; README.md's "Configuration" table
    lists every one with this default (a test holds the two together)."""

    # Where the SQLite file, the generated secret key, the job queue and instance/config.py
    # live; unset: `instance/` beside the package. Read before everything else (see
    # instance_path), because instance/config.py is one of the layers.
    INSTANCE_PATH: str | None = None
    SECRET_KEY: str | None = None
    # Unset: SQLite in the instance folder.
    DATABASE_URL: str | None = None
    # Shared counters and caches for several instances; memory when unset.
    REDIS_URL: str | None = None

    RATELIMIT_ENABLED = True
    RATELIMIT_LOGIN = "10 per minute;50 per hour"
    RATELIMIT_LOGIN_ACCOUNT = "5 per minute;30 per hour"
    RATELIMIT_API = "300 per minute;10000 per hour"
    # Receipt lookups and public submissions, per client address.
    RATELIMIT_LOOKUP = "10 per minute;100 per day"
    RATELIMIT_SUBMIT = "5 per hour;20 per day"
    # Every lookup answers after at least this long, found or not, so answer times
    # cannot tell a real code from a well-formed guess.
    LOOKUP_MIN_SECONDS = 0.3
    # Public boards, statistics and home counters are rebuilt at most this often.
    BOARD_CACHE_SECONDS = 30
    # A running job whose worker gave no sign of life for this long (a worker beats every
    # sixth of it) is marked interrupted, or queued again where the work can simply be redone.
    JOB_LEASE_SECONDS = 60

    # Served over HTTPS: redirect http, send HSTS, mark cookies Secure.
    HTTPS = False
    # Reverse proxies in front of the app whose X-Forwarded-For and X-Forwarded-Proto are
    # believed (Werkzeug's ProxyFix, that many hops). 0: both headers are dropped, so no
    # client can pick its own address for the rate limits or claim https.
    TRUSTED_PROXIES = 0
    # Staff sessions, in seconds.
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    BABEL_DEFAULT_LOCALE = "zh"
    # The time zone dates are shown in, wherever the server or the kiosk player runs.
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"

    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    # The public site's address printed (as a QR code) on receipt slips, when staff use
    # another host name; unset: the address the staff page was requested on.
    PUBLIC_BASE_URL: str | None = None
    # Outcome notices by e-mail: the SMTP server (unset: each message goes to the log,
    # for development), its port, login and encryption (STARTTLS, or TLS from the start),
    # and the From address, whose domain also ends each notice's Message-ID.
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_TIMEOUT = 30
    MAIL_DEFAULT_SENDER = "Noticeboard <noticeboard@localhost.localdomain>"
    # Outcome notices by SMS: a gateway taking POST {"to", "text", "id"} as JSON, with the
    # token as a Bearer header; unset: each message goes to the log.
    SMS_GATEWAY_URL: str | None = None
    SMS_GATEWAY_TOKEN = ""
    # Notices handed over per second, across a run (0: as fast as the server takes them).
    NOTICE_RATE = 250.0
    # SMTP connections a notices run sends over at once (PostgreSQL; one on SQLite).
    NOTICE_CONNECTIONS = 4
    # A notice the server could not take waits this long, then twice as long each time,
    # and fails for good after NOTICE_MAX_ATTEMPTS (12: about 34 hours at 60 s).
    NOTICE_RETRY_SECONDS = 60.0
    NOTICE_MAX_ATTEMPTS = 12
    # A contact kept for an outcome notice is erased once the notice is delivered or has
    # failed for good, or this many days after the decision, whichever comes first.
    CONTACT_RETENTION_DAYS = 30
    # argon2 cost; tests lower it through their mapping so the suite stays fast.
    PASSWORD_HASH_PROFILE = "RFC_9106_LOW_MEMORY"  # noqa: S105 - a profile name, not a secret


class FrameworkSettings:
    """How the extensions are wired. Settable like the rest (README.md's "Framework settings"
    table), but changing them is rarely right."""

    DEBUG = False
    TESTING = False
    # Commands that never serve pages (init-db, diff, create-user) need no secret key.
    REQUIRE_SECRET_KEY = True
    # Merged over {"pool_pre_ping": True}, which drops connections a database restart killed.
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, Any]] = {}
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    # Every relationship a request's queries load defaults to raiseload: a lazy load (a
    # query from a template, or an N+1 loop) raises instead of querying. The tests turn it on.
    RAISELOAD_RELATIONSHIPS = False
    RATELIMIT_HEADERS_ENABLED = True
    # Empty: no limit on routes that name none.
    RATELIMIT_DEFAULT = ""
    # The job queue's name: its SQLite table or Redis keys; several sites may share a Redis.
    QUEUE_NAME = "noticeboard"
    # Run each job in the process that queued it, as its transaction commits, instead of on
    # a worker (Huey's immediate mode): the tests' default, never for a site.
    JOBS_IMMEDIATE = False
    # Queue a law's matching job whenever its opinions are recorded (imports, forms, the
    # API). Off in the tests, which run that job where they test it. Decisions and links
    # queue it regardless: it ends by counting the triage queue again.
    TRIAGE_ON_RECORD = True
    # Flask-Caching: unset picks SimpleCache in each process, RedisCache when REDIS_URL is set.
    CACHE_TYPE: str | None = None
    CACHE_KEY_PREFIX = "noticeboard:"
    CACHE_DEFAULT_TIMEOUT = 30
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Turned on by HTTPS as well.
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    LANGUAGES: ClassVar[tuple[str, ...]] = ("zh", "en")
    LANGUAGE_COOKIE = "nb_lang"
    # Werkzeug's default (500 kB) for one form field is too small for a pasted draft or
    # the previewed text that the confirm form sends back: a Civil Code, URL-encoded, is
    # about 1 MB. The whole request stays within MAX_CONTENT_LENGTH.
    MAX_FORM_MEMORY_SIZE = Settings.MAX_CONTENT_LENGTH


class Defaults(Settings, FrameworkSettings):
    """Every default, in one place."""


def setting_names() -> list[str]:
    """Every setting this module gives a default, in the order defined."""
    names: list[str] = []
    for layer in (Settings, FrameworkSettings):
        names.extend(name for name in vars(layer) if name.isupper())
    return names


def instance_path(overrides: dict[str, Any] | None) -> str | None:
    """The instance folder, decided before the other layers since one of them lives there."""
    return (
        (overrides or {}).get("INSTANCE_PATH")
        or os.environ.get("NOTICEBOARD_INSTANCE_PATH")
        or Defaults.INSTANCE_PATH
    )


def load_config(app: Flask, overrides: dict[str, Any] | None) -> None:
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("NOTICEBOARD")
    if overrides:
        app.config.from_mapping(overrides)

    url = app.config["DATABASE_URL"] or "sqlite:///" + os.path.join(
        app.instance_path, "noticeboard.sqlite3"
    )
    app.config["DATABASE_URL"] = url
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    # Drop dead pooled connections (database restarts) instead of failing a request.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True} | dict(
        app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    )
    app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"] or "memory://"
    app.config["RATELIMIT_DEFAULT"] = app.config["RATELIMIT_DEFAULT"] or None
    if not app.config["CACHE_TYPE"]:
        redis_url = app.config["REDIS_URL"]
        app.config["CACHE_TYPE"] = "RedisCache" if redis_url else "SimpleCache"
        if redis_url:
            app.config.setdefault("CACHE_REDIS_URL", redis_url)

    if not app.config["SECRET_KEY"] and app.config["REQUIRE_SECRET_KEY"]:
        if not (app.config["DEBUG"] or app.config["TESTING"]):
            raise ConfigError(
                "NOTICEBOARD_SECRET_KEY is not set. Set it to a long random value "
                '(python -c "import secrets; print(secrets.token_urlsafe(48))"), '
                "or run `noticeboard serve --demo`, which keeps one in the instance folder."
            )
        app.config["SECRET_KEY"] = "insecure-development-key"  # noqa: S105
