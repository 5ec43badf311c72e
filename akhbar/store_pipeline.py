"""StorePipeline: every item that passed the pipelines before it is also written to a database.

Settings: `AKHBAR_DATABASE_URL` (default `sqlite:///output/akhbar.sqlite3`, relative to the
crawl's working directory; `postgresql://user:password@host:port/db` for PostgreSQL) and
`AKHBAR_STORE_ENABLED` (default True). Stats: `akhbar/store/inserted`, `akhbar/store/updated`,
`akhbar/store/failed`. An item that cannot be stored is logged and counted, and still goes on to
the feeds: one bad item never stops the crawl. A database that cannot be opened does stop it,
at the start, with the reason (and the URL with its password masked).
"""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter
from scrapy.exceptions import NotConfigured

from akhbar.storage import DEFAULT_URL, ArticleStore, mask_url

logger = logging.getLogger(__name__)


class StorePipeline:
    def __init__(self, url: str, stats) -> None:
        self.url = url
        self.stats = stats
        self.store: ArticleStore | None = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("AKHBAR_STORE_ENABLED", True):
            raise NotConfigured("AKHBAR_STORE_ENABLED is off")
        return cls(crawler.settings.get("AKHBAR_DATABASE_URL") or DEFAULT_URL, crawler.stats)

    def open_spider(self, spider=None) -> None:
        self.store = ArticleStore.open(self.url)

    def close_spider(self, spider=None) -> None:
        if self.store is not None:
            count = self.store.count()
            self.store.close()
            self.store = None
            logger.info("akhbar store: %d articles in %s", count, mask_url(self.url))

    def process_item(self, item, spider=None):
        if self.store is None:  # used without open_spider (e.g. a test): open lazily
            self.open_spider()
        adapter = ItemAdapter(item)
        try:
            inserted = self.store.upsert(adapter.asdict())
        except Exception as exc:  # noqa: BLE001 - one item must never stop the crawl
            self.stats.inc_value("akhbar/store/failed")
            logger.error("akhbar store: cannot store %s: %s: %s",
                         adapter.get("url"), type(exc).__name__, exc)
        else:
            self.stats.inc_value("akhbar/store/inserted" if inserted else "akhbar/store/updated")
        return item
