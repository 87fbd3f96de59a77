"""An office imports a spreadsheet in the browser; the worker, a process of its own beside
the web server, does the work while the page shows the progress and then the outcome."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from tests.e2e.conftest import LiveServer, screenshot

ROWS = 3000


def _spreadsheet() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["law", "articles", "office", "channel", "received_on", "text"])
    for n in range(ROWS):
        writer.writerow(
            [
                "minors-protection-law",
                str(1 + n % 100),
                "hongqiao",
                "symposium",
                "2024-05-06",
                f"建议第{1 + n % 100}条明确责任主体（第{n}份）。",
            ]
        )
    return buffer.getvalue().encode("utf-8")


def test_an_import_runs_on_the_worker_and_the_page_follows_it(
    live_server: LiveServer, page: Any
) -> None:
    email = live_server.sign_in(page, "office")

    page.goto(live_server.url + "/staff/opinions/import?lang=en")
    page.locator("input[type=file]").set_input_files(
        {"name": "symposium.csv", "mimeType": "text/csv", "buffer": _spreadsheet()}
    )
    page.get_by_role("button", name="Check and import").click()
    page.wait_for_url(re.compile(r".*/staff/opinions/import/[0-9a-f]{32}$"))
    status = page.locator(".import-status")
    # The page polls the job row, which the worker updates; it reloads when it ends.
    status.filter(has_text=f"Done: {ROWS} opinions saved").wait_for(timeout=60_000)
    assert page.locator("progress").get_attribute("value") == "100"
    screenshot(page, "import-job-done")

    page.goto(live_server.url + "/staff/jobs?lang=en")
    # The import's row; the matching job its opinions queued may be listed above it.
    row = page.locator("table.jobs-table tbody tr", has_text="symposium.csv")
    assert "Import" in row.inner_text()
    assert "symposium.csv" in row.inner_text()
    assert row.locator(".badge").inner_text() == "Done"
    assert email in row.inner_text()
    screenshot(page, "staff-jobs")
    assert "Executing noticeboard" in live_server.worker_log_path.read_text()
