"""Incremental crawling: articles already in the store are not downloaded again.

SkipStoredMiddleware (a downloader middleware, before the replay and every built-in one) drops a
request for an article page (callback ``parse_article``) whose URL is already stored, as fetched
URL or canonical URL (``ArticleStore.has``), and counts it as ``akhbar/skipped/already_stored``.
Feeds, sitemaps and listing pages are always fetched: they are how new articles are found.
``-a refresh=1`` (a spider argument of every outlet) turns the skipping off: stored articles are
downloaded again and their rows updated.

Why a downloader middleware and not a spider middleware: it looks at a request at the last
moment, just before the download, whatever produced it — the spider's callbacks, ``start()``,
a JOBDIR queue resumed from disk, or a shared Redis queue fed by other workers
(akhbar/frontier.py). An article stored after its request was queued (by this crawl under
another URL, by a run that was killed, by another worker) is still skipped. A spider middleware
would only see the requests this process yields, at the moment it yields them.

Cost: one indexed query per article request at most (the URL as fetched and, when it is
percent-encoded, the readable form a canonical URL may have), made off the reactor thread:
``AKHBAR_STORE_LOOKUP_THREADS`` threads (akhbar/store_writer.py ``StoreLookups``), each with its
own connection, answer them while the crawl goes on, the requests waiting at that moment in one
query (``ArticleStore.stored_among``); a request waits for its answer, nothing else does. The query goes to the store every time, not to a list loaded at the start:
another worker may store an article during the crawl. A lookup that fails (the database is away)
is logged and counted (``akhbar/store/lookup_failed``) and the article is downloaded: storing it
again is an update, never a loss.

JobdirCrashRecovery (an extension) makes a crawl killed with ``kill -9`` restartable with the
same ``JOBDIR``. Scrapy saves the scheduler's queue state and flushes ``requests.seen`` only when
a crawl closes; after a hard kill the queue on disk is incomplete while ``requests.seen`` may
already hold requests that were never downloaded, so a plain resume would filter them out and
lose those articles. A marker file in the JOBDIR says a crawl is running; a crawl that finds it
at start knows the previous one did not close, removes the inconsistent queue and
``requests.seen`` (counted as ``akhbar/jobdir/recovered``), and crawls again from the discovery
sources; the store is the record of what was done, and SkipStoredMiddleware skips it. Articles
the killed crawl had scraped but not yet committed (its last batch, akhbar/store_pipeline.py)
are not in the store, so they are downloaded again. A crawl that was closed normally (Ctrl-C once) resumes as usual.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from pathlib import Path
from urllib.parse import unquote

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured

from akhbar.storage import DEFAULT_URL, mask_url
from akhbar.store_writer import StoreLookups

logger = logging.getLogger(__name__)

STAT_SKIPPED = "akhbar/skipped/already_stored"
STAT_LOOKUP_FAILED = "akhbar/store/lookup_failed"
DEFAULT_LOOKUP_THREADS = 4


def stored_forms(url: str) -> list[str]:
    """The forms an article URL may be stored under: as requested (percent-encoded) and readable."""
    forms = [url]  # the store's `url` column holds the URL as fetched: usually one lookup
    readable = unquote(url)
    if readable != url:
        forms.append(readable)  # a canonical URL is kept as the page writes it, often readable
    return forms


def is_article_request(request) -> bool:
    return getattr(request.callback, "__name__", None) == "parse_article"


class SkipStoredMiddleware:
    """Downloader middleware: drop article requests whose URL is already stored."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.url = crawler.settings.get("AKHBAR_DATABASE_URL") or DEFAULT_URL
        self.threads = crawler.settings.getint("AKHBAR_STORE_LOOKUP_THREADS", DEFAULT_LOOKUP_THREADS)
        self.lookups: StoreLookups | None = None
        self.active = False
        self._failure_logged = False

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("AKHBAR_STORE_ENABLED", True):
            raise NotConfigured("AKHBAR_STORE_ENABLED is off: nothing to compare with")
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self, spider) -> None:
        if getattr(spider, "refresh", False):
            logger.info("refresh: stored articles are downloaded again")
            return
        # Their own connections (opened on first use); the pipeline's writer has another.
        self.lookups = StoreLookups(self.url, self.threads)
        self.lookups.start()
        self.active = True

    def spider_closed(self, spider) -> None:
        self.active = False
        if self.lookups is not None:
            # Not joined: a thread ends after the lookup it may be making (one round-trip).
            self.lookups.close(wait=False)
            self.lookups = None

    async def process_request(self, request, spider=None):
        if not self.active or not is_article_request(request):
            return None
        if await self.is_stored(stored_forms(request.url)):
            self.crawler.stats.inc_value(STAT_SKIPPED)
            raise IgnoreRequest(f"already stored: {request.url}")
        return None

    async def is_stored(self, urls: list[str]) -> bool:
        loop = asyncio.get_running_loop()
        answer: asyncio.Future = loop.create_future()
        self.lookups.ask(urls, lambda result: loop.call_soon_threadsafe(_settle, answer, result))
        result = await answer
        if isinstance(result, BaseException):
            self.crawler.stats.inc_value(STAT_LOOKUP_FAILED)
            if not self._failure_logged:  # once per crawl: the count says how many followed
                self._failure_logged = True
                logger.error("akhbar store: cannot look up stored articles in %s (%s: %s); "
                             "articles are downloaded and stored again", mask_url(self.url),
                             type(result).__name__, result)
            return False
        return result


def _settle(future: asyncio.Future, result) -> None:
    if not future.done():  # the request may have been cancelled meanwhile
        future.set_result(result)


class JobdirCrashRecovery:
    """Extension: after a crawl killed without closing, restart a JOBDIR from a clean frontier."""

    MARKER = "akhbar-crawl-running"

    def __init__(self, jobdir: Path, stats) -> None:
        self.jobdir = jobdir
        self.marker = jobdir / self.MARKER
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        jobdir = crawler.settings.get("JOBDIR")
        if not jobdir:
            raise NotConfigured
        extension = cls(Path(jobdir), crawler.stats)
        # Built before the scheduler reads the JOBDIR: the clean-up happens first.
        extension.recover()
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def recover(self) -> None:
        if not self.marker.exists():
            return
        logger.warning("JOBDIR %s: the previous crawl did not close (killed?); its request queue "
                       "and requests.seen are discarded and discovery starts again (stored "
                       "articles are skipped)", self.jobdir)
        shutil.rmtree(self.jobdir / "requests.queue", ignore_errors=True)
        (self.jobdir / "requests.seen").unlink(missing_ok=True)
        self.stats.inc_value("akhbar/jobdir/recovered")

    def spider_opened(self, spider) -> None:
        self.jobdir.mkdir(parents=True, exist_ok=True)
        self.marker.write_text("a crawl is running with this JOBDIR\n", encoding="utf-8")

    def spider_closed(self, spider, reason) -> None:
        # The scheduler and the dupefilter have written their state by now.
        self.marker.unlink(missing_ok=True)
