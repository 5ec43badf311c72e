"""The generic spider: any outlet without a spider of its own.

    scrapy crawl generic -a urls=URL[,URL...]       # just these pages
    scrapy crawl generic -a feed=URL[,URL...]       # RSS / Atom feeds
    scrapy crawl generic -a sitemap=URL[,URL...]    # sitemaps or sitemap indexes (robots.txt too)

No article URL pattern is known, so every link a feed or sitemap gives on its own host is an
article candidate; pages that turn out not to be articles are dropped and counted
(``akhbar/dropped/<reason>``) like any other. Story-to-story links are not followed unless
``-a follow=N`` asks for it (every same-host link would be a candidate).

Extraction is the engine's, with ``body_strategy = "trafilatura"``: headline, dates, section,
authors, tags and images from JSON-LD / OpenGraph / meta tags, the body from trafilatura's main
text traced back to the page (``akhbar.extraction.maintext``), then the same Arabic text layer
as every outlet (agency/dateline lines, bylines, boilerplate, related lists by their headings).

Time zone: unknown. A metadata date with an offset (``2020-12-25T01:59:50+02:00``) gives the
page's zone, and a printed date is read on that clock; without one, dates are read as UTC
(``timezone = "UTC"``) - an assumption, so a printed date without zone on such a page may be
off by the outlet's offset.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from akhbar.extraction.config import PAGE_FURNITURE_IMAGE
from akhbar.outlet_memory import OutletMemory
from akhbar.spiders.base import NewsSpider


def _split(value: str | None) -> list[str]:
    return [u.strip() for u in (value or "").split(",") if u.strip()]


class GenericSpider(NewsSpider):
    name = "generic"
    timezone = "UTC"
    timezone_from_metadata = True
    body_strategy = "trafilatura"
    story_hops = 0
    # Boilerplate lines and the site's name in titles, learned from the crawl's own pages.
    learns_from_crawl = True
    # Related lists: same-host links that look like stories (an id, a dated or long slug path).
    # Last resort for the day of publication (no metadata, no printed date): a date in the path,
    # /2013/middle_east/8/3/..., /2020/12/25/...
    url_date = r"/(?P<y>(?:19|20)\d{2})/(?:[a-z_-]+/)?(?P<m>0?[1-9]|1[0-2])/(?P<d>0?[1-9]|[12]\d|3[01])/"
    image_url_exclude = PAGE_FURNITURE_IMAGE  # icons, arrows, spacers, social buttons (config.py)
    # Not stories: tag, keyword, topic and author pages, and the site's legal/contact pages.
    related_link = (r"(?i)^(?!.*(?:/tags?/|[?&]tags?=|/keywords?/|/topics?/|/authors?/|/writers?/"
                    r"|/(?:privacy|terms|about|contact|advertise)[^/]*$))"
                    r"(?:.*\d{4,}|.*/[^/?]*[-_.][^/?]*[-_.][^/?]*[-_.][^/?]*/?(?:$|\?)|.*\.html?(?:$|\?))")

    selectors: dict = {}  # none: every field comes from metadata and the class-independent reading

    def __init__(self, *args: Any, feed: str | None = None, sitemap: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.feeds = _split(feed)
        self.sitemaps = _split(sitemap)
        sources = [*self.article_urls, *self.feeds, *self.sitemaps]
        if not sources:
            raise ValueError("the generic spider needs -a urls=URL[,URL...], -a feed=URL or -a sitemap=URL")
        hosts = {(urlsplit(u).hostname or "").lower() for u in sources} - {""}
        self.allowed_domains = sorted(hosts)
        self.outlet_memory = OutletMemory()  # one per crawl: it learns from every page

    def is_article_url(self, url: str) -> bool:  # an instance's hosts, not a class's pattern
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not self.owns_domain(parts.hostname or ""):
            return False
        return not re.search(r"\.(?:xml|rss|jpe?g|png|gif|webp|pdf|mp[34]|zip|css|js)$", parts.path, re.I)

    def owns_domain(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return any(host == d for d in self.allowed_domains)
