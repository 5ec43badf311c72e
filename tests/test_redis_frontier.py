"""Several workers, one frontier (akhbar/frontier.py): two `scrapy crawl youm7` processes share a
scrapy-redis queue and duplicate filter in a real redis-server and crawl a replay of 240 article
pages; every page is fetched once and stored once, and both workers do part of the work.

Needs AKHBAR_TEST_REDIS_URL (`eval "$(bash scripts/redis.sh start)"`); skipped, saying so,
without it. The shared store is the PostgreSQL of AKHBAR_TEST_POSTGRES_URL (a throwaway schema)
when that is set, else one SQLite file (WAL) for both workers.
"""

import json
import os
import subprocess
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest

from generated_replay import ROOT, SCRAPY, crawl_command, crawl_env, headline, slow_args, write_replay

REDIS_URL = os.environ.get("AKHBAR_TEST_REDIS_URL")
POSTGRES_URL = os.environ.get("AKHBAR_TEST_POSTGRES_URL")
PAGES = 240

pytestmark = pytest.mark.skipif(
    not REDIS_URL,
    reason="needs AKHBAR_TEST_REDIS_URL, a Redis server "
           "(eval \"$(bash scripts/redis.sh start)\" starts one and sets it)")


@contextmanager
def shared_store(tmp_path: Path):
    """A database URL both workers write to, and an ArticleStore factory to read it."""
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        return
    import psycopg

    schema = f"akhbar_frontier_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def redis_prefix():
    """A key prefix of this test run alone; its keys are deleted afterwards."""
    import redis

    prefix = f"akhbar-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    server = redis.Redis.from_url(REDIS_URL)
    keys = list(server.scan_iter(match=f"{prefix}:*"))
    if keys:
        server.delete(*keys)
    server.close()


def test_two_workers_crawl_one_frontier_each_page_once(tmp_path, redis_prefix):
    import redis

    from akhbar.replay import replay_key
    from akhbar.storage import ArticleStore

    manifest, urls = write_replay(tmp_path / "replay", PAGES)
    frontier = ["-s", f"AKHBAR_REDIS_KEY_PREFIX={redis_prefix}", "-s", "AKHBAR_REDIS_IDLE_CLOSE=5"]
    with shared_store(tmp_path) as database_url:
        workers = []
        for n in (1, 2):
            stats = tmp_path / f"worker{n}.json"
            args = [*slow_args(0.05), *frontier]
            if n == 1:  # the URL from the environment ...
                env = crawl_env(AKHBAR_REDIS_URL=REDIS_URL)
            else:  # ... or from -s: the add-on reads the final settings
                env, args = crawl_env(), [*args, "-s", f"AKHBAR_REDIS_URL={REDIS_URL}"]
            log = (tmp_path / f"worker{n}.log").open("w", encoding="utf-8")
            process = subprocess.Popen(crawl_command(manifest, database_url, stats, *args),
                                       cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
            workers.append((process, stats, log))
        try:
            for process, _, _ in workers:
                process.wait(timeout=240)
        finally:
            for process, _, log in workers:
                if process.poll() is None:
                    process.kill()
                    process.wait(timeout=30)
                log.close()

        results = []
        for n, (process, stats, _) in enumerate(workers, 1):
            log_text = (tmp_path / f"worker{n}.log").read_text(encoding="utf-8")
            assert process.returncode == 0, log_text[-3000:]
            data = json.loads(stats.read_text(encoding="utf-8"))
            assert data["finish_reason"] == "finished"
            assert data.get("log_count/ERROR", 0) == 0, log_text[-3000:]
            assert data.get("scheduler/enqueued/redis", 0) + data.get("scheduler/dequeued/redis", 0) > 0
            results.append(data)

        def article_hits(stats: dict) -> int:
            return stats.get("akhbar/replay/hit", 0) - stats.get("akhbar/discovery/feeds", 0)

        # The feed was read by one worker only: discovery went through the shared dupefilter.
        assert sum(r.get("akhbar/discovery/feeds", 0) for r in results) == 1
        # Each article page fetched once in all, and both workers fetched some.
        assert sum(article_hits(r) for r in results) == PAGES
        assert all(article_hits(r) > 0 for r in results), [article_hits(r) for r in results]
        assert sum(r.get("akhbar/store/inserted", 0) for r in results) == PAGES
        assert sum(r.get("akhbar/store/updated", 0) for r in results) == 0

        with ArticleStore.open(database_url) as store:
            rows = store.query("SELECT url, headline, first_stored_at, stored_at FROM articles")
        assert len(rows) == PAGES
        assert {replay_key(row[0]) for row in rows} == {replay_key(u) for u in urls}
        assert {row[1] for row in rows} == {headline(i) for i in range(PAGES)}
        assert all(row[2] == row[3] for row in rows)  # stored once, never overwritten

    # The frontier persists after the crawl (SCHEDULER_PERSIST) until it is reset.
    server = redis.Redis.from_url(REDIS_URL)
    assert server.scard(f"{redis_prefix}:youm7:dupefilter") >= PAGES + 1
    assert server.zcard(f"{redis_prefix}:youm7:requests") == 0
    shown = subprocess.run([*SCRAPY, "frontier", "youm7", "--reset", "-s", frontier[1]],
                           cwd=ROOT, env=crawl_env(AKHBAR_REDIS_URL=REDIS_URL),
                           capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert "0 queued requests" in shown.stdout and "reset" in shown.stdout
    assert not server.exists(f"{redis_prefix}:youm7:dupefilter", f"{redis_prefix}:youm7:requests")
    server.close()
