"""Which URL is what: an article of the outlet (fetched, with its redirects followed here), a
section page, another outlet's page; and the one place article requests are made."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Iterable
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response
from w3lib.url import safe_url_string

from akhbar.extraction.links import url_test
from akhbar.rendering import render_meta
from akhbar.spiders.request_meta import request_meta
from akhbar.urls import strip_tracking

# The statuses of an article's redirect, followed by ``RoutingMixin._article_redirect``.
REDIRECT_STATUSES = (301, 302, 303, 307, 308)


class RoutingMixin:
    """Part of ``NewsSpider``: its URL tests (from ``allowed_domains``, ``article_url`` and
    ``section_url``) and its article requests."""

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
        if getattr(cls.owns_domain, "__func__", None) is not RoutingMixin.owns_domain.__func__:
            return None
        return url_test(tuple(cls.allowed_domains), pattern)

    def _is_section_url(self, url: str) -> bool:
        parts = urlsplit(url)
        return self.owns_domain(parts.hostname or "") and re.search(self.section_url, parts.path) is not None

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
                "handle_httpstatus_list": list(REDIRECT_STATUSES), **render_meta(self, clean)}
        return scrapy.Request(clean, callback=self.parse_article, errback=self.article_failed, meta=meta)

    def _article_redirect(self, response: Response) -> Iterable[scrapy.Request]:
        meta = request_meta(response)
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
