"""What every area shares: errors, language, security headers, the input guard, log redaction,
the outage page, access checks, the commit-once request handling, spreadsheet downloads and the
vocabulary. Its one blueprint serves ``/healthz``."""

from noticeboard.web.core.health import bp

__all__ = ["bp"]
