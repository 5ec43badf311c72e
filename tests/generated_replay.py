"""Test helpers: a replay of many youm7 article pages made from our own page, and crawl runners.

`write_replay(folder, n)` writes n article pages (our own Youm7-layout page with its URL,
canonical URL and headline varied), an RSS feed listing them all at the spider's first feed URL,
and a manifest; it returns the manifest and the article URLs. `SlowDownload` is a downloader
middleware for these tests: a replayed page is answered at once, so a crawl is slowed down with
it (AKHBAR_TEST_SLOW_DOWNLOAD seconds per request, CONCURRENT_REQUESTS=1) to be killed midway
or shared between workers.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from xml.sax.saxutils import escape

TESTS_DIR = Path(__file__).resolve().parent
ROOT = TESTS_DIR.parent
OWN_PAGE = TESTS_DIR / "pages" / "www.youm7.com" / "2025-01-05-own-layout.html"
OWN_URL = "https://www.youm7.com/story/2025/1/5/افتتاح-مكتبة-عامة-جديدة-فى-حى-الزيتون/9000001"
OWN_HEADLINE = "افتتاح مكتبة عامة جديدة فى حى الزيتون"
FEED_URL = "https://www.youm7.com/rss/SectionRss?SectionID=65"
SCRAPY = [sys.executable, "-m", "scrapy"]


def article_url(i: int) -> str:
    return f"https://www.youm7.com/story/2025/1/5/افتتاح-مكتبة-عامة-رقم-{i}/{9100000 + i}"


def headline(i: int) -> str:
    return f"{OWN_HEADLINE} رقم {i}"


def write_replay(folder: Path, n: int) -> tuple[Path, list[str]]:
    template = OWN_PAGE.read_text(encoding="utf-8")
    assert OWN_URL in template and OWN_HEADLINE in template
    pages = folder / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    rows = ["url\tsource\tstatus\tcontent_type"]
    urls = []
    for i in range(n):
        url = article_url(i)
        html = template.replace(OWN_URL, url).replace(OWN_HEADLINE, headline(i))
        (pages / f"{i}.html").write_text(html, encoding="utf-8")
        rows.append(f"{url}\tpages/{i}.html\t200\ttext/html; charset=utf-8")
        urls.append(url)
    items = "\n".join(f"<item><title>{escape(headline(i))}</title><link>{escape(u)}</link></item>"
                      for i, u in enumerate(urls))
    (folder / "feed.xml").write_text(
        f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>youm7</title>\n{items}\n</channel></rss>\n", encoding="utf-8")
    rows.append(f"{FEED_URL}\tfeed.xml\t200\tapplication/rss+xml; charset=utf-8")
    manifest = folder / "replay.tsv"
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return manifest, urls


def crawl_command(manifest: Path, database_url: str, stats: Path, *args: str) -> list[str]:
    """`scrapy crawl youm7` over the replay, into the database, no story-to-story hops."""
    return [*SCRAPY, "crawl", "youm7", "-a", "follow=0",
            "-s", f"AKHBAR_REPLAY={manifest}", "-s", f"AKHBAR_DATABASE_URL={database_url}",
            "-s", f"AKHBAR_STATS_FILE={stats}", "-s", "ROBOTSTXT_OBEY=False",
            "-s", "AUTOTHROTTLE_ENABLED=False", *args]


def slow_args(seconds: float) -> list[str]:
    """One request at a time, each delayed. (akhbar's add-on merges its middlewares into the
    DOWNLOADER_MIDDLEWARES given with -s, so only the test's own is named.)"""
    middlewares = {"generated_replay.SlowDownload": 10}
    return ["-s", "CONCURRENT_REQUESTS=1",
            "-s", f"DOWNLOADER_MIDDLEWARES={json.dumps(middlewares)}",
            "-s", f"AKHBAR_TEST_SLOW_DOWNLOAD={seconds}"]


def crawl_env(**extra: str) -> dict[str, str]:
    """The environment of a crawl subprocess: this folder importable (SlowDownload), no
    AKHBAR_DATABASE_URL / AKHBAR_REDIS_URL / AKHBAR_REPLAY from the caller."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("AKHBAR_DATABASE_URL", "AKHBAR_REDIS_URL", "AKHBAR_REPLAY")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TESTS_DIR), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


class SlowDownload:
    """Downloader middleware (tests only): waits before each request goes on."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getfloat("AKHBAR_TEST_SLOW_DOWNLOAD", 0.0))

    async def process_request(self, request, spider=None):
        if self.seconds > 0:
            await asyncio.sleep(self.seconds)
        return None
