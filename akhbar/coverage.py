"""Layout drift: the share of article pages on which each field was found, judged at the end.

A site that changes its templates does not fail loudly: the spider still runs, the pages still
parse, and the body (or the date ...) quietly goes missing. So every crawl counts, per article
page that reached extraction (every item a spider yielded: those that passed the pipelines and
those dropped or failed after, e.g. dropped as ``no_body``), whether each field is non-empty,
and at the end:

- writes ``akhbar/coverage/pages`` (pages counted), ``akhbar/coverage/<field>`` (share, 0..1)
  and ``akhbar/coverage/<field>_pages`` (count) into the crawl stats, and logs a table;
- judges the shares against ``AKHBAR_COVERAGE_MIN`` (field -> minimum share), overridden per
  spider by ``custom_settings`` or a spider attribute ``coverage_min`` (merged over the setting;
  a field set to ``None`` is not judged), once at least ``AKHBAR_COVERAGE_MIN_PAGES`` pages were
  counted. A field below its minimum is logged as an ERROR (field, share, minimum) and the crawl
  finishes with the reason ``layout_changed`` instead of ``finished``: the ``finish_reason`` a
  scheduler, Scrapyd or ``AKHBAR_STATS_FILE`` shows. A crawl closed for another reason
  (``shutdown``, a timeout) keeps it; the ERROR is logged all the same.

Selectors that stopped matching do not always lose data: each field falls back to metadata and to
the class-independent reading (``akhbar.extraction``), and the spider counts every page on which
a field it declares selectors for came from a fallback (``akhbar/fallback/<field>``). When that
share exceeds ``AKHBAR_FALLBACK_MAX`` (field -> share; a spider's ``fallback_max`` attribute is
merged over it), the items are still delivered, an ERROR names the spider and the fields whose
selectors no longer match, and the crawl finishes ``layout_changed`` as well.

The reason is given when the spider is idle (all requests done), by raising ``CloseSpider``
from the ``spider_idle`` signal, so every page has been counted when the shares are judged.

The fields a spider is expected to fill, their minimums and the fallback maximums are defined once,
here (``coverage_minimums``, ``fallback_maximums``, ``expected_fields``), and judged from the crawl
stats (``below_minimum``, ``stale_selectors``): by this extension while the crawl runs and by the
Spidermon monitors at its end (akhbar/monitors.py), so both always give the same verdict. Besides
the setting's fields, a spider is expected to fill every field it declares selectors for
(reported in the table; judged against ``AKHBAR_COVERAGE_DECLARED_MIN`` when that is set).
"""

from __future__ import annotations

import logging

from collections.abc import Mapping
from typing import Any, NamedTuple

from scrapy import signals
from scrapy.exceptions import CloseSpider, NotConfigured

logger = logging.getLogger(__name__)

LAYOUT_CHANGED = "layout_changed"
PAGES_STAT = "akhbar/coverage/pages"  # article pages counted (kept, dropped or failed)
DEFAULT_MIN_PAGES = 20


class Finding(NamedTuple):
    """A field judged out of bounds: its share of the article pages and the limit it crossed."""

    field: str
    share: float
    limit: float


def filled_stat(field: str) -> str:
    """The stat counting the article pages on which ``field`` was non-empty."""
    return f"akhbar/coverage/{field}_pages"


def fallback_stat(field: str) -> str:
    """The stat counting the article pages on which ``field`` came from a fallback (the spider counts it)."""
    return f"akhbar/fallback/{field}"


def declared_fields(spider) -> list[str]:
    """The item fields a spider (class or instance) declares selectors for."""
    from akhbar.extraction.engine import FIELD_SELECTORS  # the engine's map; imported when first needed

    selectors = getattr(spider, "selectors", None) or {}
    return [field for field, keys in FIELD_SELECTORS.items() if any(selectors.get(key) for key in keys)]


def coverage_minimums(settings, spider) -> dict[str, float]:
    """Field -> minimum share of article pages with it, for this spider: AKHBAR_COVERAGE_MIN, then
    AKHBAR_COVERAGE_DECLARED_MIN for the fields the spider declares selectors for (when set), then
    the spider's ``coverage_min`` (a field set to None there is not judged)."""
    merged: dict[str, Any] = {}
    declared_minimum = settings.get("AKHBAR_COVERAGE_DECLARED_MIN")
    if declared_minimum is not None:
        merged.update(dict.fromkeys(declared_fields(spider), declared_minimum))
    merged.update(settings.getdict("AKHBAR_COVERAGE_MIN"))
    merged.update(getattr(spider, "coverage_min", None) or {})
    return {name: float(value) for name, value in merged.items() if value is not None}


def fallback_maximums(settings, spider) -> dict[str, float]:
    """Field -> maximum share of article pages reached through a fallback, for this spider:
    AKHBAR_FALLBACK_MAX, then the spider's ``fallback_max`` (None: not judged)."""
    merged = {**settings.getdict("AKHBAR_FALLBACK_MAX"), **(getattr(spider, "fallback_max", None) or {})}
    return {name: float(value) for name, value in merged.items() if value is not None}


def expected_fields(settings, spider) -> list[str]:
    """The fields whose coverage is reported: AKHBAR_COVERAGE_FIELDS, every field given a minimum,
    every field the spider declares selectors for."""
    return list(dict.fromkeys([*settings.getlist("AKHBAR_COVERAGE_FIELDS"),
                               *coverage_minimums(settings, spider), *declared_fields(spider)]))


def min_pages(settings) -> int:
    return settings.getint("AKHBAR_COVERAGE_MIN_PAGES", DEFAULT_MIN_PAGES)


def judged(stats: Mapping, settings) -> bool:
    """Whether enough article pages were counted to judge the shares (always at least one)."""
    return stats.get(PAGES_STAT, 0) >= max(min_pages(settings), 1)


def below_minimum(stats: Mapping, settings, spider) -> list[Finding]:
    """Every field under its minimum share, from the crawl stats; [] while too few pages."""
    if not judged(stats, settings):
        return []
    pages = stats[PAGES_STAT]
    return [Finding(name, stats.get(filled_stat(name), 0) / pages, minimum)
            for name, minimum in coverage_minimums(settings, spider).items()
            if stats.get(filled_stat(name), 0) / pages < minimum]


def stale_selectors(stats: Mapping, settings, spider) -> list[Finding]:
    """Every field whose selectors missed (a fallback gave it) on more than its maximum share of
    the article pages, from the crawl stats; [] while too few pages."""
    if not judged(stats, settings):
        return []
    pages = stats[PAGES_STAT]
    return [Finding(name, stats.get(fallback_stat(name), 0) / pages, maximum)
            for name, maximum in fallback_maximums(settings, spider).items()
            if stats.get(fallback_stat(name), 0) / pages > maximum]


def _filled(value) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple)):
        return any(_filled(v) if isinstance(v, str) else bool(v) for v in value)
    return value is not None


class FieldCoverage:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.settings = crawler.settings
        self.stats = crawler.stats
        # The fields reported: the setting's, any field given a minimum, the spider's declared ones.
        self.fields = expected_fields(self.settings, getattr(crawler, "spidercls", None))
        self.min_pages = min_pages(self.settings)
        self.reported = False  # the ERRORs are logged once

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("AKHBAR_COVERAGE_ENABLED", True):
            raise NotConfigured("AKHBAR_COVERAGE_ENABLED is off")
        extension = cls(crawler)
        for handler, signal in ((extension.count, signals.item_scraped),
                                (extension.count, signals.item_dropped),
                                (extension.count, signals.item_error),
                                (extension.spider_idle, signals.spider_idle),
                                (extension.spider_closed, signals.spider_closed)):
            crawler.signals.connect(handler, signal=signal)
        return extension

    # --- counting (into the crawl stats, where the monitors read it too) -------------------
    def count(self, item, **kwargs) -> None:
        """One article page that reached extraction (passed, dropped or failed in the pipelines)."""
        if not hasattr(item, "get"):
            return
        self.stats.inc_value(PAGES_STAT)
        for name in self.fields:
            if _filled(item.get(name)):
                self.stats.inc_value(filled_stat(name))

    @property
    def pages(self) -> int:
        return self.stats.get_value(PAGES_STAT, 0)

    def filled(self, name: str) -> int:
        return self.stats.get_value(filled_stat(name), 0)

    def share(self, name: str) -> float:
        return self.filled(name) / self.pages if self.pages else 0.0

    def minimum(self, spider) -> dict[str, float]:
        """Field -> minimum share for this spider (``coverage_minimums``)."""
        return coverage_minimums(self.settings, spider)

    def below(self, spider) -> list[Finding]:
        """(field, share, minimum) of every field under its minimum; [] while too few pages."""
        return below_minimum(self.stats.get_stats(), self.settings, spider)

    def fallbacks(self, name: str) -> int:
        """Pages on which the field came from a fallback, not the spider's selectors."""
        return self.stats.get_value(fallback_stat(name), 0)

    def stale(self, spider) -> list[Finding]:
        """(field, share of pages through a fallback, maximum) of every field whose selectors
        missed on more than its maximum share of pages; [] while too few pages."""
        return stale_selectors(self.stats.get_stats(), self.settings, spider)

    # --- judging -----------------------------------------------------------------------------
    def spider_idle(self, spider) -> None:
        below, stale = self.below(spider), self.stale(spider)
        if below or stale:
            self.report(spider, below, stale)  # now, while log_count/ERROR still counts (not at close)
            raise CloseSpider(LAYOUT_CHANGED)

    def report(self, spider, below: list[tuple[str, float, float]], stale: list[tuple[str, float, float]]) -> None:
        if self.reported:
            return
        self.reported = True
        for name, share, floor in below:
            logger.error("Layout changed? %s found on %.1f%% of %d article pages of %s, below the minimum "
                         "%.1f%% (AKHBAR_COVERAGE_MIN): the site's layout may have changed",
                         name, 100 * share, self.pages, spider.name, 100 * floor, extra={"spider": spider})
        if stale:
            logger.error("Layout changed: the selectors of %s no longer match for %s (%s of %d article pages "
                         "came through a fallback, above AKHBAR_FALLBACK_MAX); the items were kept: repair "
                         "these selectors", spider.name, ", ".join(name for name, _, _ in stale),
                         ", ".join(f"{name} {100 * share:.1f}% > {100 * maximum:.1f}%" for name, share, maximum in stale),
                         self.pages, extra={"spider": spider})

    def spider_closed(self, spider, reason) -> None:
        stats = self.stats
        stats.set_value(PAGES_STAT, self.pages)
        for name in self.fields:
            stats.set_value(f"akhbar/coverage/{name}", round(self.share(name), 4))
            stats.set_value(filled_stat(name), self.filled(name))
        minimum = self.minimum(spider)
        below, stale = self.below(spider), self.stale(spider)
        for name, _, floor in below:
            stats.set_value(f"akhbar/coverage/below/{name}", floor)
        for name, _, maximum in stale:
            stats.set_value(f"akhbar/coverage/stale/{name}", maximum)
        logger.info(self.table(spider, minimum, {name for name, _, _ in below}, {name for name, _, _ in stale}),
                    extra={"spider": spider})
        if self.pages and self.pages < self.min_pages:
            logger.info("Field coverage not judged: %d article pages, fewer than AKHBAR_COVERAGE_MIN_PAGES=%d",
                        self.pages, self.min_pages, extra={"spider": spider})
        if below or stale:
            self.report(spider, below, stale)
        if (below or stale) and reason == "finished":
            # Closed without the idle judgement (e.g. a spider_idle handler raised first): still say it.
            stats.set_value("finish_reason", LAYOUT_CHANGED)

    def table(self, spider, minimum: dict[str, float], below: set[str], stale: set[str] = frozenset()) -> str:
        """One row per field: pages with it, share, minimum, pages where a fallback gave it."""
        lines = [f"Field coverage of {self.pages} article pages ({spider.name}):",
                 f"  {'field':<18}{'pages':>7}{'share':>9}{'minimum':>10}{'fallback':>10}"]
        for name in self.fields:
            floor = f"{100 * minimum[name]:.1f}%" if name in minimum else "-"
            flags = ("  BELOW" if name in below else "") + ("  SELECTORS STALE" if name in stale else "")
            lines.append(f"  {name:<18}{self.filled(name):>7}{100 * self.share(name):>8.1f}%{floor:>10}"
                         f"{self.fallbacks(name):>10}{flags}")
        others = {key.rsplit("/", 1)[1]: count for key, count in self.stats.get_stats().items()
                  if key.startswith("akhbar/fallback/") and key.rsplit("/", 1)[1] not in self.fields}
        if others:
            lines.append("  fallbacks of other fields: " + ", ".join(f"{k} {v}" for k, v in sorted(others.items())))
        return "\n".join(lines)
