"""Monitoring with Spidermon: the checks run at the end of every crawl, and who is told.

``CrawlMonitors`` (``SPIDERMON_SPIDER_CLOSE_MONITORS``) judges a finished crawl:

- **Field coverage**: each field the spider is expected to fill reaches its minimum share of the
  article pages (``akhbar/coverage/<field>``; kept and dropped pages alike, so a page dropped for
  a missing body counts as a missing body). The minimums are akhbar/coverage.py's (one
  definition: ``AKHBAR_COVERAGE_MIN``, ``AKHBAR_COVERAGE_DECLARED_MIN``, a spider's
  ``coverage_min``), so this monitor fails exactly when the crawl finished ``layout_changed``
  for a field. Spidermon's own field coverage of the delivered items is on too
  (``SPIDERMON_ADD_FIELD_COVERAGE``: ``spidermon_field_coverage/Article/<field>``), judged by
  Spidermon's Field Coverage Monitor against ``SPIDERMON_FIELD_COVERAGE_RULES`` (extra rules,
  none by default; nested fields such as ``Article/images/caption`` work there).
- **Selectors**: the share of article pages on which a field came from a fallback instead of the
  spider's selectors (``akhbar/fallback/<field>``) stays within ``AKHBAR_FALLBACK_MAX`` (and a
  spider's ``fallback_max``), again coverage.py's judgement.
- **Item validation** (Spidermon's): no item broke the JSON Schema akhbar/data/item.schema.json
  (Spidermon's ItemValidationPipeline counts them: ``spidermon/validation/...``), at most
  ``SPIDERMON_MAX_ITEM_VALIDATION_ERRORS``.
- **Errors** (Spidermon's): at most ``SPIDERMON_MAX_ERRORS`` ERROR lines in the log.
- **Finish reason** (Spidermon's): one of ``SPIDERMON_EXPECTED_FINISH_REASONS`` (``finished``),
  so ``layout_changed``, a shutdown or a timeout fails it.
- **Pages fetched**: at least one response came back (or every article was already stored):
  a crawl that fetched nothing at all (DNS, refused, offline) fails.

The verdict goes to the log (a ``[Spidermon]`` table; a failed monitor's details at WARNING, so
``log_count/ERROR`` stays the count of the crawl's own errors that the Errors monitor judges) and
to the stats: ``akhbar/monitors/passed``, ``akhbar/monitors/failed`` and
``akhbar/monitors/failed/<monitor>`` (in ``AKHBAR_STATS_FILE`` and the store's crawls table).

Notifications use Spidermon's own actions, only when configured: ``AKHBAR_NOTIFY`` (setting, or
the environment variable, comma-separated) names the channels, ``telegram``, ``slack``,
``email`` (SMTP), or the import path of any Spidermon ``Action``; each channel reads its usual
``SPIDERMON_*`` settings (tokens and the SMTP password from the environment, akhbar/defaults.py).
They are sent when a monitor failed, or after every crawl with ``AKHBAR_NOTIFY_ALWAYS``.
"""

from __future__ import annotations

import logging
from importlib import resources

from scrapy.utils.misc import load_object
from spidermon import MonitorSuite, monitors
from spidermon.contrib.scrapy.extensions import Spidermon
from spidermon.contrib.scrapy.monitors import (
    ErrorCountMonitor,
    FieldCoverageMonitor,
    FinishReasonMonitor,
    ItemValidationMonitor,
)
from spidermon.contrib.scrapy.monitors.base import BaseScrapyMonitor
from spidermon.contrib.scrapy.runners import SpiderMonitorResult, SpiderMonitorRunner
from spidermon.exceptions import NotConfigured as SpidermonNotConfigured

from akhbar import coverage

# The item's JSON Schema as text, read as package data (a zipped Scrapyd egg has no file path to
# it); SPIDERMON_VALIDATION_SCHEMAS names it by this import path.
ITEM_SCHEMA = resources.files("akhbar").joinpath("data/item.schema.json").read_text(encoding="utf-8")

logger = logging.getLogger(__name__)

# AKHBAR_NOTIFY's channel names -> Spidermon's action classes (their settings: Spidermon's docs).
CHANNELS = {
    "telegram": "spidermon.contrib.actions.telegram.notifiers.SendTelegramMessageSpiderFinished",
    "slack": "spidermon.contrib.actions.slack.notifiers.SendSlackMessageSpiderFinished",
    "email": "spidermon.contrib.actions.email.smtp.SendSmtpEmail",
}
MONITORS_PASSED_STAT = "akhbar/monitors/passed"
MONITORS_FAILED_STAT = "akhbar/monitors/failed"


def _percent(findings: list[coverage.Finding], relation: str) -> str:
    return ", ".join(f"{f.field} {100 * f.share:.1f}% {relation} {100 * f.limit:.1f}%" for f in findings)


def _judged_stats(monitor: BaseScrapyMonitor):
    """The crawl's stats and settings; the monitor is skipped (saying why) when the crawl had
    too few article pages for coverage and fallbacks to be judged."""
    stats, settings = monitor.data.stats, monitor.crawler.settings
    if not coverage.judged(stats, settings):
        monitor.skipTest(f"{stats.get(coverage.PAGES_STAT, 0)} article pages, fewer than "
                         f"AKHBAR_COVERAGE_MIN_PAGES={coverage.min_pages(settings)}")
    return stats, settings


@monitors.name("Field coverage")
class ArticleFieldCoverageMonitor(BaseScrapyMonitor):
    """Each field the spider is expected to fill reaches its minimum share of the article pages."""

    @monitors.name("Expected fields reach their minimum share of the article pages")
    def test_expected_fields_are_filled(self):
        stats, settings = _judged_stats(self)
        below = coverage.below_minimum(stats, settings, self.data.spider)
        self.assertFalse(below, msg=f"Fields below their minimum (AKHBAR_COVERAGE_MIN) on "
                                    f"{stats[coverage.PAGES_STAT]} article pages: {_percent(below, '<')}")


@monitors.name("Selectors")
class FallbackShareMonitor(BaseScrapyMonitor):
    """The spider's selectors give its fields: few article pages need a fallback."""

    @monitors.name("Fields reached through a fallback stay within AKHBAR_FALLBACK_MAX")
    def test_selectors_still_match(self):
        stats, settings = _judged_stats(self)
        stale = coverage.stale_selectors(stats, settings, self.data.spider)
        self.assertFalse(stale, msg=f"Selectors no longer match (share of {stats[coverage.PAGES_STAT]} article "
                                    f"pages through a fallback, AKHBAR_FALLBACK_MAX): {_percent(stale, '>')}")


@monitors.name("Pages fetched")
class PagesFetchedMonitor(BaseScrapyMonitor):
    """At least one page came back: a crawl that fetched nothing (DNS, refused, offline) failed."""

    @monitors.name("At least one response, or every article already stored")
    def test_something_was_fetched(self):
        responses = self.data.stats.get("downloader/response_count", 0)
        already_stored = self.data.stats.get("akhbar/skipped/already_stored", 0)
        failures = self.data.stats.get("downloader/exception_count", 0)
        self.assertTrue(responses or already_stored,
                        msg=f"No page fetched: 0 responses, {failures} download errors")


def notification_action(name: str) -> type:
    """The Spidermon action class of one AKHBAR_NOTIFY entry (a channel name or an import path)."""
    path = CHANNELS.get(name.strip().lower(), name.strip())
    try:
        if "." not in path:
            raise ValueError("not a channel")
        return load_object(path)
    except (ValueError, ImportError, AttributeError, NameError) as exc:
        raise ValueError(f"AKHBAR_NOTIFY: unknown channel {name!r} ({exc}): use {', '.join(CHANNELS)} "
                         f"or the import path of a Spidermon Action") from exc


class CrawlMonitors(MonitorSuite):
    """akhbar's monitors, run when the spider closes (SPIDERMON_SPIDER_CLOSE_MONITORS)."""

    monitors = [  # noqa: RUF012 - Spidermon's declarative API
        ("Field coverage", ArticleFieldCoverageMonitor),
        ("Selectors", FallbackShareMonitor),
        ("Item validation", ItemValidationMonitor),
        ("Spidermon field coverage rules", FieldCoverageMonitor),
        ("Errors", ErrorCountMonitor),
        ("Finish reason", FinishReasonMonitor),
        ("Pages fetched", PagesFetchedMonitor),
    ]

    def __init__(self, *args, crawler=None, **kwargs) -> None:
        super().__init__(*args, crawler=crawler, **kwargs)
        if crawler is None:
            return
        add = (self.add_monitors_finished_action if crawler.settings.getbool("AKHBAR_NOTIFY_ALWAYS")
               else self.add_monitors_failed_action)
        for name in crawler.settings.getlist("AKHBAR_NOTIFY"):
            try:
                add(notification_action(name))
            except (ValueError, SpidermonNotConfigured) as exc:
                # Asked for but unknown or not configured: said loudly (an ERROR, which also fails
                # the Errors monitor); the crawl, its checks and the other channels go on.
                logger.error("Notifications through %s are off: %s", name, exc)


class CrawlMonitorResult(SpiderMonitorResult):
    """Spidermon's log of the results, with a failed monitor's details at WARNING: a failed check
    is reported (and notified), it does not add to the crawl's own ERROR count."""

    def log_error(self, msg):
        self.log(msg, level=logging.WARNING)

    def addFailure(self, test, error):
        super().addFailure(test, error)
        # A failed check is a finding, not a bug: its message, not the assertion's traceback.
        # (A monitor that raises, a bug, keeps its traceback: addError is Spidermon's.)
        try:
            self.step[test].error = f"{error[1]}\n"
        except (KeyError, TypeError, AttributeError):
            pass

    def log(self, msg, level=logging.DEBUG):
        # Spidermon writes through Spider.log(), which Scrapy deprecates (a warning every crawl).
        self.spider.logger.log(level, "[Spidermon] %s", msg)


class CrawlMonitorRunner(SpiderMonitorRunner):
    def create_result(self):
        return CrawlMonitorResult(self.spider)


class Monitoring(Spidermon):
    """Spidermon's extension (SPIDERMON_ENABLED, SPIDERMON_*_MONITORS), writing each suite's
    verdict into the crawl stats before the stats file and the crawl record are written."""

    def _run_suites(self, spider, suites):
        data = self._generate_data_for_spider(spider)
        stats = self.crawler.stats
        for suite in suites:
            result = CrawlMonitorRunner(spider=spider).run(suite, **data)
            failed = [r.monitor.monitor_name for r in result.monitors_failed_results]
            stats.inc_value(MONITORS_PASSED_STAT, len(result.monitors_passed_results))
            stats.inc_value(MONITORS_FAILED_STAT, len(failed))
            for name in dict.fromkeys(failed):
                stats.set_value(f"{MONITORS_FAILED_STAT}/{name}", failed.count(name))
            if failed:
                logger.warning("Monitors failed (%s): %s", spider.name, ", ".join(dict.fromkeys(failed)),
                               extra={"spider": spider})
