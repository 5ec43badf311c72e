"""Which spider handles which outlet: looked up from the project's spiders, never hand-kept."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from scrapy.addons import AddonManager
from scrapy.spiderloader import SpiderLoader, get_spider_loader
from scrapy.utils.project import get_project_settings

from akhbar.spiders.base import NewsSpider

GENERIC = "generic"


@lru_cache(maxsize=1)
def _loader() -> SpiderLoader:
    settings = get_project_settings()
    AddonManager.load_pre_crawler_settings(settings)  # as a crawl does: akhbar's SPIDER_LOADER_CLASS
    return get_spider_loader(settings)


def outlet_spiders() -> list[type[NewsSpider]]:
    """Every site-specific spider, sorted by name (the generic one excluded)."""
    loader = _loader()
    spiders = [loader.load(name) for name in loader.list()]
    return sorted((s for s in spiders if issubclass(s, NewsSpider) and s.name != GENERIC),
                  key=lambda s: s.name)


def spider_by_name(name: str) -> type[NewsSpider]:
    return _loader().load(name)  # KeyError names the unknown spider


def spider_for_url(url: str) -> type[NewsSpider] | None:
    """The site-specific spider whose domains cover the URL's host, or None."""
    host = (urlsplit(url).hostname or "").lower()
    for spider in outlet_spiders():
        if spider.owns_domain(host):
            return spider
    return None


def spider_or_generic(url: str) -> type[NewsSpider]:
    """The site-specific spider for the URL, else the generic spider (any outlet)."""
    return spider_for_url(url) or spider_by_name(GENERIC)
