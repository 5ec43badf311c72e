"""Crawl extensions."""

from __future__ import annotations

import json
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured


class StatsFile:
    """Writes the final crawl stats (and the finish reason) as JSON to AKHBAR_STATS_FILE."""

    def __init__(self, path: str, stats) -> None:
        self.path = Path(path)
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        path = crawler.settings.get("AKHBAR_STATS_FILE")
        if not path:
            raise NotConfigured
        extension = cls(path, crawler.stats)
        # Connected late: runs after the core stats (finish_reason, finish_time) are set.
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider, reason):
        stats = dict(self.stats.get_stats())
        stats.setdefault("finish_reason", reason)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(stats, default=str, ensure_ascii=False, indent=1, sort_keys=True),
                             encoding="utf-8")
