"""Secrets come from the environment and never reach the log, the feeds or the stats.

A crawl of the bad-input site (tests/badsite.py) with a database URL and a Redis URL that carry
passwords, given the way the README says (environment variables), at LOG_LEVEL=DEBUG: neither
password appears in the log, the JSON Lines and CSV feeds or the stats file. The Redis server is
a real one started here with that password (`requirepass`), so the URL is actually used; the
database is SQLite with a `?password=` in its URL (masked the same way) and PostgreSQL
(AKHBAR_TEST_POSTGRES_URL, as tests/test_storage.py: a schema of its own).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import unquote

import pytest

from badsite import BY_NAME, BadSite
from shared import CORPUS_DIR, require_shared

TESTS_DIR = Path(__file__).resolve().parent
REDIS_SECRET = "r3dis-Secret-90210"
DB_SECRET = "db-Secret-31337"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("needs redis-server (Debian package redis-server; scripts/redis.sh installs it)")
    port = _free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--requirepass", REDIS_SECRET,
         "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://:{REDIS_SECRET}@127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """A database URL with a password in it, and that password."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite3'}?password={DB_SECRET}", DB_SECRET
        return
    from test_storage import POSTGRES_URL, _postgres_schema_url

    if not POSTGRES_URL:
        pytest.skip("needs AKHBAR_TEST_POSTGRES_URL (eval \"$(bash scripts/postgres.sh start)\")")
    import psycopg

    password = unquote(POSTGRES_URL.split("://", 1)[1].split("@", 1)[0].split(":", 1)[1])
    schema = f"akhbar_secrets_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    try:
        yield _postgres_schema_url(POSTGRES_URL, schema), password
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")


def test_passwords_never_reach_the_log_feeds_or_stats(tmp_path, redis_url, database):
    require_shared()
    database_url, db_password = database
    site = BadSite(CORPUS_DIR).start()
    try:
        urls = ",".join(site.url(BY_NAME[n].path) for n in ("own", "real_2024", "not_found", "gone"))
        env = {k: v for k, v in os.environ.items() if not k.startswith("AKHBAR_")}
        env.update(PYTHONPATH=os.pathsep.join(filter(None, [str(TESTS_DIR), env.get("PYTHONPATH")])),
                   SCRAPY_SETTINGS_MODULE="akhbar.settings",
                   AKHBAR_DATABASE_URL=database_url, AKHBAR_REDIS_URL=redis_url,
                   AKHBAR_REDIS_KEY_PREFIX=f"secrets-test-{os.getpid()}",
                   SCRAPYD_PASSWORD="scrapyd-Secret-4242")
        jsonl, csv_file, stats = tmp_path / "items.jsonl", tmp_path / "items.csv", tmp_path / "stats.json"
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "badsite", "-a", f"base={site.base}",
             "-a", f"urls={urls}", "-o", str(jsonl), "-o", str(csv_file),
             "-s", "SPIDER_MODULES=badsite_spider", "-s", f"AKHBAR_STATS_FILE={stats}",
             "-s", "LOG_LEVEL=DEBUG", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "AKHBAR_REDIS_IDLE_CLOSE=1",
             "-s", "DOWNLOAD_TIMEOUT=5"],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180)
    finally:
        site.stop()
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    # The crawl did use both: items stored, requests queued in Redis.
    assert "scrapy_redis" in log and "akhbar store:" in log
    assert len(jsonl.read_text(encoding="utf-8").splitlines()) == 2
    outputs = {"log": log, "jsonl": jsonl.read_text(encoding="utf-8"),
               "csv": csv_file.read_text(encoding="utf-8-sig"), "stats": stats.read_text(encoding="utf-8")}
    for secret in (REDIS_SECRET, db_password, "scrapyd-Secret-4242"):
        for where, text in outputs.items():
            assert secret not in text, f"{secret!r} appears in the {where}"
    assert ":***@" in log or "password=***" in log  # the URL is shown, masked
    assert len(db_password) >= 6  # a password the checks above could find
