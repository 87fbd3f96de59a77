"""How fast the Civil Code compare page renders on SQLite (goal: under a second).

Saves the Civil Code (1,260 articles) and a heavily edited copy as two versions of one
law in a fresh SQLite database, then times the public pages that show them: the
compare page (all kinds shown, inline and side by side), the law page and one
article history. Prints the save time and the median of several requests.

    python benchmarks/compare_page.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from diff_speed import edited_copy

from noticeboard import create_app
from noticeboard.extensions import db
from noticeboard.services.demo.loader import read_sample as sample_text
from noticeboard.services.laws.creation import create_law
from noticeboard.services.laws.versions import add_version
from noticeboard.services.permissions import SYSTEM


def median_ms(client: object, url: str, repeat: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        size = len(response.data)
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as instance:
        app = create_app(
            {"INSTANCE_PATH": instance, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False}
        )
        with app.app_context():
            from flask_migrate import upgrade

            upgrade(directory=app.extensions["migrate"].directory)
            original = sample_text("cn/civilcode-2020.txt")
            edited, _ = edited_copy(original, seed=2020)
            session = db.session()
            law = create_law(session, SYSTEM, slug="civil-code", title="中华人民共和国民法典")
            start = time.perf_counter()
            add_version(session, SYSTEM, law, label="一审稿", source_text=original, publish=True)
            first_save = time.perf_counter() - start
            start = time.perf_counter()
            second = add_version(
                session, SYSTEM, law, label="二审稿", source_text=edited, publish=True
            )
            second_save = time.perf_counter() - start
            session.commit()
            key = second.articles[600].key
            articles = (law.versions[0].article_count, second.article_count)

        client = app.test_client()
        print(f"Civil Code: {articles[0]} -> {articles[1]} articles, SQLite")
        print(f"save version 1 (parse + store): {first_save * 1000:8.0f} ms")
        print(f"save version 2 (parse + compare + store): {second_save * 1000:8.0f} ms")
        for label, url in [
            ("compare page, inline", "/laws/civil-code/compare/1...2?lang=zh"),
            ("compare page, side by side", "/laws/civil-code/compare/1...2?view=side&lang=zh"),
            ("law page", "/laws/civil-code?lang=zh"),
            ("article history", f"/laws/civil-code/articles/{key}?lang=zh"),
        ]:
            ms, size = median_ms(client, url, args.repeat)
            verdict = "ok" if ms < 1000 else "SLOW"
            print(f"{label:<28} median {ms:7.1f} ms  ({size / 1024:7.0f} KiB)  {verdict}")


if __name__ == "__main__":
    main()
