"""Progress of long crawls: one line every AKHBAR_PROGRESS_INTERVAL seconds (default 60).

The first line comes one interval after the crawl opened, so a crawl shorter than that prints
none. Logged at INFO by Scrapy's logger (``akhbar.progress``), it is in the console and in
Scrapyd's job log alike. A backfill (``-a since= [-a until=]``)::

    Progress: 3/10 days done, 412 articles stored, 7 dropped, 48.5 pages/min, about 21 min left

any other crawl::

    Progress: 412 articles stored, 7 dropped, 48.5 pages/min, 230 requests pending, about 5 min left

- **days done** (backfill): a day of the range is done once its daily sitemap and every request
  that followed from it (its article pages, their story-to-story links, redirects) have been
  answered: downloaded, failed for good (after the retries), skipped (already stored, robots.txt)
  or dropped as a duplicate. The spider tags the daily sitemap request with its day
  (``akhbar_day``, akhbar/spiders/request_meta.py); ``BackfillDays``, a spider middleware, passes the tag
  on to every request a tagged page leads to, and, as the outermost downloader middleware,
  sees each request's final answer.
- **articles stored**: ``akhbar/articles``, the articles kept by the pipelines (to the store and
  any feed export); **dropped**: the sum of ``akhbar/dropped/*``.
- **pages/min**: responses received since the crawl opened (robots.txt not counted), per minute.
- **time left**: for a backfill, the time the days done took, per day, times the days left
  ("unknown" until the first day is done); otherwise the requests waiting in the scheduler or
  downloading, at the rate so far ("at least" while the start requests are still being read;
  "unknown" when the scheduler cannot say how many it holds).

At the end, ``akhbar/progress/days_done`` and ``akhbar/progress/days`` are in the stats of a
backfill.
"""

from __future__ import annotations

import logging
import time
import weakref
from collections import Counter
from datetime import date, timedelta

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Request

from akhbar.spiders.base import BACKFILL_DAY

logger = logging.getLogger(__name__)

SECONDS_PER_MINUTE = 60.0
SECONDS_PER_HOUR = 3600.0
UNKNOWN = "time left unknown"


class DayLedger:
    """Per day of a backfill: its requests not answered yet."""

    def __init__(self) -> None:
        self.outstanding: Counter[str] = Counter()
        self.seen: set[str] = set()  # days with at least one request scheduled

    def scheduled(self, day: str) -> None:
        self.seen.add(day)
        self.outstanding[day] += 1

    def answered(self, day: str) -> None:
        self.outstanding[day] -= 1

    def days_done(self) -> int:
        return sum(1 for day in self.seen if self.outstanding[day] <= 0)


_LEDGERS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # crawler -> its DayLedger


def ledger_of(crawler) -> DayLedger:
    ledger = _LEDGERS.get(crawler)
    if ledger is None:
        ledger = _LEDGERS[crawler] = DayLedger()
    return ledger


def _day(request) -> str | None:
    return request.meta.get(BACKFILL_DAY) if request is not None else None


def _is_first_attempt(request) -> bool:
    """Not a retry or a redirect of an earlier request: those stand for the one scheduled first,
    whose answer is theirs."""
    return not request.meta.get("retry_times") and not request.meta.get("redirect_times")


def format_duration(seconds: float) -> str:
    if seconds < SECONDS_PER_MINUTE:
        return f"{seconds:.0f} s"
    if seconds < SECONDS_PER_HOUR:
        return f"{seconds / SECONDS_PER_MINUTE:.0f} min"
    hours, rest = divmod(seconds, SECONDS_PER_HOUR)
    return f"{hours:.0f} h {rest / SECONDS_PER_MINUTE:02.0f} min"


class BackfillDays:
    """Spider middleware (outermost): a request inherits the backfill day of the page it was
    found on, and a page counts as answered for its day once the callback's requests are all
    scheduled. Downloader middleware (outermost): a request that got no response (failed for good,
    or ignored: already stored, robots.txt) counts as answered; its errback schedules nothing."""

    def __init__(self, crawler) -> None:
        self.ledger = ledger_of(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    # --- spider middleware ---------------------------------------------------------------
    # Counted when the output is exhausted, not when the response arrives: a sitemap answered
    # but not yet read would make its day look done before its articles are even scheduled.
    def process_spider_output(self, response, result, spider=None):
        day = _day(response.request) if response is not None else None
        try:
            for output in result:
                if day and isinstance(output, Request):
                    output.meta.setdefault(BACKFILL_DAY, day)
                yield output
        finally:
            if day:
                self.ledger.answered(day)

    async def process_spider_output_async(self, response, result, spider=None):
        day = _day(response.request) if response is not None else None
        try:
            async for output in result:
                if day and isinstance(output, Request):
                    output.meta.setdefault(BACKFILL_DAY, day)
                yield output
        finally:
            if day:
                self.ledger.answered(day)

    # --- downloader middleware -----------------------------------------------------------
    def process_exception(self, request, exception, spider=None):
        day = _day(request)
        if day:
            self.ledger.answered(day)
        return None


class ProgressLog:
    """Extension: the progress line, every AKHBAR_PROGRESS_INTERVAL seconds (0: never)."""

    def __init__(self, crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.ledger = ledger_of(crawler)
        self.responses = 0
        self.opened_at = time.monotonic()
        self.days = 0  # days of the backfill's range; 0: not a backfill
        self.task = None

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("AKHBAR_PROGRESS_INTERVAL", 60.0)
        if interval <= 0:
            raise NotConfigured("AKHBAR_PROGRESS_INTERVAL is 0")
        extension = cls(crawler, interval)
        for handler, signal in ((extension.spider_opened, signals.spider_opened),
                                (extension.spider_closed, signals.spider_closed),
                                (extension.request_scheduled, signals.request_scheduled),
                                (extension.request_dropped, signals.request_dropped),
                                (extension.response_received, signals.response_received)):
            crawler.signals.connect(handler, signal=signal)
        return extension

    def spider_opened(self, spider) -> None:
        self.opened_at = time.monotonic()
        since = getattr(spider, "since", None)
        if isinstance(since, date):
            until = getattr(spider, "until", None) or date.today()
            self.days = max((until - since) // timedelta(days=1) + 1, 0)
        self.task = _looping_call(self.log)
        self.task.start(self.interval, now=False)

    def spider_closed(self, spider) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        if self.days:
            self.crawler.stats.set_value("akhbar/progress/days", self.days)
            self.crawler.stats.set_value("akhbar/progress/days_done", self.ledger.days_done())

    def request_scheduled(self, request, spider=None) -> None:
        day = _day(request)
        if day and _is_first_attempt(request):
            self.ledger.scheduled(day)

    def request_dropped(self, request, spider=None) -> None:
        day = _day(request)
        if day and _is_first_attempt(request):
            self.ledger.answered(day)

    def response_received(self, response, request, spider=None) -> None:
        if not (request.meta.get("dont_obey_robotstxt") and request.url.endswith("/robots.txt")):
            self.responses += 1

    # --- the line ------------------------------------------------------------------------
    def log(self) -> None:
        logger.info(self.line(), extra={"spider": self.crawler.spider})

    def line(self) -> str:
        stats = self.crawler.stats.get_stats()
        elapsed = max(time.monotonic() - self.opened_at, 1e-9)
        rate = self.responses / elapsed * SECONDS_PER_MINUTE
        dropped = sum(v for k, v in stats.items() if k.startswith("akhbar/dropped/"))
        parts = []
        if self.days:
            done = min(self.ledger.days_done(), self.days)
            parts.append(f"{done}/{self.days} days done")
        parts += [f"{stats.get('akhbar/articles', 0)} articles stored", f"{dropped} dropped",
                  f"{rate:.1f} pages/min"]
        if self.days:
            parts.append(self.backfill_time_left(done, elapsed))
        else:
            pending, complete = self.pending()
            if pending is None:
                parts.append(UNKNOWN)
            else:
                parts.append(f"{pending} requests pending")
                parts.append(self.time_left_by_rate(pending, rate, complete))
        return "Progress: " + ", ".join(parts)

    def backfill_time_left(self, done: int, elapsed: float) -> str:
        if done == 0:
            return UNKNOWN
        return f"about {format_duration(elapsed / done * (self.days - done))} left"

    @staticmethod
    def time_left_by_rate(pending: int, rate: float, complete: bool) -> str:
        if rate <= 0:
            return UNKNOWN
        estimate = f"{format_duration(pending / rate * SECONDS_PER_MINUTE)} left"
        return f"about {estimate}" if complete else f"at least {estimate}"

    def pending(self) -> tuple[int | None, bool]:
        """(requests queued in the scheduler plus those downloading, whether all start requests
        have been read); (None, False) when the scheduler cannot say."""
        engine = self.crawler.engine
        slot = getattr(engine, "_slot", None) or getattr(engine, "slot", None)
        scheduler = getattr(slot, "scheduler", None)
        try:
            queued = len(scheduler)
        except TypeError:  # a scheduler without __len__
            return None, False
        downloading = len(getattr(getattr(engine, "downloader", None), "active", ()) or ())
        # Start requests still being read: engine._start (Scrapy >= 2.13), slot.start_requests before.
        unread = getattr(engine, "_start", None) or getattr(slot, "start_requests", None)
        return queued + downloading, unread is None


def _looping_call(function):
    """Scrapy's looping call on the event loop it runs (asyncio or Twisted's reactor)."""
    try:
        from scrapy.utils.asyncio import create_looping_call  # Scrapy >= 2.14
    except ImportError:
        from twisted.internet.task import LoopingCall
        return LoopingCall(function)
    return create_looping_call(function)
