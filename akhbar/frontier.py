"""A shared crawl frontier in Redis (scrapy-redis): N workers, on one or many machines, one queue.

With ``AKHBAR_REDIS_URL`` set (env or ``-s``), the add-on RedisFrontier switches the crawl to
scrapy-redis: the scheduler's queue and the duplicate filter live in Redis under
``<AKHBAR_REDIS_KEY_PREFIX>:<spider>:requests`` and ``...:dupefilter``, so every worker running
the same spider with the same URL and prefix pulls from one queue and each URL is fetched once.
Unset (the default), nothing changes. The switch is an add-on (``ADDONS``) because add-ons read
the settings after ``-s`` and the spider's settings are applied, so ``-s AKHBAR_REDIS_URL=...``
and Scrapyd's ``setting=AKHBAR_REDIS_URL=...`` work as well as the environment variable.

Pitfalls this module avoids:

- ``SCHEDULER_PERSIST`` is True: with False, the first worker to finish deletes the shared queue
  and the duplicate filter while the others still crawl. The price: the frontier outlives the
  crawl, and a later crawl would find every feed already "seen". Reset it between crawls, once
  every worker has exited: ``scrapy frontier <spider> --reset`` (akhbar/commands/frontier.py).
  Articles crawled before are still not downloaded again: the store says so
  (akhbar/incremental.py), not the duplicate filter.
- Discovery requests from ``start()`` are ordinary filtered requests, so the feeds are read by
  one worker, not by every worker (the spiders do not read start URLs from Redis, whose requests
  would bypass the duplicate filter).
- A worker whose local view is idle does not stop while others may still add requests:
  SharedFrontierIdle keeps it open until no worker has received a response for
  ``AKHBAR_REDIS_IDLE_CLOSE`` seconds (activity is shared through a Redis key, timed by the
  Redis server's clock) and the shared queue is empty, then lets it finish. A worker always
  consumes what it produced itself, so no request is left behind by a worker that closed early.
"""

from __future__ import annotations

import logging
import time

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured

logger = logging.getLogger(__name__)

SCHEDULER = "scrapy_redis.scheduler.Scheduler"
DUPEFILTER = "scrapy_redis.dupefilter.RFPDupeFilter"
IDLE_EXTENSION = "akhbar.frontier.SharedFrontierIdle"


def frontier_keys(prefix: str, spider: str) -> dict[str, str]:
    """The Redis keys of a spider's shared frontier."""
    base = f"{prefix}:{spider}"
    return {"requests": f"{base}:requests", "dupefilter": f"{base}:dupefilter",
            "active": f"{base}:active"}


class RedisFrontier:
    """Add-on: scrapy-redis scheduler and duplicate filter when AKHBAR_REDIS_URL is set."""

    @classmethod
    def from_crawler(cls, crawler):
        return cls()

    def update_settings(self, settings) -> None:
        url = settings.get("AKHBAR_REDIS_URL")
        if not url:
            return
        prefix = settings.get("AKHBAR_REDIS_KEY_PREFIX") or "akhbar"
        # "addon" priority: below -s and the spider's own settings, so a run can still override.
        for name, value in {
            "REDIS_URL": url,
            "SCHEDULER": SCHEDULER,
            "DUPEFILTER_CLASS": DUPEFILTER,
            "SCHEDULER_PERSIST": True,
            "SCHEDULER_QUEUE_KEY": f"{prefix}:%(spider)s:requests",
            "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:%(spider)s:dupefilter",
        }.items():
            settings.set(name, value, priority="addon")
        settings["EXTENSIONS"].set(IDLE_EXTENSION, 510, priority="addon")
        if not settings.getbool("SCHEDULER_PERSIST"):
            logger.warning("SCHEDULER_PERSIST is off: the first worker to finish will delete the "
                           "shared queue of the others")


class SharedFrontierIdle:
    """Extension: a worker closes once the whole frontier has been quiet for a while."""

    def __init__(self, crawler, server, timeout: float) -> None:
        self.crawler = crawler
        self.server = server
        self.timeout = timeout
        prefix = crawler.settings.get("AKHBAR_REDIS_KEY_PREFIX") or "akhbar"
        self.key = frontier_keys(prefix, crawler.spider.name)["active"]
        self.last_write = 0.0

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("AKHBAR_REDIS_URL"):
            raise NotConfigured
        from scrapy_redis import connection

        extension = cls(crawler, connection.from_settings(crawler.settings),
                        crawler.settings.getfloat("AKHBAR_REDIS_IDLE_CLOSE", 30.0))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.activity, signal=signals.response_received)
        crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
        return extension

    def _now(self) -> float:
        seconds, micros = self.server.time()  # the Redis server's clock: one clock for every machine
        return seconds + micros / 1e6

    def _mark_active(self) -> None:
        now = self._now()
        self.server.set(self.key, repr(now), ex=max(60, int(self.timeout * 4)))
        self.last_write = time.monotonic()

    def spider_opened(self, spider) -> None:
        self._mark_active()

    def activity(self, *args, **kwargs) -> None:
        if time.monotonic() - self.last_write >= 1.0:  # at most one write a second
            self._mark_active()

    def spider_idle(self, spider) -> None:
        value = self.server.get(self.key)
        last = float(value) if value else 0.0
        quiet = self._now() - last
        if quiet < self.timeout:
            self.crawler.stats.inc_value("akhbar/frontier/idle_waits")
            raise DontCloseSpider
        logger.info("shared frontier quiet for %.0f s and empty: this worker is done", quiet)
