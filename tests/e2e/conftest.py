"""Browser tests: the real server on a free port, driven by Debian's Chromium headless.

Nothing here downloads a browser: Playwright drives /usr/bin/chromium, which the test
set-up (scripts/test.sh) installs from Debian's packages where missing.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.engine_summary import IN_CI
from tests.smtp import SmtpServer

CHROMIUM = os.environ.get("NOTICEBOARD_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    def __init__(self, instance: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = instance / "server.log"
        # Outcome notices go to a real SMTP server on loopback, read by the tests.
        self.smtp = SmtpServer().start()
        env = {
            **os.environ,
            "NOTICEBOARD_INSTANCE_PATH": str(instance),
            # Many tests sign in as the same demo accounts within a minute.
            "NOTICEBOARD_RATELIMIT_LOGIN": "1000 per minute",
            "NOTICEBOARD_RATELIMIT_LOGIN_ACCOUNT": "1000 per minute",
            "NOTICEBOARD_MAIL_SERVER": "127.0.0.1",
            "NOTICEBOARD_MAIL_PORT": str(self.smtp.port),
            "NOTICEBOARD_PUBLIC_BASE_URL": self.url,
        }
        env.pop("NOTICEBOARD_DATABASE_URL", None)
        self._log = self.log_path.open("w")
        # As a site runs it: the web server, and a job worker in a process of its own.
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "noticeboard",
                "serve",
                "--demo",
                "--no-worker",
                "--port",
                str(self.port),
            ],
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_healthy()
        self.worker_log_path = instance / "worker.log"
        self._worker_log = self.worker_log_path.open("w")
        self.worker = subprocess.Popen(
            [sys.executable, "-m", "noticeboard", "worker"],
            env=env,
            stdout=self._worker_log,
            stderr=subprocess.STDOUT,
        )

    def _wait_until_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("server did not start:\n" + self.log_path.read_text())

    def demo_logins(self) -> list[tuple[str, str, str]]:
        import json

        path = self.log_path.parent / "demo-logins.json"
        return [tuple(row) for row in json.loads(path.read_text())]  # type: ignore[misc]

    def sign_in(self, page: Any, role: str) -> str:
        """Sign ``page`` in as the demo account of ``role`` (English pages); its e-mail."""
        email, _, password = next(row for row in self.demo_logins() if row[1] == role)
        page.goto(self.url + "/staff/login?lang=en")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/staff/")
        return email

    def stop(self) -> None:
        for process in (getattr(self, "worker", None), self.process):
            if process is None or process.poll() is not None:
                continue
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._log.close()
        if hasattr(self, "_worker_log"):
            self._worker_log.close()
        self.smtp.stop()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path_factory.mktemp("instance"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}; run scripts/test.sh to install it"
        if IN_CI:
            pytest.fail(message + " (CI=true: browser tests must run)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot as a test artefact and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
