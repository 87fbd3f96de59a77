"""Keep receipt codes out of the logs, whatever logs them.

Codes travel in POST bodies and URL fragments, so servers never see them in a request
line; this filter is the second line of defence, for a message that quotes one anyway.
"""

from __future__ import annotations

import logging
import re

from flask import Flask

_C = "[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]"
# As shown on slips (XXXX-XXXX-XX, any case), or stored (ten upper-case characters with
# at least one digit, so ordinary words such as "attachment" stay readable).
_CODE = re.compile(rf"\b{_C}{{4}}-{_C}{{4}}-{_C}{{2}}\b|\b(?=[A-Z]*\d)[0-9A-HJKMNP-TV-Z]{{10}}\b")
REDACTED = "[receipt code]"
LOGGERS = ("werkzeug", "waitress", "gunicorn.access", "gunicorn.error")


class ReceiptCodeRedactor(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _CODE.search(message):
            record.msg, record.args = _CODE.sub(REDACTED, message), ()
        return True


def install_redaction(app: Flask) -> None:
    redactor = ReceiptCodeRedactor()
    for logger in (app.logger, *(logging.getLogger(name) for name in LOGGERS)):
        if not any(isinstance(f, ReceiptCodeRedactor) for f in logger.filters):
            logger.addFilter(redactor)
