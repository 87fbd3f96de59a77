"""Shared by the connections of one notices run: the rate they keep together, and the
counts the job reports."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field


@dataclass
class Tally:
    total: int = 0
    sent: int = 0
    failed: int = 0
    retry: int = 0
    unreachable: str = ""  # set when the server cannot be reached: every connection stops
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, *, sent: int = 0, failed: int = 0, retry: int = 0) -> None:
        with self._lock:
            self.sent += sent
            self.failed += failed
            self.retry += retry

    @property
    def done(self) -> int:
        return self.sent + self.failed + self.retry

    def as_result(self) -> dict[str, int]:
        return {"sent": self.sent, "failed": self.failed, "retry": self.retry}


class Pacer:
    """At most ``rate`` notices a second across the connections, spread evenly (0: no
    limit)."""

    def __init__(self, rate: float) -> None:
        self._gap = 1.0 / rate if rate > 0 else 0.0
        self._next = time.monotonic()
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self._gap:
            return
        with self._lock:
            now = time.monotonic()
            slot = max(self._next, now)
            self._next = slot + self._gap
        if slot > now:
            time.sleep(slot - now)
