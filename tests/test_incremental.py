"""Incremental crawling (akhbar/incremental.py): `scrapy crawl youm7` over a generated replay.

A second crawl downloads no stored article and stores nothing new, unless `-a refresh=1`; a
crawl killed with kill -9 and restarted with the same JOBDIR stores every article exactly once.
"""

import json
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from generated_replay import ROOT, crawl_command, crawl_env, headline, slow_args, write_replay


def run_crawl(tmp_path: Path, manifest: Path, db: Path, name: str, *args: str) -> dict:
    stats = tmp_path / f"{name}.json"
    result = subprocess.run(crawl_command(manifest, f"sqlite:///{db}", stats, *args),
                            cwd=ROOT, env=crawl_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(stats.read_text(encoding="utf-8"))
    assert data["finish_reason"] == "finished"
    assert data.get("log_count/ERROR", 0) == 0, result.stderr[-3000:]
    return data


def stored(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT url, headline, first_stored_at, stored_at FROM articles ORDER BY url").fetchall()


def stored_count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as connection:
            return connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.Error:  # not created yet
        return 0


def article_hits(stats: dict) -> int:
    """Replayed pages other than the feed (the one discovery document of the replay)."""
    return stats.get("akhbar/replay/hit", 0) - stats.get("akhbar/discovery/feeds", 0)


@pytest.mark.slow
def test_second_crawl_skips_stored_articles_unless_refresh(tmp_path):
    db = tmp_path / "store.sqlite3"
    manifest, urls = write_replay(tmp_path / "replay", 8)

    first = run_crawl(tmp_path, manifest, db, "first")
    assert article_hits(first) == 8
    assert first["akhbar/store/inserted"] == 8
    assert "akhbar/skipped/already_stored" not in first
    before = stored(db)
    assert len(before) == 8

    # The outlet publishes 4 more; an old page changes, which a plain crawl does not see.
    manifest, urls = write_replay(tmp_path / "replay", 12)
    page0 = tmp_path / "replay" / "pages" / "0.html"
    page0.write_text(page0.read_text(encoding="utf-8").replace(headline(0), "عنوان معدل"),
                     encoding="utf-8")
    time.sleep(1.1)  # stored_at has a resolution of one second

    second = run_crawl(tmp_path, manifest, db, "second")
    assert second["akhbar/discovery/feeds"] == 1  # the feed is read again: never skipped
    assert second["akhbar/skipped/already_stored"] == 8
    assert article_hits(second) == 4  # only the new articles were downloaded
    assert second["akhbar/store/inserted"] == 4
    assert "akhbar/store/updated" not in second
    after = stored(db)
    assert len(after) == 12
    assert [row for row in after if row[0] in {r[0] for r in before}] == before  # untouched

    third = run_crawl(tmp_path, manifest, db, "refresh", "-a", "refresh=1")
    assert "akhbar/skipped/already_stored" not in third
    assert article_hits(third) == 12
    assert third["akhbar/store/updated"] == 12
    assert "akhbar/store/inserted" not in third
    refreshed = stored(db)
    assert len(refreshed) == 12
    assert "عنوان معدل" in {row[1] for row in refreshed}
    assert all(row[3] > row[2] for row in refreshed if row[0] in {r[0] for r in before})


@pytest.mark.slow
def test_killed_crawl_restarted_with_jobdir_stores_every_article_once(tmp_path):
    pages = 300
    db = tmp_path / "store.sqlite3"
    jobdir = tmp_path / "job"
    manifest, urls = write_replay(tmp_path / "replay", pages)
    args = [*slow_args(0.02), "-s", f"JOBDIR={jobdir}"]

    # Killed twice with kill -9, once some articles are stored, then run to the end.
    killed_at = []
    for threshold in (30, 150):
        stats = tmp_path / f"killed-{threshold}.json"
        process = subprocess.Popen(crawl_command(manifest, f"sqlite:///{db}", stats, *args),
                                   cwd=ROOT, env=crawl_env(), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 120
            while stored_count(db) < threshold:
                assert process.poll() is None, "the crawl ended before it could be killed"
                assert time.monotonic() < deadline, f"{threshold} articles not stored in 120 s"
                time.sleep(0.05)
            process.kill()  # SIGKILL: no clean-up of any kind
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=30)
        assert not stats.exists()  # killed: it never closed
        killed_at.append(stored_count(db))
        assert killed_at[-1] < pages

    final = run_crawl(tmp_path, manifest, db, "final", *args)
    assert final["akhbar/jobdir/recovered"] == 1
    assert final["akhbar/skipped/already_stored"] == killed_at[-1]
    assert final["akhbar/store/inserted"] == pages - killed_at[-1]
    assert "akhbar/store/updated" not in final

    rows = stored(db)
    assert len(rows) == pages
    assert len({row[0] for row in rows}) == pages
    from akhbar.replay import replay_key
    assert {replay_key(row[0]) for row in rows} == {replay_key(u) for u in urls}
    assert {row[1] for row in rows} == {headline(i) for i in range(pages)}
    assert all(row[2] == row[3] for row in rows)  # each stored once, never overwritten
    # The last run closed normally: its JOBDIR is a clean one again.
    assert not (jobdir / "akhbar-crawl-running").exists()
