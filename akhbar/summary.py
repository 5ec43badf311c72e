"""CrawlSummary: one line at the end of every crawl, and the ``nothing_fetched`` finish reason.

The line (INFO, so it is in Scrapyd's job log too)::

    Crawl summary of youm7 (finished): 28 articles; 3 dropped (http_404 1, not_article 1,
    duplicate 1); sources: 9 read, 2 failed; 12 articles already in the store not fetched again
    (-a refresh=1 fetches them)

Sources are the discovery documents (feeds, sitemaps, listing pages) read and failed
(``akhbar/discovery/*``); the last part is there only when the store skipped articles
(``akhbar/skipped/already_stored``), which is why a second ``-O`` export can be empty.

A crawl in which nothing answered, every request having failed (DNS, connection refused,
timeouts, HTTP errors), finishes with reason ``nothing_fetched`` instead of ``finished``: an
ERROR says so when the crawl runs dry, and ``scrapy crawl`` exits with status 1
(akhbar/commands/crawl.py). "Answered" is a response under HTTP 400 to any request but the
robots.txt the politeness middleware reads on its own. A crawl that sent nothing (every article
already stored) did not fail.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import CloseSpider, IgnoreRequest
from scrapy.utils.misc import load_object

from akhbar.incremental import STAT_SKIPPED

logger = logging.getLogger(__name__)

NOTHING_FETCHED = "nothing_fetched"
STAT_ANSWERED = "akhbar/responses/answered"  # responses under HTTP 400 (robots.txt not counted)
STAT_FAILED = "akhbar/responses/failed"  # requests that got an HTTP error or no response at all
DROPPED_PREFIX = "akhbar/dropped/"
EXCEPTION_PREFIX = "downloader/exception_type_count/"
SOURCE_KINDS = ("feeds", "sitemaps", "listings")
FIRST_ERROR_STATUS = 400


def _is_robots_probe(request) -> bool:
    """The robots.txt request RobotsTxtMiddleware makes itself (no callback, not obeying itself)."""
    return bool(request.meta.get("dont_obey_robotstxt")) and request.url.endswith("/robots.txt")


def _is_ignored(exception_name: str) -> bool:
    """Whether a downloader exception stat names an IgnoreRequest (robots.txt forbade it, the store
    had it, a replay left it out): a request not sent, not a failure."""
    try:
        return issubclass(load_object(exception_name), IgnoreRequest)
    except Exception:  # noqa: BLE001 - a name that cannot be loaded is a real exception
        return False


def download_failures(stats: dict) -> int:
    """Requests (attempts) that ended in a download exception, robots.txt probes included."""
    return sum(value for key, value in stats.items()
               if key.startswith(EXCEPTION_PREFIX) and not _is_ignored(key[len(EXCEPTION_PREFIX):]))


def summary_line(spider_name: str, reason: str, stats: dict) -> str:
    """The crawl's one-line summary, from its stats."""
    drops = sorted(((key[len(DROPPED_PREFIX):], value) for key, value in stats.items()
                    if key.startswith(DROPPED_PREFIX) and value), key=lambda pair: (-pair[1], pair[0]))
    dropped = sum(value for _, value in drops)
    parts = [f"{stats.get('akhbar/articles', 0)} articles"]
    parts.append(f"{dropped} dropped" + (f" ({', '.join(f'{r} {n}' for r, n in drops)})" if drops else ""))
    read = sum(stats.get(f"akhbar/discovery/{kind}", 0) for kind in SOURCE_KINDS)
    sources = f"sources: {read} read, {stats.get('akhbar/discovery/failed', 0)} failed"
    if stats.get("akhbar/discovery/unreadable"):
        sources += f", {stats['akhbar/discovery/unreadable']} unreadable"
    parts.append(sources)
    hosts = stats.get("akhbar/robotstxt/failed", 0)
    if hosts:
        parts.append(f"robots.txt not read on {hosts} host{'s' if hosts != 1 else ''}")
    skipped = stats.get(STAT_SKIPPED, 0)
    if skipped:
        parts.append(f"{skipped} articles already in the store not fetched again (-a refresh=1 fetches them)")
    return f"Crawl summary of {spider_name} ({reason}): " + "; ".join(parts)


class CrawlSummary:
    """Extension: counts the answers, closes a crawl that got none, logs the summary line."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.answered = 0
        self.error_responses = 0

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def response_received(self, response, request, spider=None) -> None:
        if _is_robots_probe(request):
            return
        if response.status < FIRST_ERROR_STATUS:
            self.answered += 1
        else:
            self.error_responses += 1

    def failed(self) -> int:
        return self.error_responses + download_failures(self.stats.get_stats())

    def nothing_fetched(self) -> bool:
        return self.answered == 0 and self.failed() > 0

    def spider_idle(self, spider) -> None:
        if self.nothing_fetched():
            logger.error("Nothing fetched: none of the %d requests of %s got an answer (DNS, refused, "
                         "timeouts, HTTP errors: see the warnings above); check the network and the "
                         "outlet's addresses", self.failed(), spider.name, extra={"spider": spider})
            raise CloseSpider(NOTHING_FETCHED)

    def spider_closed(self, spider, reason) -> None:
        stats = self.stats
        stats.set_value(STAT_ANSWERED, self.answered)
        stats.set_value(STAT_FAILED, self.failed())
        if reason == "finished" and self.nothing_fetched():  # closed before the idle judgement
            stats.set_value("finish_reason", NOTHING_FETCHED)
        final_reason = stats.get_value("finish_reason") or reason
        logger.info(summary_line(spider.name, final_reason, stats.get_stats()), extra={"spider": spider})
