"""Storage off the reactor (akhbar/store_writer.py, akhbar/store_pipeline.py, akhbar/incremental.py).

On SQLite and on PostgreSQL (AKHBAR_TEST_POSTGRES_URL, a throwaway schema per test; skipped with
the reason without it): writes go in batches, by size and by time; a batch that fails is written
again item by item and only the bad item is lost (logged, counted); a full queue makes
process_item wait; a clean close stores everything queued, in a real `scrapy crawl` too; a crawl
killed with kill -9 loses only what was not committed, and the next crawl fetches exactly those
articles again (on PostgreSQL here; on SQLite in tests/test_incremental.py).
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import subprocess
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import scrapy
from scrapy.utils.test import get_crawler

from akhbar.storage import ArticleStore
from akhbar.store_pipeline import StorePipeline
from akhbar.store_writer import StoreLookups, StoreWriter
from generated_replay import ROOT, crawl_command, crawl_env, headline, slow_args, write_replay
from test_storage import POSTGRES_URL, database_url, fresh_postgres_schema, make_article  # noqa: F401 - a fixture

LONG_MS = 600_000  # a batch time no test reaches: only the size or the close ends a batch
POLL_SECONDS = 10  # how long a test waits for a batch written in the background


def count(url: str) -> int:
    """Articles committed, read on a connection of the test's own (read-only for SQLite)."""
    if url.startswith("sqlite"):
        with sqlite3.connect(f"file:{url.split('///', 1)[1]}?mode=ro", uri=True, timeout=5) as connection:
            return connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        return connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0]


def wait_for_count(url: str, expected: int) -> int:
    deadline = time.monotonic() + POLL_SECONDS
    while (found := count(url)) < expected and time.monotonic() < deadline:
        time.sleep(0.05)
    return found


@contextmanager
def writes_blocked(url: str):
    """Another connection holds the articles table's write lock until the block ends."""
    if url.startswith("sqlite"):
        connection = sqlite3.connect(url.split("///", 1)[1], isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")  # SQLite's one writer: the store's writer waits
        try:
            yield
        finally:
            connection.execute("ROLLBACK")
            connection.close()
        return
    import psycopg

    with psycopg.connect(url) as connection:  # a transaction until the block ends
        connection.execute("LOCK TABLE articles IN EXCLUSIVE MODE")  # reads pass, writes wait
        try:
            yield
        finally:
            connection.rollback()


# --- the writer --------------------------------------------------------------------------------

def test_writer_commits_a_batch_once_it_is_full_and_the_rest_on_close(database_url):
    results = []
    writer = StoreWriter(database_url, batch_size=10, batch_ms=LONG_MS, queue_size=100,
                         on_batch=results.append)
    writer.start()
    for n in range(25):
        assert writer.offer(dict(make_article(n)))
    assert wait_for_count(database_url, 20) == 20
    time.sleep(0.3)
    assert count(database_url) == 20  # 5 left: not a full batch, and its time is far off
    writer.close()
    assert count(database_url) == 25
    assert [(r.inserted, r.batches) for r in results] == [(10, 1), (10, 1), (5, 1)]
    assert writer.stored_count == 25


def test_writer_commits_a_batch_when_its_time_is_up(database_url):
    writer = StoreWriter(database_url, batch_size=1000, batch_ms=100, queue_size=1000)
    writer.start()
    try:
        for n in range(3):
            writer.offer(dict(make_article(n)))
        assert wait_for_count(database_url, 3) == 3  # written while the writer is still open
    finally:
        writer.close()


def test_a_failed_batch_is_retried_item_by_item_and_only_the_bad_item_is_lost(database_url, caplog):
    results = []
    writer = StoreWriter(database_url, batch_size=5, batch_ms=LONG_MS, queue_size=10,
                         on_batch=results.append)
    writer.start()
    bad = dict(make_article(3, tags="a string, not a list"))
    items = [dict(make_article(1)), dict(make_article(2)), bad, dict(make_article(4)),
             dict(make_article(1, headline="عنوان جديد"))]
    with caplog.at_level(logging.WARNING, logger="akhbar"):
        for item in items:
            writer.offer(item)
        writer.close()
    (result,) = results
    assert (result.inserted, result.updated, result.failed) == (3, 1, 1)
    assert (result.batches, result.retried) == (0, 1)
    assert result.failed_urls == [bad["url"]]
    assert f"cannot store {bad['url']}" in caplog.text
    with ArticleStore.open(database_url, announce=False) as store:
        assert store.count() == 3
        assert store.get(items[0]["canonical_url"])["headline"] == "عنوان جديد"  # in order
        assert not store.has(bad["canonical_url"])


def test_upsert_many_is_the_same_as_upserting_in_order(database_url, tmp_path):
    batch = [make_article(1), make_article(2), make_article(1, headline="ثانية", tags=["واحد"]),
             make_article(5, canonical_url=None)]
    with ArticleStore.open(database_url, announce=False) as store:
        store.upsert(make_article(2, body=["قديمة"]))
        assert store.upsert_many(batch) == [True, False, False, True]
        reference_url = f"sqlite:///{tmp_path}/reference.sqlite3"
        with ArticleStore.open(reference_url, announce=False) as reference:
            reference.upsert(make_article(2, body=["قديمة"]))
            for item in batch:
                reference.upsert(item)
            for item in batch:
                key = item["canonical_url"] or item["url"]
                assert store.get(key) == reference.get(key)
            for table in ("articles", "authors", "body_paragraphs", "images", "tags", "related"):
                assert (store.query(f"SELECT COUNT(*) FROM {table}")
                        == reference.query(f"SELECT COUNT(*) FROM {table}"))
        assert store.get(make_article(1)["canonical_url"])["tags"] == ["واحد"]


def test_stored_among_finds_articles_under_any_of_their_urls(database_url):
    stored = [make_article(n) for n in range(1, 301)]
    without_canonical = make_article(500, canonical_url=None)
    with ArticleStore.open(database_url, announce=False) as store:
        store.upsert_many([*stored, without_canonical])
        asked = ([a["url"] for a in stored[:150]] + [a["canonical_url"] for a in stored[150:]]
                 + [without_canonical["url"], "https://www.example-akhbar.test/story/new"])
        found = store.stored_among(asked)  # more URLs than one query takes: several queries
    assert found == set(asked) - {"https://www.example-akhbar.test/story/new"}


def test_lookups_answer_from_threads_and_report_errors(database_url):
    with ArticleStore.open(database_url, announce=False) as store:
        store.upsert(make_article(1))
    stored = make_article(1)
    answers: dict[str, object] = {}
    done = threading.Event()

    def answer(name):
        def record(result):
            answers[name] = result
            if len(answers) == 3:
                done.set()
        return record

    lookups = StoreLookups(database_url, threads=2)
    lookups.start()
    lookups.ask(["https://elsewhere.test/a", stored["url"]], answer("fetched url"))
    lookups.ask([stored["canonical_url"]], answer("canonical"))
    lookups.ask([make_article(2)["canonical_url"]], answer("new"))
    assert done.wait(POLL_SECONDS)
    lookups.close()
    assert answers == {"fetched url": True, "canonical": True, "new": False}

    # Many questions at once: answered by a few queries, each answer its own.
    many = {f"https://www.example-akhbar.test/story/2024/5/13/{n}": n % 7 == 0 for n in range(2, 400)}
    with ArticleStore.open(database_url, announce=False) as store:
        store.upsert_many([make_article(n) for n in range(2, 400) if n % 7 == 0])
    answered: dict[str, object] = {}
    all_done = threading.Event()

    def keep(question):
        def record(result):
            answered[question] = result
            if len(answered) == len(many):
                all_done.set()
        return record

    lookups = StoreLookups(database_url, threads=2)
    lookups.start()
    for question in many:
        lookups.ask([question], keep(question))
    assert all_done.wait(POLL_SECONDS)
    lookups.close()
    assert answered == many

    broken = StoreLookups("postgresql://akhbar:secret@127.0.0.1:1/nothing", threads=1)  # refused
    failed = []
    broken.start()
    broken.ask(["https://x.test/"], failed.append)
    broken.close()
    assert len(failed) == 1 and isinstance(failed[0], Exception)


# --- the pipeline: back-pressure and the clean close ---------------------------------------------

def pipeline_for(url: str, **settings) -> tuple[StorePipeline, object]:
    crawler = get_crawler(settings_dict={"AKHBAR_DATABASE_URL": url, **settings})
    return StorePipeline.from_crawler(crawler), crawler.stats


def test_a_full_queue_makes_process_item_wait_until_there_is_room(database_url):
    ArticleStore.open(database_url, announce=False).close()  # a table to lock
    pipeline, stats = pipeline_for(database_url, AKHBAR_STORE_BATCH_SIZE=1, AKHBAR_STORE_BATCH_MS=0,
                                   AKHBAR_STORE_QUEUE_SIZE=2)
    spider = scrapy.Spider(name="example")

    async def crawl():
        await pipeline.open_spider(spider)
        with writes_blocked(database_url):
            # The writer takes a batch of one and waits for the lock; 2 more fill the queue.
            await pipeline.process_item(make_article(0), spider)
            await asyncio.sleep(0.3)  # the writer has taken it
            for n in range(1, 3):
                await asyncio.wait_for(pipeline.process_item(make_article(n), spider), 1)
            waiting = asyncio.ensure_future(pipeline.process_item(make_article(3), spider))
            await asyncio.sleep(0.3)
            assert not waiting.done()  # no room: the item waits, and so does the crawl's item
            assert stats.get_value("akhbar/store/queue_full") == 1
        await asyncio.wait_for(waiting, POLL_SECONDS)  # the lock is gone: room again
        await pipeline.close_spider(spider)

    asyncio.run(crawl())
    assert count(database_url) == 4
    assert stats.get_value("akhbar/store/inserted") == 4


def test_close_writes_everything_queued(database_url):
    pipeline, stats = pipeline_for(database_url, AKHBAR_STORE_BATCH_SIZE=1000,
                                   AKHBAR_STORE_BATCH_MS=LONG_MS)
    spider = scrapy.Spider(name="example")

    async def crawl():
        await pipeline.open_spider(spider)
        for n in range(30):
            await pipeline.process_item(make_article(n), spider)
        await asyncio.sleep(0.2)
        assert count(database_url) == 0  # all queued, none committed yet
        await pipeline.close_spider(spider)

    asyncio.run(crawl())
    assert count(database_url) == 30
    assert stats.get_value("akhbar/store/inserted") == 30
    assert stats.get_value("akhbar/store/batches") == 1


def run_crawl(tmp_path: Path, manifest: Path, url: str, name: str, *args: str) -> dict:
    stats = tmp_path / f"{name}.json"
    result = subprocess.run(crawl_command(manifest, url, stats, *args), cwd=ROOT, env=crawl_env(),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(stats.read_text(encoding="utf-8"))
    assert data["finish_reason"] == "finished"
    assert data.get("log_count/ERROR", 0) == 0, result.stderr[-3000:]
    return data


def test_a_crawl_that_closes_stores_every_item_before_it_ends(database_url, tmp_path):
    pages = 20
    manifest, urls = write_replay(tmp_path / "replay", pages)
    # One batch that neither fills nor times out: only the close writes it.
    stats = run_crawl(tmp_path, manifest, database_url, "closed", "-s", "AKHBAR_STORE_BATCH_SIZE=1000",
                      "-s", f"AKHBAR_STORE_BATCH_MS={LONG_MS}")
    assert stats["akhbar/store/inserted"] == pages
    assert stats["akhbar/store/batches"] == 1
    with ArticleStore.open(database_url, announce=False) as store:
        assert store.count() == pages
        assert {store.get(u)["headline"] for u in urls} == {headline(i) for i in range(pages)}
        # The crawl's record (written at spider_closed) already has the flushed counts.
        (record,) = store.crawls()
        assert record["stats"]["akhbar/store/inserted"] == pages


# --- kill -9 ------------------------------------------------------------------------------------

def test_after_kill_9_only_uncommitted_articles_are_fetched_again(postgres_url, tmp_path):
    """On PostgreSQL; on SQLite, tests/test_incremental.py kills a crawl twice the same way."""
    database_url = postgres_url
    pages = 120
    manifest, urls = write_replay(tmp_path / "replay", pages)
    jobdir = tmp_path / "job"
    args = [*slow_args(0.02), "-s", f"JOBDIR={jobdir}", "-s", "AKHBAR_STORE_BATCH_SIZE=10",
            "-s", "AKHBAR_STORE_BATCH_MS=200"]
    killed_stats = tmp_path / "killed.json"
    process = subprocess.Popen(crawl_command(manifest, database_url, killed_stats, *args), cwd=ROOT,
                               env=crawl_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while count_or_zero(database_url) < 30:
            assert process.poll() is None, "the crawl ended before it could be killed"
            assert time.monotonic() < deadline, "30 articles not stored in 120 s"
            time.sleep(0.05)
        process.kill()  # SIGKILL: no flush, no close
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
    assert not killed_stats.exists()
    stored_at_kill = count(database_url)
    assert 30 <= stored_at_kill < pages

    final = run_crawl(tmp_path, manifest, database_url, "final", *args)
    # What was committed is skipped; everything else, the lost batch included, is fetched and stored.
    assert final["akhbar/skipped/already_stored"] == stored_at_kill
    assert final["akhbar/store/inserted"] == pages - stored_at_kill
    assert "akhbar/store/updated" not in final
    with ArticleStore.open(database_url, announce=False) as store:
        assert store.count() == pages
        assert {store.get(u)["headline"] for u in urls} == {headline(i) for i in range(pages)}
        stored_once = store.query("SELECT COUNT(*) FROM articles WHERE first_stored_at = stored_at")[0][0]
        assert stored_once == pages  # none overwritten


def count_or_zero(url: str) -> int:
    """The store's count, 0 while the crawl has not created it yet."""
    try:
        return count(url)
    except Exception:  # noqa: BLE001 - not created yet, or being created
        return 0


# --- a lost connection ----------------------------------------------------------------------------

@pytest.fixture
def postgres_url():
    """An empty PostgreSQL schema (SQLite has no connection to lose)."""
    if not POSTGRES_URL:
        pytest.skip("needs AKHBAR_TEST_POSTGRES_URL (eval \"$(bash scripts/postgres.sh start)\" starts a server)")
    with fresh_postgres_schema() as url:
        yield url


def test_the_writer_connects_again_after_losing_its_connection(postgres_url, caplog):
    import uuid

    import psycopg

    database_url = postgres_url
    name = f"akhbar-writer-{uuid.uuid4().hex[:12]}"  # this test's connections alone are cut
    url = f"{database_url}&application_name={name}"
    results = []
    writer = StoreWriter(url, batch_size=2, batch_ms=LONG_MS, queue_size=10, on_batch=results.append)
    writer.start()
    writer.offer(dict(make_article(1)))
    writer.offer(dict(make_article(2)))
    assert wait_for_count(database_url, 2) == 2
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:  # as a server restart would
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
                      (name,))
    with caplog.at_level(logging.WARNING, logger="akhbar"):
        writer.offer(dict(make_article(3)))
        writer.offer(dict(make_article(4)))
        writer.close()
    assert count(database_url) == 4
    assert sum(r.failed for r in results) == 0
    assert "connecting again" in caplog.text


def test_a_writer_whose_callbacks_fail_still_closes(tmp_path, caplog):
    """E.g. the event loop is gone: the writer says so and close() does not hang."""
    url = f"sqlite:///{tmp_path}/akhbar.sqlite3"

    def loop_gone(result):
        raise RuntimeError("Event loop is closed")

    writer = StoreWriter(url, batch_size=1, batch_ms=0, queue_size=5, on_batch=loop_gone)
    writer.start()
    with caplog.at_level(logging.ERROR, logger="akhbar"):
        for n in range(3):
            writer.put(dict(make_article(n)), timeout=POLL_SECONDS)
        closing = threading.Thread(target=writer.close)
        closing.start()
        closing.join(POLL_SECONDS)
    assert not closing.is_alive()
    assert "the writer stopped" in caplog.text
    assert count(url) >= 1  # the first batch was committed before its callback failed
