"""Several instances (gunicorn processes or machines) share rate-limit counters and
caches through Redis when NOTICEBOARD_REDIS_URL is set.

Runs against the Redis at NOTICEBOARD_TEST_REDIS_URL (default redis://127.0.0.1:6379/0)
with a key prefix of its own, deleted afterwards. Skipped locally when Redis is not
reachable; under CI=true that is a failure.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from noticeboard.extensions import cache
from tests.conftest import TEST_REDIS_URL, redis_or_skip

pytestmark = pytest.mark.redis

REDIS_URL = TEST_REDIS_URL


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    client = redis_or_skip()
    prefix = f"nbtest{uuid.uuid4().hex[:12]}"
    yield prefix
    for key in client.scan_iter(match=f"*{prefix}*", count=1000):
        client.delete(key)
    client.close()


@pytest.fixture
def two_instances(make_app: Callable[..., Flask], redis_prefix: str) -> tuple[Flask, Flask]:
    config = {
        "REDIS_URL": REDIS_URL,
        "CACHE_TYPE": None,  # chosen from REDIS_URL, as in production
        "CACHE_KEY_PREFIX": f"{redis_prefix}:",
        "RATELIMIT_KEY_PREFIX": redis_prefix,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_LOOKUP": "3 per minute",
    }
    return make_app(**config), make_app(**config)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_rate_limit_hit_on_one_instance_counts_on_the_other(
    two_instances: tuple[Flask, Flask],
) -> None:
    first, second = (app.test_client() for app in two_instances)
    assert first.application.config["RATELIMIT_STORAGE_URI"] == REDIS_URL
    code = {"code": "0000-0000-00"}
    assert [first.post("/track", data=code).status_code for _ in range(2)] == [200, 200]
    assert second.post("/track", data=code).status_code == 200  # the third, counted across
    refused = second.post("/track?lang=en", data=code)
    assert refused.status_code == 429
    assert "Too many requests" in refused.get_data(as_text=True)
    assert first.post("/track", data=code).status_code == 429


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_cache_entry_set_by_one_instance_is_seen_by_the_other(
    two_instances: tuple[Flask, Flask], redis_prefix: str
) -> None:
    first, second = two_instances
    assert first.config["CACHE_TYPE"] == "RedisCache"
    with first.app_context():
        cache.set("shared-entry", {"body": "盘点"}, timeout=60)
    with second.app_context():
        assert cache.get("shared-entry") == {"body": "盘点"}
        cache.delete("shared-entry")
    with first.app_context():
        assert cache.get("shared-entry") is None
