"""The progress line (akhbar/progress.py), on slowed replayed crawls, checked against the crawl's log.

A backfill over a replay of daily sitemaps (our own Youm7-layout page, dated over four days; one
listed page is a 404) and a feed crawl run with AKHBAR_PROGRESS_INTERVAL=0.2 and every request
slowed down, the log at DEBUG with milliseconds. Each progress line's figures are recomputed
from the log lines before it: the pages Scrapy logged as crawled, the items it logged as scraped.
"""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from w3lib.url import safe_url_string

from generated_replay import (FEED_URL, OWN_HEADLINE, OWN_PAGE, OWN_URL, crawl_command, crawl_env, slow_args,
                              write_replay)

INTERVAL = 0.2
SLOW = 0.08  # seconds per request: a crawl of ~20 requests lasts a couple of seconds
FIRST_DAY = date(2025, 1, 5)
DAYS = 4
PER_DAY = 3
MISSING_DAY, MISSING_INDEX = 1, 2  # this listed page answers 404
LOG_FORMAT = "%(asctime)s.%(msecs)03d [%(name)s] %(levelname)s: %(message)s"
LINE = re.compile(r"^(\S+ \S+) \[akhbar\.progress\] INFO: Progress: (.*)$", re.M)
LOGGED = re.compile(r"^(\S+ \S+) \[([^\]]+)\] (\w+): (.*)$")


def day_of(index: int) -> date:
    return FIRST_DAY + timedelta(days=index)


def sitemap_url(day: date) -> str:
    return f"https://www.youm7.com/Sitemap/{day.year}/{day.month}/{day.day}"


def article_url(day: date, i: int) -> str:
    return f"https://www.youm7.com/story/{day.year}/{day.month}/{day.day}/خبر-اليوم-رقم-{i}/{9200000 + day.day * 10 + i}"


def write_backfill_replay(folder: Path) -> tuple[Path, dict[date, list[str]]]:
    """A replay of DAYS daily sitemaps, each listing PER_DAY article pages of that day (our own
    page, its URL, headline and date changed), one of them recorded as a 404."""
    template = OWN_PAGE.read_text(encoding="utf-8")
    assert OWN_URL in template and OWN_HEADLINE in template and "2025-01-05" in template
    (folder / "pages").mkdir(parents=True, exist_ok=True)
    (folder / "gone.html").write_text("<html><body>not found</body></html>", encoding="utf-8")
    rows = ["url\tsource\tstatus\tcontent_type"]
    by_day: dict[date, list[str]] = {}
    for d in range(DAYS):
        day = day_of(d)
        urls = [article_url(day, i) for i in range(PER_DAY)]
        by_day[day] = urls
        for i, url in enumerate(urls):
            if (d, i) == (MISSING_DAY, MISSING_INDEX):
                rows.append(f"{url}\tgone.html\t404\ttext/html; charset=utf-8")
                continue
            html = (template.replace(OWN_URL, url).replace(OWN_HEADLINE, f"{OWN_HEADLINE} {d}-{i}")
                    .replace("2025-01-05", day.isoformat()))
            name = f"pages/{d}-{i}.html"
            (folder / name).write_text(html, encoding="utf-8")
            rows.append(f"{url}\t{name}\t200\ttext/html; charset=utf-8")
        entries = "".join(f"<url><loc>{escape(u)}</loc></url>" for u in urls)
        (folder / f"sitemap-{d}.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/'
            f'sitemap/0.9">{entries}</urlset>\n', encoding="utf-8")
        rows.append(f"{sitemap_url(day)}\tsitemap-{d}.xml\t200\tapplication/xml")
    manifest = folder / "replay.tsv"
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return manifest, by_day


def run(tmp_path: Path, manifest: Path, *args: str) -> tuple[str, dict]:
    stats = tmp_path / "stats.json"
    command = crawl_command(manifest, f"sqlite:///{tmp_path / 'store.sqlite3'}", stats,
                            *slow_args(SLOW), "-s", f"AKHBAR_PROGRESS_INTERVAL={INTERVAL}",
                            "-s", "LOG_LEVEL=DEBUG", "-s", f"LOG_FORMAT={LOG_FORMAT}",
                            "-s", "AKHBAR_COVERAGE_ENABLED=False", *args)
    result = subprocess.run(command, cwd=tmp_path, env=crawl_env(SCRAPY_SETTINGS_MODULE="akhbar.settings"),
                            capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stderr, json.loads(stats.read_text(encoding="utf-8"))


def when(stamp: str) -> datetime:
    return datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S.%f")


def events(log: str) -> list[tuple[datetime, str, str]]:
    """(time, logger, message) of each log record's first line."""
    out = []
    for line in log.splitlines():
        match = LOGGED.match(line)
        if match:
            out.append((when(match.group(1)), match.group(2), match.group(4)))
    return out


def crawled_urls(before: list[tuple[datetime, str, str]]) -> list[tuple[int, str]]:
    """(status, URL) of every page Scrapy logged as crawled."""
    found = []
    for _, name, message in before:
        match = re.match(r"Crawled \((\d+)\) <GET ([^>]+)>", message)
        if name == "scrapy.core.engine" and match:
            found.append((int(match.group(1)), match.group(2)))  # as Scrapy logs it: percent-encoded
    return found


def scraped(before) -> int:
    return sum(1 for _, name, message in before if name == "scrapy.core.scraper" and message.startswith("Scraped from"))


def progress_lines(log: str) -> list[tuple[datetime, str, list]]:
    """(time, line, the log records before it)."""
    records = events(log)
    out = []
    for index, (stamp, name, message) in enumerate(records):
        if name == "akhbar.progress" and message.startswith("Progress: "):
            out.append((stamp, message[len("Progress: "):], records[:index]))
    return out


def opened_at(log: str) -> datetime:
    return next(stamp for stamp, name, message in events(log) if message == "Spider opened")


def clock_start(log: str, lines) -> datetime:
    """When the extension started its clock, as the lines' pages/min imply it: pages crawled so
    far (logged before the line) per minute since then. Every line must imply the same moment,
    between "Spider opened" and one interval before the first line."""
    implied = []
    for stamp, line, before in lines:
        rate = float(re.search(r"([\d.]+) pages/min", line).group(1))
        pages = len(crawled_urls(before))
        assert (rate == 0) == (pages == 0), line
        if pages >= 3:  # enough for the rounding of the rate to stay within milliseconds
            implied.append(stamp - timedelta(seconds=pages / rate * 60))
    assert len(implied) >= 2
    assert (max(implied) - min(implied)).total_seconds() <= 0.05, implied
    start = min(implied)
    assert opened_at(log) - timedelta(seconds=0.05) <= start <= lines[0][0] - timedelta(seconds=INTERVAL * 0.9)
    return start


def seconds_left(text: str) -> float | None:
    match = re.search(r"(?:about|at least) (\d+) s left", text)
    return float(match.group(1)) if match else None


def check_common(line: str, before, start: datetime, stamp: datetime) -> dict:
    """The figures every line has: articles stored, dropped, pages/min, against the log."""
    figures = {}
    articles = int(re.search(r"(\d+) articles stored", line).group(1))
    done_items = scraped(before)
    # An item counted by the pipelines is logged as scraped once the store took it: one request
    # at a time, so at most one is between the two.
    assert done_items <= articles <= done_items + 1, (line, done_items)
    dropped = int(re.search(r"(\d+) dropped", line).group(1))
    # The spider counts a drop and logs it in one go (a page crawled is read a moment later).
    assert dropped == sum(1 for _, name, message in before if message.startswith("Article not fetched (")), line
    figures.update(articles=articles, dropped=dropped, elapsed=(stamp - start).total_seconds())
    return figures


def test_a_backfill_logs_days_done_and_the_time_left(tmp_path):
    manifest, by_day = write_backfill_replay(tmp_path / "replay")
    last = day_of(DAYS - 1)
    log, stats = run(tmp_path, manifest, "-a", f"since={FIRST_DAY}", "-a", f"until={last}")
    lines = progress_lines(log)
    assert len(lines) >= 3, [text for _, text, _ in lines]  # the crawl takes 16 x SLOW at least
    assert (lines[0][0] - opened_at(log)).total_seconds() >= INTERVAL  # the first after one interval
    start = clock_start(log, lines)
    def days_crawled(before) -> int:
        """Days whose sitemap and every listed page were crawled before these log records."""
        crawled = {url for _, url in crawled_urls(before)}
        return sum(1 for day, urls in by_day.items()
                   if sitemap_url(day) in crawled and all(safe_url_string(u) in crawled for u in urls))

    previous_done, previous_before = 0, []
    for stamp, line, before in lines:
        match = re.match(r"(\d+)/(\d+) days done, ", line)
        assert match, line
        done, days = int(match.group(1)), int(match.group(2))
        assert days == DAYS
        # Done: every page crawled, and the last one read (its requests scheduled), which takes a
        # moment after it is logged as crawled; an interval earlier it surely was.
        assert days_crawled(previous_before) <= done <= days_crawled(before), line
        assert done >= previous_done
        previous_done, previous_before = done, before
        figures = check_common(line, before, start, stamp)
        left = seconds_left(line)
        if done == 0:
            assert line.endswith("time left unknown"), line
        else:
            expected = figures["elapsed"] / done * (DAYS - done)
            assert left is not None and abs(left - expected) <= 1 + 0.15 * expected, (line, expected)
    assert previous_done >= 1  # the lines saw days finish
    assert stats["akhbar/progress/days"] == DAYS and stats["akhbar/progress/days_done"] == DAYS
    assert stats["akhbar/articles"] == DAYS * PER_DAY - 1
    assert stats["akhbar/dropped/http_404"] == 1


def record_every_source(manifest: Path) -> int:
    """Record the spider's other feeds and listing pages as empty documents, so that every request
    of the crawl is answered and logged; the number of discovery requests."""
    from akhbar.spiders.youm7 import Youm7Spider

    empty = manifest.parent / "empty.xml"
    empty.write_text('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel></channel></rss>\n',
                     encoding="utf-8")
    sources = [*Youm7Spider.feeds, *Youm7Spider.sitemaps, *Youm7Spider.listing_pages]
    recorded = manifest.read_text(encoding="utf-8")
    rows = [f"{url}\tempty.xml\t200\tapplication/rss+xml" for url in sources if f"{url}\t" not in recorded]
    manifest.write_text(recorded + "\n".join(rows) + "\n", encoding="utf-8")
    return len(sources)


def test_a_crawl_without_a_range_estimates_from_the_pending_requests(tmp_path):
    count = 20
    manifest, urls = write_replay(tmp_path / "replay", count)
    requests = count + record_every_source(manifest)
    log, stats = run(tmp_path, manifest)
    lines = progress_lines(log)
    assert len(lines) >= 4, [text for _, text, _ in lines]  # the crawl takes 30 x SLOW at least
    start = clock_start(log, lines)
    previous_before: list = []
    exact = 0
    for stamp, line, before in lines:
        assert "days done" not in line
        check_common(line, before, start, stamp)
        pending = int(re.search(r"(\d+) requests pending", line).group(1))
        crawled = len(crawled_urls(before))
        rate = float(re.search(r"([\d.]+) pages/min", line).group(1))
        if rate == 0:
            assert line.endswith("time left unknown"), line
        # Requests not crawled yet are in the scheduler or downloading, but those of a start
        # request not read yet, or of the feed while it is being read (a moment after it is logged
        # as crawled: an interval earlier it surely was read).
        assert pending <= requests - crawled, (line, crawled)
        feed_read = any(url == FEED_URL for _, url in crawled_urls(previous_before))
        if "about" in line and feed_read:  # every start request read, and the feed
            assert pending == requests - crawled, (line, crawled)
            exact += 1
        previous_before = before
        if rate:
            assert abs(seconds_left(line) - pending / rate * 60) <= 1, line
    assert exact >= 1
    assert stats["akhbar/articles"] == count
    assert stats["downloader/response_count"] == requests
    assert "akhbar/progress/days" not in stats


def test_no_line_before_the_first_interval(tmp_path):
    """A crawl shorter than the interval prints none (the default interval is a minute)."""
    manifest, _ = write_replay(tmp_path / "replay", 2)
    stats = tmp_path / "stats.json"
    result = subprocess.run(crawl_command(manifest, f"sqlite:///{tmp_path / 's.sqlite3'}", stats,
                                          "-s", "AKHBAR_COVERAGE_ENABLED=False"),
                            cwd=tmp_path, env=crawl_env(SCRAPY_SETTINGS_MODULE="akhbar.settings"),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Progress: " not in result.stderr
    assert "Crawl summary of youm7 (finished): 2 articles" in result.stderr
