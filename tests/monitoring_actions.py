"""Test helpers for tests/test_monitoring.py, imported by the crawl subprocess (tests/ is on its path).

`RecordNotification` is a Spidermon action that, instead of sending a message, writes what it was
told to the JSON file AKHBAR_TEST_NOTIFICATION_FILE: the spider, the finish reason and the names
of the monitors that failed. `BreakDates` is an item pipeline that removes the UTC offset from the
date of the first BROKEN_DATES items, so that Spidermon's item validation has invalid items to count.
"""

from __future__ import annotations

import json
from pathlib import Path

from spidermon.core.actions import Action

BROKEN_DATES = 5


class RecordNotification(Action):
    def __init__(self, path: str | None = None) -> None:
        super().__init__()
        self.path = path

    @classmethod
    def from_crawler_kwargs(cls, crawler):
        return {"path": crawler.settings.get("AKHBAR_TEST_NOTIFICATION_FILE")}

    def run_action(self):
        record = {
            "spider": self.data.spider.name,
            "finish_reason": self.data.stats.get("finish_reason"),
            "failed": sorted({result.monitor.monitor_name for result in self.result.monitors_failed_results}),
        }
        Path(self.path).write_text(json.dumps(record), encoding="utf-8")


class BreakDates:
    """Item pipeline (tests only): '2025-01-05T16:30:00+02:00' -> '2025-01-05T16:30:00'."""

    def __init__(self) -> None:
        self.broken = 0

    def process_item(self, item, spider=None):
        if self.broken < BROKEN_DATES and item.get("published_at"):
            item["published_at"] = item["published_at"][:19]
            self.broken += 1
        return item
