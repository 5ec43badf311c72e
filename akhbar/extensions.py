"""Crawl extensions."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from urllib.parse import urlsplit

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


ROBOTS_LOGGER = "scrapy.downloadermiddlewares.robotstxt"
STAT_ROBOTS_FAILED = "akhbar/robotstxt/failed"


class _RobotsErrorToWarning(logging.Filter):
    """Turns Scrapy's ERROR with a traceback for a robots.txt that could not be downloaded into
    one WARNING line, and counts it."""

    def __init__(self, stats) -> None:
        super().__init__()
        self.stats = stats

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.ERROR or not str(record.msg).startswith("Error downloading"):
            return True
        error = record.exc_info[1] if record.exc_info else None
        if error is None and isinstance(record.args, dict):
            error = record.args.get("f_exception")
        error = getattr(error, "value", error)  # a Twisted Failure in older Scrapy versions
        request = record.args.get("request") if isinstance(record.args, dict) else None
        host = urlsplit(getattr(request, "url", "") or "").netloc or "?"
        why = f"{type(error).__name__}: {error}" if error is not None else record.getMessage()
        self.stats.inc_value(STAT_ROBOTS_FAILED)
        record.msg = "robots.txt of %s could not be fetched (%s); crawling on as if it allowed everything"
        record.args = (host, why)
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = record.exc_text = None
        return True


class RobotsTxtErrors:
    """A robots.txt that could not be downloaded (DNS failure, connection refused ...) is one
    WARNING line (``akhbar/robotstxt/failed``), not Scrapy's ERROR with a full traceback: the
    requests of that host fail on their own and are counted where they fail."""

    def __init__(self, stats) -> None:
        self.filter = _RobotsErrorToWarning(stats)

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler.stats)
        logging.getLogger(ROBOTS_LOGGER).addFilter(extension.filter)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider) -> None:
        logging.getLogger(ROBOTS_LOGGER).removeFilter(self.filter)
