"""CrawlRecord: at the end of every crawl, one row in the store's `crawls` table.

The row holds the spider, when the crawl started and finished, its finish reason (as the other
extensions leave it: ``layout_changed`` when the coverage check judged so) and every stat as
JSON, so drops by reason and fields read through a fallback stay known after the log is gone
(`scrapy report` draws them). Written when the store is enabled (``AKHBAR_STORE_ENABLED``), to
``AKHBAR_DATABASE_URL``. A store that cannot be written is logged as an error: the crawl's items
are already delivered, so it does not change how the crawl ends.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone

from scrapy import signals
from scrapy.exceptions import NotConfigured

from akhbar.storage import DEFAULT_URL, ArticleStore, mask_url

logger = logging.getLogger(__name__)


def _iso(value) -> str | None:
    """A stats time (Scrapy keeps datetimes in UTC) as ISO 8601 text."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.isoformat(timespec="seconds")
    return str(value)


class CrawlRecord:
    def __init__(self, url: str, stats) -> None:
        self.url = url
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("AKHBAR_STORE_ENABLED", True):
            raise NotConfigured("AKHBAR_STORE_ENABLED is off")
        extension = cls(crawler.settings.get("AKHBAR_DATABASE_URL") or DEFAULT_URL, crawler.stats)
        # Connected after the extensions listed before it: the finish reason they set is final.
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider, reason) -> None:
        stats = dict(self.stats.get_stats())
        finish_reason = stats.get("finish_reason") or reason
        stats["finish_reason"] = finish_reason
        finished = _iso(stats.get("finish_time")) or datetime.now(timezone.utc).isoformat(timespec="seconds")
        try:
            with ArticleStore.open(self.url) as store:
                store.record_crawl(spider.name, _iso(stats.get("start_time")), finished, finish_reason, stats)
        except Exception as exc:  # noqa: BLE001 - the crawl is over; say why its record is missing
            logger.error("akhbar store: cannot record the crawl in %s: %s: %s",
                         mask_url(self.url), type(exc).__name__, exc)
