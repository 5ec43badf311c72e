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
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import CloseSpider, NotConfigured

logger = logging.getLogger(__name__)

LAYOUT_CHANGED = "layout_changed"


def _filled(value) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple)):
        return any(_filled(v) if isinstance(v, str) else bool(v) for v in value)
    return value is not None


class FieldCoverage:
    def __init__(self, crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.minimum_setting = dict(settings.getdict("AKHBAR_COVERAGE_MIN"))
        # The fields reported, and any field given a minimum (a spider's coverage_min judges these).
        self.fields = list(dict.fromkeys([*settings.getlist("AKHBAR_COVERAGE_FIELDS"), *self.minimum_setting]))
        self.min_pages = settings.getint("AKHBAR_COVERAGE_MIN_PAGES", 20)
        self.fallback_setting = dict(settings.getdict("AKHBAR_FALLBACK_MAX"))
        self.pages = 0
        self.filled = dict.fromkeys(self.fields, 0)
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

    # --- counting ------------------------------------------------------------------------
    def count(self, item, **kwargs) -> None:
        """One article page that reached extraction (passed, dropped or failed in the pipelines)."""
        if not hasattr(item, "get"):
            return
        self.pages += 1
        for name in self.fields:
            if _filled(item.get(name)):
                self.filled[name] += 1

    def share(self, name: str) -> float:
        return self.filled[name] / self.pages if self.pages else 0.0

    def minimum(self, spider) -> dict[str, float]:
        """Field -> minimum share for this spider (the setting, then the spider's coverage_min)."""
        merged = {**self.minimum_setting, **(getattr(spider, "coverage_min", None) or {})}
        return {name: float(value) for name, value in merged.items() if value is not None}

    def below(self, spider) -> list[tuple[str, float, float]]:
        """(field, share, minimum) of every field under its minimum; [] while too few pages."""
        if self.pages < self.min_pages:
            return []
        out = []
        for name, minimum in self.minimum(spider).items():
            share = self.filled[name] / self.pages if name in self.filled else None
            if share is not None and share < minimum:
                out.append((name, share, minimum))
        return out

    def fallbacks(self, name: str) -> int:
        """Pages on which the field came from a fallback, not the spider's selectors."""
        return self.stats.get_value(f"akhbar/fallback/{name}", 0)

    def stale(self, spider) -> list[tuple[str, float, float]]:
        """(field, share of pages through a fallback, maximum) of every field whose selectors
        missed on more than its maximum share of pages; [] while too few pages."""
        if self.pages < self.min_pages:
            return []
        merged = {**self.fallback_setting, **(getattr(spider, "fallback_max", None) or {})}
        out = []
        for name, maximum in merged.items():
            if maximum is None:
                continue
            share = self.fallbacks(name) / self.pages
            if share > float(maximum):
                out.append((name, share, float(maximum)))
        return out

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
        stats.set_value("akhbar/coverage/pages", self.pages)
        for name in self.fields:
            stats.set_value(f"akhbar/coverage/{name}", round(self.share(name), 4))
            stats.set_value(f"akhbar/coverage/{name}_pages", self.filled[name])
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
                 f"  {'field':<14}{'pages':>7}{'share':>9}{'minimum':>10}{'fallback':>10}"]
        for name in self.fields:
            floor = f"{100 * minimum[name]:.1f}%" if name in minimum else "-"
            flags = ("  BELOW" if name in below else "") + ("  SELECTORS STALE" if name in stale else "")
            lines.append(f"  {name:<14}{self.filled[name]:>7}{100 * self.share(name):>8.1f}%{floor:>10}"
                         f"{self.fallbacks(name):>10}{flags}")
        others = {key.rsplit("/", 1)[1]: count for key, count in self.stats.get_stats().items()
                  if key.startswith("akhbar/fallback/") and key.rsplit("/", 1)[1] not in self.fields}
        if others:
            lines.append("  fallbacks of other fields: " + ", ".join(f"{k} {v}" for k, v in sorted(others.items())))
        return "\n".join(lines)
