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

Cost: one indexed lookup per stored article request (as fetched); a request for a new article
with a percent-encoded URL costs a second one, for the readable form a canonical URL may have.

JobdirCrashRecovery (an extension) makes a crawl killed with ``kill -9`` restartable with the
same ``JOBDIR``. Scrapy saves the scheduler's queue state and flushes ``requests.seen`` only when
a crawl closes; after a hard kill the queue on disk is incomplete while ``requests.seen`` may
already hold requests that were never downloaded, so a plain resume would filter them out and
lose those articles. A marker file in the JOBDIR says a crawl is running; a crawl that finds it
at start knows the previous one did not close, removes the inconsistent queue and
``requests.seen`` (counted as ``akhbar/jobdir/recovered``), and crawls again from the discovery
sources; the store, written one transaction per article, is the record of what was done, and
SkipStoredMiddleware skips it. A crawl that was closed normally (Ctrl-C once) resumes as usual.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from urllib.parse import unquote

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured

from akhbar.storage import DEFAULT_URL, ArticleStore

logger = logging.getLogger(__name__)

STAT_SKIPPED = "akhbar/skipped/already_stored"


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
        self.store: ArticleStore | None = None
        self.active = False

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
        self.store = ArticleStore.open(self.url)  # its own connection; the pipeline has another
        self.active = True

    def spider_closed(self, spider) -> None:
        self.active = False
        if self.store is not None:
            self.store.close()
            self.store = None

    def process_request(self, request, spider=None):
        if not self.active or not is_article_request(request):
            return None
        if any(self.store.has(form) for form in stored_forms(request.url)):
            self.crawler.stats.inc_value(STAT_SKIPPED)
            raise IgnoreRequest(f"already stored: {request.url}")
        return None


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
