"""Discovery: the documents that lead to articles, read without letting them cost more than the
settings allow.

Sources, in order of use:
- ``-a urls=URL[,URL...]``: just these article pages;
- ``-a since=YYYY-MM-DD [-a until=YYYY-MM-DD]``: the outlet's daily sitemaps (backfill);
- otherwise the outlet's feeds, sitemaps and listing pages (home, sections).
Every discovered link is routed (akhbar.spiders.routing): only article URLs are fetched.
"""

from __future__ import annotations

from datetime import date
from typing import Iterable

import scrapy
from lxml import etree
from parsel import Selector
from scrapy.http import Response
from scrapy.utils._compression import _DecompressionMaxSizeExceeded  # what SitemapSpider catches
from scrapy.utils.response import get_base_url
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from akhbar.extraction.dom import page_tree
from akhbar.extraction.links import page_joiner
from akhbar.spiders.arguments import backfill_days
from akhbar.spiders.discovery_documents import (declares_entities, maybe_gunzip, safe_xml_parser,
                                                stopped_by_parser_limit, xml_kind)
from akhbar.spiders.request_meta import BACKFILL_DAY, request_meta

# Discovery limits, read from the settings (akhbar/defaults.py documents them); these defaults
# apply to a crawler without the project's settings (tests, an embedding application).
_DEFAULT_SITEMAP_MAX_DEPTH = 3
_DEFAULT_SITEMAP_MAX_URLS = 50_000
_SITEMAP_DEPTH = "akhbar_sitemap_depth"  # request meta: sitemap indexes above this document


class DiscoveryMixin:
    """Part of ``NewsSpider``: its start requests and the reading of feeds, sitemaps,
    robots.txt and listing pages."""

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
            for day in backfill_days(self.since, self.until or date.today()):
                url = self.daily_sitemap.format(y=day.year, m=day.month, d=day.day)
                yield scrapy.Request(url, callback=self.parse_discovery,
                                     meta={"akhbar_hops": 0, BACKFILL_DAY: day.isoformat()},
                                     errback=self.discovery_failed)
            return
        for url in [*self.feeds, *self.sitemaps, *self.listing_pages]:
            yield scrapy.Request(url, callback=self.parse_discovery, meta={"akhbar_hops": 0},
                                 errback=self.discovery_failed)

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
        if declares_entities(body):
            # Feeds and sitemaps need no entity of their own: declaring one is how entity
            # expansion ("billion laughs") and external entities (XXE) start. Nothing is read.
            self._unreadable(response, "it declares XML entities")
            return
        kind = xml_kind(body)
        if kind in ("urlset", "sitemapindex"):
            stats.inc_value("akhbar/discovery/sitemaps")
            yield from self._sitemap_requests(response, body)
            return
        if kind in ("rss", "feed", "rdf:RDF"):
            stats.inc_value("akhbar/discovery/feeds")
            text = body.decode(response.encoding if hasattr(response, "encoding") else "utf-8", errors="replace")
            parser = safe_xml_parser()
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
            if stopped_by_parser_limit(parser.error_log):  # the links before that point are kept
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
                if request_meta(response).get("akhbar_listing_depth", 0) < 1:
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
        meta = request_meta(response)
        max_size = meta.get("download_maxsize", self.settings.getint("DOWNLOAD_MAXSIZE"))
        warn_size = meta.get("download_warnsize", self.settings.getint("DOWNLOAD_WARNSIZE"))
        try:
            body = maybe_gunzip(response.body, max_size=max_size)
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
        depth = request_meta(response).get(_SITEMAP_DEPTH, 0)
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
        if stopped or stopped_by_parser_limit(sitemap.xmliter.error_log):
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
