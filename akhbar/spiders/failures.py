"""Requests that gave no page: counted under their reason (``akhbar/dropped/<reason>``,
``akhbar/discovery/failed``) and logged; the crawl goes on."""

from __future__ import annotations

from scrapy.exceptions import (CannotResolveHostError, DownloadCancelledError,
                               DownloadConnectionRefusedError, DownloadTimeoutError, IgnoreRequest)
from twisted.internet.defer import CancelledError
from twisted.internet.error import ConnectionRefusedError as TxConnectionRefusedError
from twisted.internet.error import DNSLookupError, TCPTimedOutError
from twisted.internet.error import TimeoutError as TxTimeoutError

from akhbar.replay import NotRecorded


class FailuresMixin:
    """Part of ``NewsSpider``: the errbacks of its discovery and article requests."""

    def discovery_failed(self, failure) -> None:
        if failure.check(NotRecorded):  # an offline replay leaves this source out on purpose
            self.crawler.stats.inc_value("akhbar/replay/not_recorded")
            self.logger.debug("Discovery source not in the replay: %s", failure.request.url)
            return
        # A feed that moved must not stop the crawl: counted, logged, crawl goes on.
        self.crawler.stats.inc_value("akhbar/discovery/failed")
        self.logger.warning("Discovery source failed: %s (%s)", failure.request.url, failure.value)

    def article_failed(self, failure) -> None:
        """An article request that gave no page: counted once under its reason, crawl goes on."""
        reason = failure_reason(failure)
        if reason is None:  # IgnoreRequest: robots.txt, already stored ... counted where raised
            self.logger.debug("Article request ignored: %s (%s)", failure.request.url, failure.value)
            return
        self.crawler.stats.inc_value(f"akhbar/dropped/{reason}")
        self.logger.warning("Article not fetched (%s): %s", reason, failure.request.url)


def failure_reason(failure) -> str | None:
    """The akhbar/dropped/<reason> of a failed request; None for an ignored one (counted where
    it was ignored: robotstxt/forbidden, akhbar/skipped/already_stored ...)."""
    from scrapy.spidermiddlewares.httperror import HttpError

    error = failure.value
    if isinstance(error, HttpError):
        return f"http_{error.response.status}"
    if isinstance(error, IgnoreRequest):
        return None
    if isinstance(error, (DownloadTimeoutError, TxTimeoutError, TCPTimedOutError)):
        return "timeout"
    if isinstance(error, (DownloadCancelledError, CancelledError)):
        return "too_large"  # DOWNLOAD_MAXSIZE (the only cancellation of a running download)
    if isinstance(error, (CannotResolveHostError, DNSLookupError)):
        return "dns_error"
    if isinstance(error, (DownloadConnectionRefusedError, TxConnectionRefusedError)):
        return "connection_refused"
    return "download_error"
