"""NewsSpider: the base class of every outlet's spider, composed of its parts.

An outlet is a subclass that only declares data: its domains, time zone, discovery
sources, the pattern of its article URLs and its selectors (read by akhbar.extraction).

The parts, one module each (re-exported here: ``from akhbar.spiders.base import ...`` works for
every public name):
- akhbar.spiders.arguments: the spider arguments (``-a urls=``, ``since``/``until``, ``follow``,
  ``refresh``) and ``SpiderArgumentError``;
- akhbar.spiders.discovery: feeds, sitemaps, robots.txt and listing pages, read safely
  (akhbar.spiders.discovery_documents);
- akhbar.spiders.routing: which URL is an article, a section, another outlet's; article requests
  and their redirects. Stories link to stories; those links are followed ``story_hops`` deep;
- akhbar.spiders.failures: requests that gave no page, counted under their reason.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Iterable

import scrapy
from scrapy.http import Response

from akhbar.extraction import NotAnArticle, extract
from akhbar.extraction.config import validate_selectors
from akhbar.rendering import enable_rendering, parse_render_arg, renders_anything
from akhbar.spiders.arguments import (ForeignUrlsMixin, SpiderArgumentError, parse_count, parse_day,
                                      parse_flag, parse_urls)
from akhbar.spiders.discovery import DiscoveryMixin
from akhbar.spiders.failures import FailuresMixin, failure_reason
from akhbar.spiders.request_meta import BACKFILL_DAY, request_meta
from akhbar.spiders.routing import REDIRECT_STATUSES, RoutingMixin

__all__ = ["BACKFILL_DAY", "NewsSpider", "SpiderArgumentError", "failure_reason"]


class NewsSpider(DiscoveryMixin, RoutingMixin, FailuresMixin, ForeignUrlsMixin, scrapy.Spider):
    r"""Base class of every outlet spider. Subclasses declare; they rarely define methods.

    Public API (docs/api.md). The declarative attributes are those below (discovery, routing,
    rendering) and those the extraction engine reads (``selectors``, ``body_exclude``,
    ``boilerplate``, ``metadata_clock_is_local`` ...: akhbar.extraction.config lists them all).
    Spider arguments: ``-a urls=``, ``-a since=`` / ``until=``, ``-a follow=``, ``-a refresh=1``,
    ``-a render=``.

    >>> class NileTodaySpider(NewsSpider):
    ...     name = "nile_today"
    ...     allowed_domains = ["nile-today.example"]
    ...     timezone = "Africa/Cairo"
    ...     feeds = ["https://nile-today.example/rss.xml"]
    ...     article_url = r"^/news/\d{4}/\d{2}/\d{2}/\d+$"
    ...     selectors = {"headline": "h1.story-title", "body": "div.story-text"}
    >>> NileTodaySpider.is_article_url("https://nile-today.example/news/2025/01/12/1041")
    True
    >>> NileTodaySpider.is_article_url("https://nile-today.example/section/economy")
    False
    >>> NileTodaySpider.owns_domain("www.nile-today.example"), NileTodaySpider.owns_domain("example.com")
    (True, False)
    """

    # --- what an outlet declares -------------------------------------------------
    name: str = ""
    allowed_domains: list[str] = []
    country: str | None = None  # ISO 3166 code, for the outlets list
    timezone: str = "UTC"  # IANA zone the outlet prints its dates in
    feeds: list[str] = []  # RSS / Atom feeds
    sitemaps: list[str] = []  # sitemaps or sitemap indexes (robots.txt works too)
    daily_sitemap: str | None = None  # e.g. "https://www.youm7.com/Sitemap/{y}/{m}/{d}"
    listing_pages: list[str] = []  # home and section pages whose links lead to stories
    article_url: str = ""  # regex searched in the URL's path (and query)
    section_url: str | None = None  # regex of section pages followed from listing pages
    story_hops: int = 1  # how many story-to-story links deep to follow (0: none)
    # JavaScript-rendered articles (akhbar/rendering.py; slow, so off by default). -a render=1|0|REGEX
    render_javascript: bool = False  # fetch every article page through Chromium
    render_url: str | None = None  # or only the article pages whose path (and query) match this
    render_wait_for: str | None = None  # CSS selector of an article a script adds after the load event

    def __init__(self, *args: Any, urls: str | None = None, since: str | None = None,
                 until: str | None = None, follow: str | None = None, refresh: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # -a refresh=1: download articles already in the store again (akhbar/incremental.py).
        self.refresh = parse_flag(refresh, "refresh")
        self.article_urls = parse_urls(urls)
        self.since = parse_day(since, "since") if since else None
        self.until = parse_day(until, "until") if until else None
        if self.until and not self.since:
            raise SpiderArgumentError("-a until=... needs -a since=YYYY-MM-DD as well")
        if self.since and not self.daily_sitemap:
            raise SpiderArgumentError(f"{self.name} has no daily archive: -a since/until is not available")
        if self.since and self.until and self.until < self.since:
            raise SpiderArgumentError(f"-a until={self.until} is before -a since={self.since}")
        if self.since and not self.until and self.since > date.today():
            raise SpiderArgumentError(f"-a since={self.since} is in the future (and -a until is today)")
        if follow is not None:
            self.story_hops = parse_count(follow, "follow")

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        validate_selectors(spider)  # a broken selector stops the crawl before it starts
        spider._leave_out_foreign_urls()  # here, not in __init__: a subclass may set its domains there
        if "render" in kwargs:
            spider.render_javascript, spider.render_url = parse_render_arg(kwargs["render"])
        if renders_anything(spider):  # the settings are not frozen yet
            enable_rendering(crawler.settings)
        return spider

    # --- articles -----------------------------------------------------------------
    def parse_article(self, response: Response) -> Iterable[Any]:
        meta = request_meta(response)
        if response.status in REDIRECT_STATUSES:
            yield from self._article_redirect(response)
            return
        if response.status >= 300:
            # Only reached if a subclass lets other statuses through (handle_httpstatus_list)
            self.crawler.stats.inc_value(f"akhbar/dropped/http_{response.status}")
            return
        redirected = meta.get("redirect_urls") or (
            response.request is not None and response.url != response.request.url)
        if redirected and not self.is_article_url(response.url):
            # Redirected by someone else (a rendering browser, a middleware) off the article.
            self.crawler.stats.inc_value("akhbar/dropped/redirected_off_article")
            return
        try:
            extracted = extract(response, self)
            for field in extracted.fallbacks:  # its selectors missed, another reader gave it
                self.crawler.stats.inc_value(f"akhbar/fallback/{field}")
            yield extracted.item
        except NotAnArticle as reason:
            # Counted, never raised: a page that is not an article must not stop the crawl.
            self.crawler.stats.inc_value(f"akhbar/dropped/{reason.reason}")
            self.logger.info("Not an article (%s): %s", reason.reason, response.url)
        except Exception:  # noqa: BLE001 - a bug met on one page must not lose the crawl
            self.crawler.stats.inc_value("akhbar/dropped/extraction_error")
            self.logger.exception("Extraction failed on %s", response.url)
        hops = meta.get("akhbar_hops", 0)
        if hops < self.story_hops and hasattr(response, "css"):
            yield from self._route((url for url in self._page_links(response) if url != response.url),
                                   hops=hops + 1)

