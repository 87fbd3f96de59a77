"""Keep receipt codes out of the logs, whatever logs them.

Codes travel in POST bodies and URL fragments, so servers never see them in a request
line; this filter is the second line of defence, for a message that quotes one anyway.
"""

from __future__ import annotations

import logging
import re

from flask import Flask

from noticeboard.services.opinions.receipts import is_valid

_C = "[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]"
# As shown on slips (XXXX-XXXX-XX, any case), always hidden; or stored (ten upper-case
# characters), hidden when the check character holds, so that a code without a digit is
# caught and most ordinary upper-case words stay readable.
_SHOWN = rf"\b{_C}{{4}}-{_C}{{4}}-{_C}{{2}}\b"
_STORED = r"\b[0-9A-HJKMNP-TV-Z]{10}\b"
_CODE = re.compile(rf"{_SHOWN}|{_STORED}")
REDACTED = "[receipt code]"
LOGGERS = ("werkzeug", "waitress", "gunicorn.access", "gunicorn.error")


class ReceiptCodeRedactor(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _CODE.sub(_redact, message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def _redact(match: re.Match[str]) -> str:
    text = match.group(0)
    return REDACTED if "-" in text or is_valid(text) else text


def install_redaction(app: Flask) -> None:
    redactor = ReceiptCodeRedactor()
    for logger in (app.logger, *(logging.getLogger(name) for name in LOGGERS)):
        if not any(isinstance(f, ReceiptCodeRedactor) for f in logger.filters):
            logger.addFilter(redactor)
