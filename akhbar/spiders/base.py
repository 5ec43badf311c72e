"""NewsSpider: discovery and article routing shared by every outlet.

An outlet is a subclass that only declares data: its domains, time zone, discovery
sources, the pattern of its article URLs and its selectors (read by akhbar.extraction).

Discovery, in order of use:
- ``-a urls=URL[,URL...]``: just these article pages;
- ``-a since=YYYY-MM-DD [-a until=YYYY-MM-DD]``: the outlet's daily sitemaps (backfill);
- otherwise the outlet's feeds, sitemaps and listing pages (home, sections).
Every discovered link is routed by ``article_url``: only matching URLs are parsed as
articles. Stories link to stories; those links are followed ``story_hops`` deep.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

import scrapy
from parsel import Selector
from scrapy.exceptions import (CannotResolveHostError, DownloadCancelledError,
                               DownloadConnectionRefusedError, DownloadTimeoutError, IgnoreRequest)
from scrapy.http import Response
from scrapy.utils.gz import gunzip
from scrapy.utils.response import get_base_url
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.internet.defer import CancelledError
from twisted.internet.error import ConnectionRefusedError as TxConnectionRefusedError
from twisted.internet.error import DNSLookupError, TCPTimedOutError
from twisted.internet.error import TimeoutError as TxTimeoutError
from w3lib.url import safe_url_string

from akhbar.extraction import NotAnArticle, extract
from akhbar.extraction.config import validate_selectors
from akhbar.extraction.dom import page_tree
from akhbar.extraction.links import page_joiner, url_test
from akhbar.urls import strip_tracking
from akhbar.rendering import enable_rendering, parse_render_arg, render_meta, renders_anything

# Discovery documents are told apart by their first bytes, not by their Content-Type,
# which feeds and sitemaps often get wrong.
_XML_ROOT = re.compile(rb"<(?:[a-zA-Z0-9_-]+:)?(urlset|sitemapindex|rss|feed|rdf:RDF)\b")


class NewsSpider(scrapy.Spider):
    """Base class of every outlet spider. Subclasses declare; they rarely define methods."""

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
        self.refresh = _flag(refresh, "refresh")
        self.article_urls = [u.strip() for u in (urls or "").split(",") if u.strip()]
        self.since = _parse_day(since, "since") if since else None
        self.until = _parse_day(until, "until") if until else None
        if self.until and not self.since:
            raise ValueError("-a until=... needs -a since=YYYY-MM-DD as well")
        if self.since and not self.daily_sitemap:
            raise ValueError(f"{self.name} has no daily archive: -a since/until is not available")
        if follow is not None:
            self.story_hops = int(follow)

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        validate_selectors(spider)  # a broken selector stops the crawl before it starts
        if "render" in kwargs:
            spider.render_javascript, spider.render_url = parse_render_arg(kwargs["render"])
        if renders_anything(spider):  # the settings are not frozen yet
            enable_rendering(crawler.settings)
        return spider

    @classmethod
    def is_article_url(cls, url: str) -> bool:
        if not cls.article_url:
            return False
        return _url_tests(cls)[1](url)

    @classmethod
    def owns_domain(cls, host: str) -> bool:
        return _url_tests(cls)[0].fullmatch(host.lower().rstrip(".")) is not None

    @classmethod
    def url_test(cls, pattern: str) -> Callable[[str], bool] | None:
        """A test of URLs on the spider's domains whose path matches ``pattern``, compiled once;
        None for a spider with its own ``owns_domain`` (the caller then tests with that)."""
        if getattr(cls.owns_domain, "__func__", None) is not NewsSpider.owns_domain.__func__:
            return None
        return url_test(tuple(cls.allowed_domains), pattern)

    # --- discovery ---------------------------------------------------------------
    async def start(self):
        for request in self.discovery_requests():
            yield request

    def discovery_requests(self) -> Iterable[scrapy.Request]:
        if self.article_urls:
            for url in self.article_urls:
                yield self.article_request(url, hops=0)
            return
        if self.since:
            for day in _days(self.since, self.until or date.today()):
                url = self.daily_sitemap.format(y=day.year, m=day.month, d=day.day)
                yield scrapy.Request(url, callback=self.parse_discovery, meta={"akhbar_hops": 0},
                                     errback=self.discovery_failed)
            return
        for url in [*self.feeds, *self.sitemaps, *self.listing_pages]:
            yield scrapy.Request(url, callback=self.parse_discovery, meta={"akhbar_hops": 0},
                                 errback=self.discovery_failed)

    def discovery_failed(self, failure) -> None:
        # A feed that moved must not stop the crawl: counted, logged, crawl goes on.
        self.crawler.stats.inc_value("akhbar/discovery/failed")
        self.logger.warning("Discovery source failed: %s (%s)", failure.request.url, failure.value)

    def parse_discovery(self, response: Response) -> Iterable[scrapy.Request]:
        """A feed, a sitemap, robots.txt or an HTML listing page: yield what it links to."""
        stats = self.crawler.stats
        if response.url.endswith("/robots.txt"):
            for url in sitemap_urls_from_robots(response.text, base_url=response.url):
                yield response.follow(url, callback=self.parse_discovery, meta={"akhbar_hops": 0},
                                      errback=self.discovery_failed)
            return
        body = _maybe_gunzip(response.body)
        kind = _xml_kind(body)
        if kind in ("urlset", "sitemapindex"):
            stats.inc_value("akhbar/discovery/sitemaps")
            sitemap = Sitemap(body)
            for entry in sitemap:
                loc = entry.get("loc", "").strip()
                if not loc:
                    continue
                if sitemap.type == "sitemapindex":
                    yield scrapy.Request(loc, callback=self.parse_discovery, meta={"akhbar_hops": 0},
                                         errback=self.discovery_failed)
                else:
                    yield from self._route([loc], hops=0)
            return
        if kind in ("rss", "feed", "rdf:RDF"):
            stats.inc_value("akhbar/discovery/feeds")
            sel = Selector(text=body.decode(response.encoding if hasattr(response, "encoding") else "utf-8",
                                            errors="replace"), type="xml")
            sel.remove_namespaces()
            links = sel.xpath("//item/link/text() | //entry/link[not(@rel) or @rel='alternate']/@href"
                              " | //item[not(link)]/guid/text()").getall()
            yield from self._route((response.urljoin(link.strip()) for link in links), hops=0)
            return
        if not hasattr(response, "css"):
            stats.inc_value("akhbar/discovery/unreadable")
            self.logger.warning("Discovery page is neither HTML nor a feed/sitemap: %s", response.url)
            return
        stats.inc_value("akhbar/discovery/listings")
        links = []
        for url in self._page_links(response):
            if self.section_url and not self.is_article_url(url) and self._is_section_url(url):
                if _meta(response).get("akhbar_listing_depth", 0) < 1:
                    yield scrapy.Request(url, callback=self.parse_discovery,
                                         meta={"akhbar_hops": 0, "akhbar_listing_depth": 1},
                                         errback=self.discovery_failed)
                continue
            links.append(url)
        yield from self._route(links, hops=0)

    def _is_section_url(self, url: str) -> bool:
        parts = urlsplit(url)
        return self.owns_domain(parts.hostname or "") and re.search(self.section_url, parts.path) is not None

    def _page_links(self, response: Response) -> list[str]:
        """The page's link targets (``a/@href``), absolute, without fragment, once each, in order."""
        seen: dict[str, None] = {}
        selector = page_tree(response).selector
        if selector.type == "html":  # the parsed tree itself: no Selector object per link
            hrefs = (a.get("href") for a in selector.root.iter("a"))
            base = get_base_url(response)  # what response.urljoin joins with
            join = page_joiner(response)  # the links the related finder joined already
        else:
            hrefs, base = response.css("a::attr(href)").getall(), None
        read: set[str] = set()  # a page links many stories twice (image and title)
        for href in hrefs:
            if href is None:
                continue
            href = href.strip()
            if href in read:
                continue
            read.add(href)
            if href and not href.startswith(("#", "javascript:", "mailto:", "tel:")):
                url = join(base, href) if base is not None else response.urljoin(href)
                seen.setdefault(url.split("#", 1)[0], None)
        return list(seen)

    def _route(self, urls: Iterable[str], hops: int) -> Iterable[scrapy.Request]:
        """Article requests for the URLs that are articles; the others counted, once per batch
        (a page links hundreds of URLs)."""
        stripped = skipped = 0
        try:
            for url in urls:
                clean = strip_tracking(url)  # an article linked with ?utm_source=... is still an article
                if clean != url:
                    stripped += 1
                    url = clean
                if self.is_article_url(url):
                    yield self.article_request(url, hops)
                else:
                    skipped += 1
        finally:
            stats = self.crawler.stats
            if stripped:
                stats.inc_value("akhbar/discovery/tracking_params_removed", stripped)
            if skipped:
                stats.inc_value("akhbar/discovery/skipped_non_article", skipped)

    # --- articles ----------------------------------------------------------------
    def article_request(self, url: str, hops: int, redirects: int = 0) -> scrapy.Request:
        """The one place article requests are made: rendered in Chromium when the spider says so.

        Tracking parameters (utm_*, fbclid ...) are removed first, so the same article linked
        with several is fetched once. Redirects are followed here, not by Scrapy, so that an
        article redirected off to the home page or a section is counted, not silently merged
        with that page (which the duplicate filter would drop). Every failure is counted by
        ``article_failed``.
        """
        clean = strip_tracking(url)
        if clean != url and getattr(self, "crawler", None) is not None:
            self.crawler.stats.inc_value("akhbar/discovery/tracking_params_removed")
        meta = {"akhbar_hops": hops, "akhbar_redirects": redirects, "dont_redirect": True,
                "handle_httpstatus_list": list(_REDIRECT_STATUSES), **render_meta(self, clean)}
        return scrapy.Request(clean, callback=self.parse_article, errback=self.article_failed, meta=meta)

    def _article_redirect(self, response: Response) -> Iterable[scrapy.Request]:
        meta = _meta(response)
        location = response.headers.get(b"Location")
        if not location:
            self.crawler.stats.inc_value(f"akhbar/dropped/http_{response.status}")
            return
        target = response.urljoin(safe_url_string(location.decode("latin-1").strip()))
        if not self.is_article_url(target):
            self.crawler.stats.inc_value("akhbar/dropped/redirected_off_article")
            self.logger.info("Article redirected off to %s: %s", target, response.url)
            return
        redirects = meta.get("akhbar_redirects", 0) + 1
        if redirects > self.settings.getint("REDIRECT_MAX_TIMES", 20):
            self.crawler.stats.inc_value("akhbar/dropped/too_many_redirects")
            return
        yield self.article_request(target, meta.get("akhbar_hops", 0), redirects)

    def article_failed(self, failure) -> None:
        """An article request that gave no page: counted once under its reason, crawl goes on."""
        reason = failure_reason(failure)
        if reason is None:  # IgnoreRequest: robots.txt, already stored ... counted where raised
            self.logger.debug("Article request ignored: %s (%s)", failure.request.url, failure.value)
            return
        self.crawler.stats.inc_value(f"akhbar/dropped/{reason}")
        self.logger.warning("Article not fetched (%s): %s", reason, failure.request.url)

    def parse_article(self, response: Response) -> Iterable[Any]:
        meta = _meta(response)
        if response.status in _REDIRECT_STATUSES:
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


_REDIRECT_STATUSES = (301, 302, 303, 307, 308)


_URL_TESTS: dict = {}  # spider class -> (its domains, its article URL pattern, the two compiled)


def _url_tests(cls) -> tuple[re.Pattern, Callable[[str], bool]]:
    """The spider class's owned-domain test and article-URL test, made once (again if the class's
    declarations are replaced)."""
    cached = _URL_TESTS.get(cls)
    if cached is None or cached[0] is not cls.allowed_domains or cached[1] is not cls.article_url:
        domains = tuple(cls.allowed_domains)
        cached = _URL_TESTS[cls] = (cls.allowed_domains, cls.article_url, _domains_pattern(domains),
                                    url_test(domains, cls.article_url or "(?!)"))
    return cached[2], cached[3]


@lru_cache(maxsize=None)
def _domains_pattern(domains: tuple[str, ...]) -> re.Pattern:
    """A host (lower case, no trailing dot) that is one of the domains or a subdomain of one."""
    return re.compile(r"(?s:.*\.)?(?:%s)" % "|".join(re.escape(d) for d in domains) if domains else r"(?!)")


def failure_reason(failure) -> str | None:
    """The akhbar/dropped/<reason> of a failed request; None for an ignored one (counted where
    it was ignored: robotstxt/forbidden, akhbar/skipped/already_stored ...)."""
    from scrapy.spidermiddlewares.httperror import HttpError

    error = failure.value
    if isinstance(error, HttpError):
        return f"http_{error.response.status}"
    if isinstance(error, IgnoreRequest):
        return None
    if isinstance(error, (DownloadTimeoutError, TxTimeoutError, TCPTimedOutError)):
        return "timeout"
    if isinstance(error, (DownloadCancelledError, CancelledError)):
        return "too_large"  # DOWNLOAD_MAXSIZE (the only cancellation of a running download)
    if isinstance(error, (CannotResolveHostError, DNSLookupError)):
        return "dns_error"
    if isinstance(error, (DownloadConnectionRefusedError, TxConnectionRefusedError)):
        return "connection_refused"
    return "download_error"


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern:
    """An outlet's URL pattern, compiled once (``re.search`` looks it up in its cache each call)."""
    return re.compile(pattern)


def _meta(response: Response) -> dict:
    """The request's meta; empty for a response built from a saved page (scrapy extract, tests)."""
    return response.request.meta if response.request is not None else {}


def _flag(value: str | None, name: str) -> bool:
    if value is None:
        return False
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("", "0", "false", "no", "off"):
        return False
    raise ValueError(f"-a {name}={value!r}: expected 1 or 0")


def _parse_day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"-a {name}={value!r}: expected a date as YYYY-MM-DD") from None


def _days(first: date, last: date) -> Iterable[date]:
    if last < first:
        raise ValueError(f"-a until={last} is before -a since={first}")
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _maybe_gunzip(body: bytes) -> bytes:
    if body[:2] == b"\x1f\x8b":
        try:
            return gunzip(body)
        except Exception:  # a corrupt archive is just an unreadable document
            return b""
    return body


def _xml_kind(body: bytes) -> str | None:
    head = body[:2048].lstrip()
    if not head.startswith((b"<?xml", b"<urlset", b"<sitemapindex", b"<rss", b"<feed", b"<rdf")):
        return None
    match = _XML_ROOT.search(body[:4096])
    return match.group(1).decode() if match else None
