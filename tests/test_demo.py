"""The demo (scripts/demo.sh): three outlet spiders crawl the replayed demo site (demo/).

Every article must come out as the story table (demo/stories.py) says it was written, the pages
to drop must be dropped and counted by reason, and a replay must not warn about the sources it
leaves out on purpose (the youm7 spider's other eight feeds, the section pages).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from twisted.internet.error import DNSLookupError
from twisted.python.failure import Failure
from w3lib.url import canonicalize_url, safe_url_string

from shared import CORPUS_DIR, require_shared

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # the demo package lives at the repository's root, beside akhbar/
    sys.path.insert(0, str(ROOT))

from demo.site import build, story_url  # noqa: E402
from demo.stories import EXPECTED_DROPS, OUTLETS, RELATED_BLOCK, STORIES  # noqa: E402

SCRAPY = [sys.executable, "-m", "scrapy"]
CRAWL_TIMEOUT = 120  # seconds; a demo crawl takes a few
FIELDS = ("headline", "section", "published_at", "authors", "agencies", "agency_raw", "dateline",
          "body", "tags")
DROPPED = "akhbar/dropped/"


def key(url: str) -> str:
    return canonicalize_url(safe_url_string(url))


@pytest.fixture(scope="module")
def demo_crawl(tmp_path_factory):
    """The three crawls of scripts/demo.sh on the demo site alone (no real pages), in parallel."""
    folder = tmp_path_factory.mktemp("demo")
    manifest = build(folder / "site")  # no corpus: exactly the stories of the table
    env = {k: v for k, v in os.environ.items()
           if k not in ("AKHBAR_DATABASE_URL", "AKHBAR_REDIS_URL", "AKHBAR_REPLAY", "AKHBAR_CORPUS_DIR")}

    def crawl(outlet: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*SCRAPY, "crawl", outlet, "-a", "refresh=1", "-O", str(folder / f"{outlet}.jsonl"),
             "-s", f"AKHBAR_REPLAY={manifest}", "-s", f"AKHBAR_STATS_FILE={folder / f'{outlet}.stats.json'}",
             # One store per crawl: three processes writing one SQLite file would wait on its lock.
             "-s", f"AKHBAR_DATABASE_URL=sqlite:///{folder / f'{outlet}.sqlite3'}"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=CRAWL_TIMEOUT)

    with ThreadPoolExecutor(len(OUTLETS)) as pool:
        runs = dict(zip(OUTLETS, pool.map(crawl, OUTLETS)))
    for outlet, run in runs.items():
        assert run.returncode == 0, f"{outlet}: {run.stderr[-3000:]}"
    items = {outlet: [json.loads(line) for line in (folder / f"{outlet}.jsonl").read_text("utf-8").splitlines()]
             for outlet in OUTLETS}
    stats = {outlet: json.loads((folder / f"{outlet}.stats.json").read_text("utf-8")) for outlet in OUTLETS}
    logs = {outlet: run.stderr for outlet, run in runs.items()}
    return folder, items, stats, logs


def test_the_table_is_a_demo_worth_watching():
    """At least 30 articles of at least three outlets, with agencies, datelines, days and
    authors varied enough for the summary and the report to show something."""
    assert len(STORIES) >= 30
    assert len({s.outlet for s in STORIES}) >= 3
    assert len({code for s in STORIES for code in s.agencies}) >= 5
    assert len({s.dateline for s in STORIES if s.dateline}) >= 10
    assert len({s.published_at[:10] for s in STORIES}) >= 5
    assert len({a for s in STORIES for a in s.authors}) >= 5
    assert any(not s.agencies for s in STORIES)


def test_demo_crawl_delivers_every_story_as_written(demo_crawl):
    _, items, _, _ = demo_crawl
    assert sum(len(v) for v in items.values()) >= 30
    for outlet in OUTLETS:
        written = {key(story_url(s)): s for s in STORIES if s.outlet == outlet}
        got = {key(item["url"]): item for item in items[outlet]}
        assert sorted(got) == sorted(written), outlet  # one item per story, nothing else
        for url, story in written.items():
            item = got[url]
            assert item["outlet"] == outlet
            for field in FIELDS:
                expected = getattr(story, field)
                expected = list(expected) if isinstance(expected, tuple) else expected
                assert item[field] == expected, (outlet, story.id, field, item[field])
            by_id = {s.id: s for s in STORIES}
            related = [(r["block"], r["title"], key(r["url"])) for r in item["related"]]
            assert related == [(RELATED_BLOCK[outlet], by_id[i].headline, key(story_url(by_id[i])))
                               for i in story.related], (outlet, story.id)


def test_pages_to_drop_are_dropped_and_counted_by_reason(demo_crawl):
    _, items, stats, _ = demo_crawl
    drops = Counter()
    for outlet in OUTLETS:
        for name, value in stats[outlet].items():
            if name.startswith(DROPPED):
                drops[name.removeprefix(DROPPED)] += value
    assert dict(drops) == EXPECTED_DROPS
    assert stats["youm7"].get(f"{DROPPED}http_404") == 1
    assert stats["albayan"].get(f"{DROPPED}duplicate") == 1
    assert stats["elbaladtv"].get(f"{DROPPED}no_article_markup") == 1
    for outlet in OUTLETS:
        assert stats[outlet]["akhbar/articles"] == len(items[outlet])


def test_the_store_holds_every_article(demo_crawl):
    import sqlite3

    folder, _, _, _ = demo_crawl
    for outlet in OUTLETS:
        with sqlite3.connect(folder / f"{outlet}.sqlite3") as db:
            (count,) = db.execute("SELECT COUNT(*) FROM articles WHERE outlet = ?", (outlet,)).fetchone()
        assert count == sum(1 for s in STORIES if s.outlet == outlet)


def test_a_replay_does_not_warn_about_what_it_leaves_out(demo_crawl):
    _, _, stats, logs = demo_crawl
    # youm7 declares nine feeds and its home page links section pages; the demo records one feed.
    assert stats["youm7"]["akhbar/replay/not_recorded"] >= 8
    for outlet in OUTLETS:
        warnings = [line for line in logs[outlet].splitlines() if " WARNING: " in line or " ERROR: " in line]
        assert not [w for w in warnings if "not recorded" in w or "Discovery source failed" in w], warnings
        assert "akhbar/discovery/failed" not in stats[outlet]
        # what it does warn about are the pages dropped on purpose (404, duplicate)
        assert all("Article not fetched (http_404)" in w or "Dropped: duplicate" in w for w in warnings), warnings


def test_a_real_discovery_failure_still_warns(caplog):
    from scrapy.http import Request
    from scrapy.utils.test import get_crawler

    from akhbar.replay import NotRecorded
    from akhbar.spiders.youm7 import Youm7Spider

    crawler = get_crawler(Youm7Spider)
    crawler.spider = spider = Youm7Spider.from_crawler(crawler)

    def failed(error: Exception, url: str) -> None:
        failure = Failure(error)
        failure.request = Request(url)
        spider.discovery_failed(failure)

    with caplog.at_level(logging.DEBUG):
        failed(NotRecorded("not recorded"), "https://www.youm7.com/rss/SectionRss?SectionID=97")
        failed(DNSLookupError("no such host"), "https://www.youm7.com/rss/SectionRss?SectionID=88")
    by_level = {(r.levelname, "SectionID=97" in r.getMessage()) for r in caplog.records if "SectionID" in r.getMessage()}
    assert by_level == {("DEBUG", True), ("WARNING", False)}
    assert crawler.stats.get_value("akhbar/replay/not_recorded") == 1
    assert crawler.stats.get_value("akhbar/discovery/failed") == 1


def test_summary_shows_articles_drops_and_paths(demo_crawl):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from demo_summary import summary
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    folder, _, _, _ = demo_crawl
    text = summary(list(OUTLETS), folder, f"sqlite:///{folder / 'youm7.sqlite3'}", None)
    per_outlet = " · ".join(f"{o} {sum(1 for s in STORIES if s.outlet == o)}" for o in OUTLETS)
    assert f"articles per outlet: {per_outlet}  ({len(STORIES)} in all)" in text
    assert "duplicate 1 (albayan) · http_404 1 (youm7) · no_article_markup 1 (elbaladtv)" in text
    mena = sum(1 for s in STORIES if "MENA" in s.agencies)
    assert f"MENA {mena}" in text
    assert str(folder / "albayan.jsonl") in text and "report:              not available yet" in text


def test_real_pages_join_the_demo_site_when_the_corpus_is_there(tmp_path):
    require_shared()
    manifest = build(tmp_path / "site", CORPUS_DIR)
    corpus_rows = [line.split("\t") for line in manifest.read_text("utf-8").splitlines()
                   if "\tcorpus:" in line]
    assert {row[0].split("/")[2] for row in corpus_rows} >= {"www.youm7.com", "www.albayan.ae", "elbaladtv.net"}
    feeds = "".join((tmp_path / "site" / o / "feed.xml").read_text("utf-8") for o in OUTLETS)
    from xml.sax.saxutils import escape
    for url, *_ in corpus_rows:
        assert escape(url) in feeds, url
