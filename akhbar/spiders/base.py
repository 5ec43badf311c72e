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
from io import BytesIO
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

import scrapy
from lxml import etree
from parsel import Selector
from scrapy.exceptions import (CannotResolveHostError, DownloadCancelledError,
                               DownloadConnectionRefusedError, DownloadTimeoutError, IgnoreRequest)
from scrapy.http import Response
from scrapy.utils._compression import _DecompressionMaxSizeExceeded  # what SitemapSpider catches
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
from akhbar.replay import NotRecorded

# Discovery documents are told apart by their first bytes, not by their Content-Type,
# which feeds and sitemaps often get wrong.
_XML_ROOT = re.compile(rb"<(?:[a-zA-Z0-9_-]+:)?(urlset|sitemapindex|rss|feed|rdf:RDF)\b")
# Request meta of a backfill: the day (ISO date) whose daily sitemap led to the request, carried
# to every request that follows from it (akhbar/progress.py counts the days done with it).
BACKFILL_DAY = "akhbar_day"


class SpiderArgumentError(ValueError):
    """A spider argument (``-a NAME=VALUE``) that cannot be used; the message names it.
    ``scrapy crawl`` reports it in one line and exits with status 2 (akhbar/commands/crawl.py)."""


class NewsSpider(scrapy.Spider):
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
        self.refresh = _flag(refresh, "refresh")
        self.article_urls = [u.strip() for u in (urls or "").split(",") if u.strip()]
        for url in self.article_urls:
            if not _is_http_url(url):
                raise SpiderArgumentError(f"-a urls: {url!r} is not an http(s) URL")
        self.since = _parse_day(since, "since") if since else None
        self.until = _parse_day(until, "until") if until else None
        if self.until and not self.since:
            raise SpiderArgumentError("-a until=... needs -a since=YYYY-MM-DD as well")
        if self.since and not self.daily_sitemap:
            raise SpiderArgumentError(f"{self.name} has no daily archive: -a since/until is not available")
        if self.since and self.until and self.until < self.since:
            raise SpiderArgumentError(f"-a until={self.until} is before -a since={self.since}")
        if self.since and not self.until and self.since > date.today():
            raise SpiderArgumentError(f"-a since={self.since} is in the future (and -a until is today)")
        if follow is not None:
            self.story_hops = _count(follow, "follow")

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

    def _leave_out_foreign_urls(self) -> None:
        """``-a urls=`` pages on other domains than the spider's are not fetched (the offsite
        filter would drop them without a word): each is warned about, naming the spider's domains
        and the spider that covers it, and counted (``akhbar/discovery/foreign_url``). When none
        is left, the crawl does not start (``SpiderArgumentError``)."""
        foreign = [url for url in self.article_urls if not self.owns_domain(urlsplit(url).hostname or "")]
        if not foreign:
            return
        domains = ", ".join(self.allowed_domains) or "none"
        notes = [f"{url} is not on the domains of {self.name} ({domains}){_other_spider(url, self.name)}"
                 for url in foreign]
        if len(foreign) == len(self.article_urls):
            raise SpiderArgumentError("-a urls: " + "; ".join(notes))
        for note in notes:
            self.logger.warning("-a urls: %s: not fetched", note)
        self._foreign_urls = len(foreign)  # counted once the crawl has its stats (start)
        self.article_urls = [url for url in self.article_urls if url not in foreign]

    # --- discovery ---------------------------------------------------------------
    async def start(self):
        if getattr(self, "_foreign_urls", 0):
            self.crawler.stats.inc_value("akhbar/discovery/foreign_url", self._foreign_urls)
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
                yield scrapy.Request(url, callback=self.parse_discovery,
                                     meta={"akhbar_hops": 0, BACKFILL_DAY: day.isoformat()},
                                     errback=self.discovery_failed)
            return
        for url in [*self.feeds, *self.sitemaps, *self.listing_pages]:
            yield scrapy.Request(url, callback=self.parse_discovery, meta={"akhbar_hops": 0},
                                 errback=self.discovery_failed)

    def discovery_failed(self, failure) -> None:
        if failure.check(NotRecorded):  # an offline replay leaves this source out on purpose
            self.crawler.stats.inc_value("akhbar/replay/not_recorded")
            self.logger.debug("Discovery source not in the replay: %s", failure.request.url)
            return
        # A feed that moved must not stop the crawl: counted, logged, crawl goes on.
        self.crawler.stats.inc_value("akhbar/discovery/failed")
        self.logger.warning("Discovery source failed: %s (%s)", failure.request.url, failure.value)

    def parse_discovery(self, response: Response) -> Iterable[scrapy.Request]:
        """A feed, a sitemap, robots.txt or an HTML listing page: yield what it links to.

        A hostile or broken document costs no more than the settings allow: decompressed within
        ``DOWNLOAD_MAXSIZE`` (``akhbar/discovery/too_large``), never an entity expanded or an
        external one loaded (``.../unreadable``), sitemap indexes followed
        ``AKHBAR_SITEMAP_MAX_DEPTH`` deep and ``AKHBAR_SITEMAP_MAX_URLS`` entries read per
        document, one at a time (the requests go to the scheduler as they are read).
        """
        stats = self.crawler.stats
        if response.url.endswith("/robots.txt"):
            sitemaps = sitemap_urls_from_robots(response.body, base_url=response.url)
            for url in self._at_most_max_urls(sitemaps, response.url):
                yield response.follow(url, callback=self.parse_discovery, meta={"akhbar_hops": 0},
                                      errback=self.discovery_failed)
            return
        body = self._discovery_body(response)
        if body is None:
            return
        if _declares_entities(body):
            # Feeds and sitemaps need no entity of their own: declaring one is how entity
            # expansion ("billion laughs") and external entities (XXE) start. Nothing is read.
            self._unreadable(response, "it declares XML entities")
            return
        kind = _xml_kind(body)
        if kind in ("urlset", "sitemapindex"):
            stats.inc_value("akhbar/discovery/sitemaps")
            yield from self._sitemap_requests(response, body)
            return
        if kind in ("rss", "feed", "rdf:RDF"):
            stats.inc_value("akhbar/discovery/feeds")
            text = body.decode(response.encoding if hasattr(response, "encoding") else "utf-8", errors="replace")
            parser = _safe_xml_parser()
            try:
                root = etree.fromstring(text.strip().replace("\x00", "").encode("utf-8"), parser=parser)
            except etree.XMLSyntaxError:
                root = None
            if root is None:
                self._unreadable(response, "no XML element could be read")
                return
            sel = Selector(root=root, type="xml")
            sel.remove_namespaces()
            links = sel.xpath("//item/link/text() | //entry/link[not(@rel) or @rel='alternate']/@href"
                              " | //item[not(link)]/guid/text()").getall()
            if _stopped_by_parser_limit(parser.error_log):  # the links before that point are kept
                self._unreadable(response, "the XML parser stopped at one of its limits (nesting, size)")
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

    def _discovery_body(self, response: Response) -> bytes | None:
        """The document's bytes, gunzipped if they are gzip, within ``DOWNLOAD_MAXSIZE`` and
        warned about over ``DOWNLOAD_WARNSIZE`` as Scrapy's SitemapSpider does (a 100 KB archive
        can inflate to gigabytes). None, counted and logged, for an archive too large once
        decompressed or corrupt."""
        meta = _meta(response)
        max_size = meta.get("download_maxsize", self.settings.getint("DOWNLOAD_MAXSIZE"))
        warn_size = meta.get("download_warnsize", self.settings.getint("DOWNLOAD_WARNSIZE"))
        try:
            body = _maybe_gunzip(response.body, max_size=max_size)
        except _DecompressionMaxSizeExceeded:
            self.crawler.stats.inc_value("akhbar/discovery/too_large")
            self.logger.warning("Discovery document over DOWNLOAD_MAXSIZE (%d B) once decompressed, "
                                "dropped: %s", max_size, response.url)
            return None
        if body is None:
            self._unreadable(response, "a corrupt gzip archive")
            return None
        if len(response.body) < warn_size <= len(body):
            self.logger.warning("Discovery document of %d B once decompressed, over DOWNLOAD_WARNSIZE "
                                "(%d B): %s", len(body), warn_size, response.url)
        return body

    def _unreadable(self, response: Response, why: str) -> None:
        """A document that could not be read (safely): counted and logged once, by URL only
        (never its content, which may hold what an external entity pointed at)."""
        self.crawler.stats.inc_value("akhbar/discovery/unreadable")
        self.logger.warning("Discovery document not read (%s): %s", why, response.url)

    def _sitemap_requests(self, response: Response, body: bytes) -> Iterable[scrapy.Request]:
        """A sitemap's article requests, or a sitemap index's sitemap requests, one entry at a
        time. An index is followed only ``AKHBAR_SITEMAP_MAX_DEPTH`` levels below the first
        document: a chain of indexes that never ends (A -> B -> A?page=2 ...) stops there (the
        duplicate filter already stops an exact loop A -> B -> A)."""
        try:
            sitemap = Sitemap(body)
        except etree.LxmlError:
            self._unreadable(response, "no XML element could be read")
            return
        locs = self._sitemap_locs(response, sitemap)
        if sitemap.type != "sitemapindex":
            yield from self._route(locs, hops=0)
            return
        depth = _meta(response).get(_SITEMAP_DEPTH, 0)
        max_depth = self.settings.getint("AKHBAR_SITEMAP_MAX_DEPTH", _DEFAULT_SITEMAP_MAX_DEPTH)
        if depth >= max_depth:
            not_followed = sum(1 for _ in locs)
            if not_followed:
                self.crawler.stats.inc_value("akhbar/discovery/sitemap_depth_exceeded", not_followed)
                self.logger.warning("Sitemap index %d levels deep (AKHBAR_SITEMAP_MAX_DEPTH=%d): its %d "
                                    "sitemaps not followed: %s", depth, max_depth, not_followed, response.url)
            return
        for loc in locs:
            yield scrapy.Request(response.urljoin(loc), callback=self.parse_discovery,
                                 meta={"akhbar_hops": 0, _SITEMAP_DEPTH: depth + 1},
                                 errback=self.discovery_failed)

    def _sitemap_locs(self, response: Response, sitemap: Sitemap) -> Iterable[str]:
        """The ``<loc>`` of each entry, read one at a time and at most ``AKHBAR_SITEMAP_MAX_URLS``
        (a sitemap of a million URLs is never held as a list). A parse stopped by one of the XML
        parser's limits (nesting, entity amplification, a huge text) is counted as unreadable;
        the entries before that point are kept."""
        entries = (entry.get("loc", "").strip() for entry in sitemap)
        stopped = False
        try:
            yield from self._at_most_max_urls((loc for loc in entries if loc), response.url)
        except etree.LxmlError:
            stopped = True
        if stopped or _stopped_by_parser_limit(sitemap.xmliter.error_log):
            self._unreadable(response, "the XML parser stopped at one of its limits (nesting, size)")

    def _at_most_max_urls(self, urls: Iterable[str], source: str) -> Iterable[str]:
        """The first ``AKHBAR_SITEMAP_MAX_URLS`` of a document's URLs; a longer list is cut,
        counted once (``akhbar/discovery/sitemap_urls_cut``) and logged with the document's URL."""
        max_urls = self.settings.getint("AKHBAR_SITEMAP_MAX_URLS", _DEFAULT_SITEMAP_MAX_URLS)
        for count, url in enumerate(urls):
            if count == max_urls:
                self.crawler.stats.inc_value("akhbar/discovery/sitemap_urls_cut")
                self.logger.warning("Discovery document lists more than AKHBAR_SITEMAP_MAX_URLS=%d URLs, "
                                    "the rest ignored: %s", max_urls, source)
                return
            yield url

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
    raise SpiderArgumentError(f"-a {name}={value!r}: expected 1 or 0")


def _count(value: str, name: str) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        number = -1
    if number < 0:
        raise SpiderArgumentError(f"-a {name}={value!r}: expected a whole number, 0 or more")
    return number


def _parse_day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SpiderArgumentError(f"-a {name}={value!r}: expected a date as YYYY-MM-DD") from None


def _is_http_url(text: str) -> bool:
    try:
        parts = urlsplit(text)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # an invalid IPv6 host or port
        return False


def _other_spider(url: str, name: str) -> str:
    """Which spider to crawl a URL with, as the end of a sentence."""
    from akhbar import registry  # here: the registry imports the spiders, which import this module

    other = registry.spider_for_url(url)
    if other is not None and other.name != name:
        return f"; `scrapy crawl {other.name} -a urls=...` fetches it"
    return "; `scrapy crawl generic -a urls=...` reads a page of any outlet"


def _days(first: date, last: date) -> Iterable[date]:
    if last < first:
        raise SpiderArgumentError(f"-a until={last} is before -a since={first}")
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


# Discovery limits, read from the settings (akhbar/defaults.py documents them); these defaults
# apply to a crawler without the project's settings (tests, an embedding application).
_DEFAULT_SITEMAP_MAX_DEPTH = 3
_DEFAULT_SITEMAP_MAX_URLS = 50_000
_SITEMAP_DEPTH = "akhbar_sitemap_depth"  # request meta: sitemap indexes above this document
# What an XML discovery document starts with (after blanks); HTML pages are not XML here.
_XML_HEAD = re.compile(rb"<\?xml|<!DOCTYPE\s+(?!html\b)|<(?:[a-zA-Z0-9_-]+:)?(?:urlset|sitemapindex|rss|feed|RDF)\b",
                       re.IGNORECASE)
_DISCOVERY_ROOTS = {"urlset": "urlset", "sitemapindex": "sitemapindex", "rss": "rss", "feed": "feed",
                    "RDF": "rdf:RDF"}


def _maybe_gunzip(body: bytes, max_size: int = 0) -> bytes | None:
    """The body, gunzipped if it is a gzip archive; None for a corrupt archive. Raises
    ``_DecompressionMaxSizeExceeded`` as soon as more than ``max_size`` bytes come out
    (0: no limit), before the rest is inflated."""
    if body[:2] == b"\x1f\x8b":
        try:
            return gunzip(body, max_size=max_size)
        except _DecompressionMaxSizeExceeded:
            raise
        except Exception:  # a corrupt archive is just an unreadable document
            return None
    return body


def _safe_xml_parser() -> etree.XMLParser:
    """A parser of untrusted XML: no entity expanded, no DTD or external entity loaded, no
    network, and libxml2's limits on (256 levels of nesting, 10 MB per text: no huge_tree)."""
    return etree.XMLParser(recover=True, encoding="utf-8", resolve_entities=False, load_dtd=False,
                           no_network=True, huge_tree=False, remove_comments=True, remove_pis=True)


def _xml_root(body: bytes) -> etree._Element | None:
    """The root element of an XML document, read no further than its start tag (and the DTD
    before it, parsed but never loaded or expanded); None if there is none."""
    events = etree.iterparse(BytesIO(body), events=("start",), recover=True, resolve_entities=False,
                             load_dtd=False, no_network=True, huge_tree=False)
    try:
        _, root = next(events)
    except (StopIteration, etree.LxmlError):
        return None
    return root


def _looks_like_xml(body: bytes) -> bool:
    return _XML_HEAD.match(body[:2048].lstrip()) is not None


def _declares_entities(body: bytes) -> bool:
    """Whether an XML document declares entities (general or parameter) in its DTD."""
    if not _looks_like_xml(body):
        return False
    root = _xml_root(body)
    dtd = root.getroottree().docinfo.internalDTD if root is not None else None
    return dtd is not None and any(True for _ in dtd.iterentities())


def _stopped_by_parser_limit(error_log) -> bool:
    """Whether libxml2 gave up on a document at one of its limits: nesting depth, entity
    amplification, a text or name too long (it says ``XML_PARSE_HUGE`` for the older ones)."""
    return any(error.type_name == "ERR_RESOURCE_LIMIT" or "XML_PARSE_HUGE" in error.message
               or "amplification" in error.message for error in error_log)


def _xml_kind(body: bytes) -> str | None:
    """Which discovery document the body is, by its root element: ``urlset``, ``sitemapindex``,
    ``rss``, ``feed`` or ``rdf:RDF``; None for anything else (HTML)."""
    if not _looks_like_xml(body):
        return None
    match = _XML_ROOT.search(body[:4096])
    if match:
        return match.group(1).decode()
    root = _xml_root(body)  # a long prolog (comments, a DTD) before the root element
    return _DISCOVERY_ROOTS.get(etree.QName(root).localname) if root is not None else None
