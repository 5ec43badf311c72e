"""extract_article: one HTML response + an outlet's declarations -> a complete Article.

Each field is read by a chain of readers, the first non-empty answer wins (``first``): the
outlet's own selectors, then the page's metadata (JSON-LD, OpenGraph, itemprop, meta tags), then
the class-independent reading (``reading.py``: headline, section, tags, lead image; ``maintext.py``
and ``structure.py``: the body; ``edges.py``: the date, byline and source lines at the story's
edges and around its headline). Which link answered is recorded per field (``Extracted.sources``);
a field the outlet declares selectors for that another link gave is a fallback
(``Extracted.fallbacks``: counted by the spider, judged by ``akhbar.coverage``).

The page is parsed once (``dom.page_tree``: the tree Scrapy's selector would make); metadata
(meta tags, JSON-LD) is read in one pass, selectors are evaluated once each (``selecting.py``),
and the related-list finder reads only what it needs (``related.py``).
Nothing here is outlet-specific: outlets declare (see ``config.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dataclass_field
from datetime import date, datetime, timezone as dt_timezone
from urllib.parse import urljoin, urlsplit

from scrapy.http import HtmlResponse, TextResponse

from akhbar.extraction.config import DEFAULT_BODY, DEFAULT_IMAGE_CAPTION, PAGE_FURNITURE_IMAGE, ExtractionConfig
from akhbar.extraction.reading import (page_site_names, picture_key, read_headline, read_lead_image, read_section,
                                       read_tag_links, read_tag_metadata)
from akhbar.extraction.structure import caption_of, inline_cards
from akhbar.extraction.edges import (StoryEdges, header_author_links, header_bylines, header_dates, header_lines,
                                     strip_edges)
from akhbar.extraction.guards import better_encoding, byte_problem, is_soft_404
from akhbar.extraction.dom import BLOCK, iter_ancestors, page_tree, paragraphs, text_of, text_within, value_of
from akhbar.extraction.metadata import PageMeta, ld_images, ld_people, ld_text, read_meta
from akhbar.extraction.links import http_parts, page_joiner
from akhbar.extraction.related import find_related
from akhbar.extraction.selecting import select, select_union
from akhbar.items import Article, complete
from akhbar.loaders import ArticleLoader
from akhbar.text.lines import byline_line, date_line
from akhbar.outlets import outlet_for_host, site_names
from akhbar.text import (clean_text, parse_byline, parse_closing, parse_date, parse_metadata_date,
                         parse_opening, parse_source)


# The links of a field's reader chain, in the order they are tried.
SELECTOR = "selector"  # the outlet's own selectors (or its per-field method)
METADATA = "metadata"  # JSON-LD, OpenGraph, itemprop, meta tags
READING = "reading"  # the class-independent reading of the page (structure, text shape)

# The selector keys (config.py) whose miss makes a field a fallback when another link gives it.
FIELD_SELECTORS = {
    "headline": ("headline",), "subheadline": ("subheadline",), "section": ("section",),
    "published_at_raw": ("published_at",), "published_at": ("published_meta",), "authors": ("byline",),
    "body": ("body",), "images": ("lead_image",), "tags": ("tags",), "related": ("related_heading",),
}


class NotAnArticle(Exception):
    """The page cannot be an article (``reason`` names why; counted as akhbar/dropped/<reason>)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Extracted:
    """An extracted page: the item, which link of each field's reader chain gave it
    (``sources``: field -> SELECTOR / METADATA / READING) and the fields the outlet's selectors
    no longer give (``fallbacks``: counted as ``akhbar/fallback/<field>``, judged by the drift
    check in ``akhbar.coverage``)."""

    item: Article
    sources: dict = dataclass_field(default_factory=dict)
    fallbacks: tuple = ()


def extract_article(response, spider) -> Article:
    """The Article of an HTML page (``extract(...).item``), as the spider's callback reads it,
    before the item pipelines (``scrapy extract`` runs those too). ``NotAnArticle`` for a page
    that cannot be an article. ``spider``: a spider class or instance (its declarative attributes).

    A saved page is read as any response: ``HtmlResponse(url, body=Path("page.html").read_bytes())``.

    >>> from scrapy.http import HtmlResponse
    >>> from akhbar.spiders.base import NewsSpider
    >>> class NileTodaySpider(NewsSpider):
    ...     name = "nile_today"
    ...     allowed_domains = ["nile-today.example"]
    ...     timezone = "Africa/Cairo"
    ...     selectors = {"headline": "h1.story-title", "published_at": "time.story-date",
    ...                  "byline": "span.story-author", "body": "div.story-text"}
    >>> page = '''<html lang="ar"><head><meta charset="utf-8"><title>النيل اليوم</title></head><body>
    ... <h1 class="story-title">ارتفاع صادرات القطن المصري</h1>
    ... <span class="story-author">كتب أحمد سمير</span>
    ... <time class="story-date">الأحد، 12 يناير 2025 09:30 ص</time>
    ... <div class="story-text">
    ... <p>القاهرة - (أ ش أ) - ارتفعت صادرات القطن خلال الموسم الحالي بنسبة كبيرة مقارنة بالموسم الماضي.</p>
    ... <p>وقال رئيس الاتحاد إن الطلب الخارجي زاد في الأشهر الأخيرة.</p>
    ... </div></body></html>'''
    >>> response = HtmlResponse("https://nile-today.example/news/2025/01/12/1043", body=page, encoding="utf-8")
    >>> item = extract_article(response, NileTodaySpider)
    >>> item["headline"], item["authors"], item["agencies"], item["dateline"], item["published_at"]
    ('ارتفاع صادرات القطن المصري', ['أحمد سمير'], ['MENA'], 'القاهرة', '2025-01-12T09:30:00+02:00')
    >>> item["body"]
    ['ارتفعت صادرات القطن خلال الموسم الحالي بنسبة كبيرة مقارنة بالموسم الماضي.', 'وقال رئيس الاتحاد إن الطلب الخارجي زاد في الأشهر الأخيرة.']
    """
    return extract(response, spider).item


def extract(response, spider) -> Extracted:
    problem = byte_problem(response.body)  # empty_page, not_html (binary served as text/html)
    if problem:
        raise NotAnArticle(problem)
    if isinstance(response, TextResponse):
        encoding = better_encoding(response)  # a lying or missing charset (guards.py)
        if encoding:
            response = response.replace(encoding=encoding)
    if not isinstance(response, TextResponse):
        raise NotAnArticle("not_html")
    if not isinstance(response, HtmlResponse):
        head = response.body[:1024].lstrip().lower()
        if not (head.startswith(b"<!doctype html") or b"<html" in head):
            raise NotAnArticle("not_html")
    try:
        root = page_tree(response).root  # parsed once; its node objects kept for every walk below
    except Exception:  # noqa: BLE001 - an unparsable document is not an article
        raise NotAnArticle("not_html") from None
    if root is None or not isinstance(getattr(root, "tag", None), str):
        raise NotAnArticle("not_html")
    if is_soft_404(root):
        raise NotAnArticle("soft_404")
    extraction = _Extraction(response, spider, ExtractionConfig.of(spider))
    item = extraction.run()
    return Extracted(item, dict(extraction.sources), tuple(extraction.fallbacks()))


class _Extraction:
    def __init__(self, response, spider, config: ExtractionConfig):
        self.response = response
        self.spider = spider
        self.config = config
        self.page = page_tree(response)
        self.root = self.page.root
        self.base = self._base_url()
        self._host = urlsplit(response.url).hostname or ""
        self.meta: PageMeta = read_meta(self.root)
        self._skip_sets: dict = {}  # id(container) -> (container, used, skip, captions)
        self._found: dict = {}  # selector key -> what found() found
        self._texts: dict = {}  # selector key -> what texts() read
        self.sources: dict[str, str] = {}  # field -> the link of its reader chain that answered
        self._related_found = None  # the related lists, found once (bylines and body ask)
        self._site_name_keys = None  # the outlet's own names, read once (see _site_names)
        self.edges = StoryEdges()  # the dates, bylines and source lines at the story's edges
        self._loaded: dict = {}  # headline and kicker as loaded (repeated at the body's top: dropped)
        self._header = None  # the short texts around the headline (_header_lines)

    # --- helpers --------------------------------------------------------------------
    def _base_url(self) -> str:
        for el in self.root.iter("base"):  # the first of //head/base/@href
            parent = el.getparent()
            href = el.get("href")
            if href is not None and parent is not None and parent.tag == "head":
                return urljoin(self.response.url, href.strip())
        return self.response.url

    def absolute(self, url: str | None) -> str | None:
        if not url:
            return None
        url = url.strip()
        if not url or url.startswith("data:"):
            return None
        return urljoin(self.base, url)

    def found(self, key: str) -> list:
        """What the first selector of ``key`` that finds anything finds (elements: even empty)."""
        cached = self._found.get(key)
        if cached is None:
            cached = self._found[key] = self._find(key)
        return list(cached)

    def _find(self, key: str) -> list:
        for selector in self.config.selectors.get(key, ()):
            items = select(self.root, selector, self.page)
            if items:
                return list(items)
        return []

    def texts(self, key: str) -> list[str]:
        """The non-empty cleaned texts the first selector of ``key`` with any text finds (each
        key's selectors evaluated once per page: the dates and the body ask again)."""
        cached = self._texts.get(key)
        if cached is None:
            cached = self._texts[key] = self._find_texts(key)
        return list(cached)

    def _find_texts(self, key: str) -> list[str]:
        for selector in self.config.selectors.get(key, ()):
            texts = [t for t in (clean_text(value_of(i)) for i in select(self.root, selector, self.page)) if t]
            if texts:
                return texts
        return []

    def text(self, key: str) -> str | None:
        texts = self.texts(key)
        return texts[0] if texts else None

    # --- the reader chain ---------------------------------------------------------------
    def first(self, field: str, *links) -> object:
        """The first non-empty answer of a field's reader chain: ``links`` are (source, reader)
        pairs tried in order (the outlet's selectors, then metadata, then the class-independent
        reading); which one answered is recorded in ``sources``."""
        for source, read in links:
            value = read()
            if value:
                self.sources[field] = source
                return value
        return None

    def fallbacks(self) -> list[str]:
        """The fields the outlet declares selectors for that another link of the chain gave:
        its selectors no longer match this page (a redesign), the data still came through."""
        declared = self.config.selectors
        return [field for field, source in self.sources.items()
                if source != SELECTOR and any(declared.get(key) for key in FIELD_SELECTORS.get(field, ()))]

    # --- the article -----------------------------------------------------------------
    def run(self) -> Article:
        c, meta = self.config, self.meta
        loader = ArticleLoader(item=Article())
        url = self.response.url
        loader.add_value("url", url)
        canonical = self.absolute(meta.canonical or meta.first("og:url"))
        loader.add_value("canonical_url", canonical)
        loader.add_value("outlet", c.name)
        loader.add_value("language", "ar")

        headline = self.first(
            "headline",
            (SELECTOR, lambda: self.text("headline")),
            # the h1 the metadata title agrees with, else that title without the site's name
            (METADATA, lambda: read_headline(self, self._printed_site_names())),
            (READING, self._h1))
        if headline is None and not meta.jsonld and (meta.first("og:type") or "").lower() not in (
                "article", "news", "newsarticle"):
            body_present = bool(self.found("body"))
            if not body_present:
                raise NotAnArticle("no_article_markup")
        memory = self._memory()
        if memory is not None and headline and self.sources.get("headline") == METADATA:
            headline = memory.strip_site_name(self._host, headline)  # the site name this crawl learned
        loader.add_value("headline", headline)
        subheadline = self.first("subheadline", (SELECTOR, lambda: self.text("subheadline")),
                                 (READING, self._read_subheadline))
        loader.add_value("subheadline", subheadline)
        self._loaded = {"headline": clean_text(headline) if headline else None,
                        "subheadline": clean_text(subheadline) if subheadline else None}
        loader.add_value("section", self.first(
            "section",
            (SELECTOR, lambda: self.text("section")),
            # the breadcrumb the page shows (and its BreadcrumbList) before articleSection, which
            # some CMSs fill with another category than the one the page files the story under
            (READING, lambda: read_section(self)),
            (METADATA, lambda: ld_text(meta.ld("articleSection")) or meta.first("article:section"))))

        related = self._related()
        containers, body, attribution = self._read_body(related.used)  # its edges feed the readers below

        raw, published, modified = self._dates()
        loader.add_value("published_at_raw", raw)
        loader.add_value("published_at", published)
        loader.add_value("modified_at", modified)

        authors, agencies, agency_raw, byline_place = self._bylines()
        for source in self.edges.sources:  # "المصدر:" / "(أبوظبي - البيان)" above the story
            agencies.extend(a for a in source.agencies if a not in agencies)
            byline_place = byline_place or source.dateline
        dateline = None
        for attr in attribution:
            agencies.extend(a for a in attr.agencies if a not in agencies)
            agency_raw = agency_raw or attr.agency_raw
            dateline = dateline or attr.dateline

        loader.add_value("authors", authors)
        loader.add_value("agencies", agencies)
        loader.add_value("agency_raw", agency_raw)
        loader.add_value("dateline", dateline or byline_place)
        loader.add_value("body", body)
        loader.add_value("images", self._images(containers, related.used))
        loader.add_value("tags", self.first(
            "tags",
            (SELECTOR, lambda: self.texts("tags")),
            # the tag links the page shows before its keyword metadata (often the SEO list)
            (READING, lambda: read_tag_links(self)),
            (METADATA, lambda: read_tag_metadata(self))))
        loader.add_value("related", related.related)
        loader.add_value("scraped_at", datetime.now(dt_timezone.utc).isoformat(timespec="seconds"))
        item = loader.load_item()
        return complete(item)

    def _read_body(self, used: set) -> tuple[list, list[str], list]:
        """(containers of the body's images, paragraphs, opening/closing attributions).

        The chain: the outlet's ``body`` containers; then the main text read without selectors
        (``maintext``: trafilatura's lines traced back to the page, captions, link lists, share
        bars and comment zones dropped by their structure); then the page's declared article body
        (``itemprop=articleBody``, common CMS containers), read whole. The declared container
        comes last because pages mark it loosely: it often holds the share bar and captions and
        leaves the lead out. A spider whose selectors no longer match still gives the body.
        """
        if self.config.body_strategy == "trafilatura":
            return self._main_text_body(used)
        found = self.found("body")
        if found:
            containers = _outermost([i for i in found if _is_element(i)])
            body, attribution = self._body(containers, used)
            if body:
                self.sources["body"] = SELECTOR
                return containers, body, attribution
        try:
            containers, body, attribution = self._main_text_body(used)
        except NotAnArticle:  # no main text: the declared container, else an empty body (no_body)
            containers, body, attribution = [], [], []
        if body:
            return containers, body, attribution
        declared = _outermost([i for i in self._default_body() if _is_element(i)])
        body, attribution = self._body(declared, used)
        if body:
            self.sources["body"] = METADATA
        return declared, body, attribution

    def _main_text_body(self, used: set) -> tuple[list, list[str], list]:
        from akhbar.extraction.maintext import main_text  # trafilatura is imported on first use

        containers, raw_body = main_text(self, used)
        body, attribution = self._body(containers, used, raw_body)
        if body:
            self.sources["body"] = READING
        return containers, body, attribution

    def _headline_element(self):
        """The article's h1: the one whose text is the headline, else the first one."""
        headline = self._loaded.get("headline")
        first = None
        for h1 in self.root.iter("h1"):
            first = first if first is not None else h1
            if headline and clean_text(text_of(h1)) == headline:
                return h1
        return first

    def _header_lines(self) -> list[str]:
        """The short texts around the headline (``edges.header_lines``), read once."""
        if self._header is None:
            used = self._related().used
            self._header = header_lines(self.page.nodes, self.page.order, self._headline_element(),
                                        lambda el: el in used, clean_text, text_within)
        return self._header

    def _read_date_line(self, pub_meta: str | None, tz: str):
        """The printed date read by its shape: of the date lines at the story's edges, then
        around the headline, the first that agrees with the page's metadata date (the same
        minute on either clock the metadata may mean; else the same day, a whole number of hours
        off: a clock printed in another zone); without metadata, the first one."""
        candidates = [*self.edges.dates, *header_dates(self._header_lines(), tz)]
        if not candidates or not pub_meta:
            return candidates[0] if candidates else None
        readings = [r for r in (_safe(parse_metadata_date, pub_meta, tz, clock_is_local=local)
                                for local in (False, True)) if r is not None]
        if not readings:
            return candidates[0]
        for line in candidates:
            stamp = line.published or line.modified
            if stamp is not None and any(_agree(r, stamp.value, hours_off=False) for r in readings):
                return line
        for line in candidates:
            stamp = line.published or line.modified
            if stamp is not None and any(_agree(r, stamp.value, hours_off=True) for r in readings):
                return line
        return None

    def _h1(self) -> str | None:
        """The text of the page's headline element: of its ``h1`` elements, the one the metadata
        title contains (or that contains it), else the first that is not the outlet's name (a
        logo's ``h1``)."""
        titles = [clean_text(t) for t in (ld_text(self.meta.ld("headline")), self.meta.first("og:title", "twitter:title"),
                                          self._title()) if t]
        texts = [t for t in (clean_text(text_of(h1)) for h1 in self.root.iter("h1")) if t]
        for text in texts:
            if any(text in title or title in text for title in titles):
                return text
        return next((t for t in texts if not self._is_outlet_name(t)), None)

    def _read_subheadline(self) -> str | None:
        """A kicker or sub-title: a heading element (h2-h6) standing right before or after the
        headline's ``h1``, short, neither a link nor a date or byline."""
        h1 = self._headline_element()
        if h1 is None:
            return None
        for sibling in (h1.getprevious(), h1.getnext()):
            while sibling is not None and not isinstance(sibling.tag, str):
                sibling = sibling.getprevious() if sibling is h1.getprevious() else sibling.getnext()
            if sibling is None or sibling.tag not in _SUBHEADING_TAGS or sibling.find(".//a") is not None:
                continue
            text = clean_text(text_of(sibling))
            if text and len(text) <= _SUBHEADLINE_MAX_CHARS and byline_line(text) is None \
                    and date_line(text, self._timezone()) is None:
                return text
        return None

    def _title(self) -> str | None:
        for title in self.root.iter("title"):
            return text_of(title)
        return None

    def _default_body(self) -> list:
        for selector in DEFAULT_BODY:
            found = select(self.root, selector, self.page)
            if found:
                return list(found)
        return []

    # --- dates -------------------------------------------------------------------------
    def _dates(self) -> tuple[str | None, str | None, str | None]:
        c, meta = self.config, self.meta
        tz = self._timezone()
        raw = self.text("published_at")
        if raw:
            self.sources["published_at_raw"] = SELECTOR
        printed = _safe(parse_date, raw, tz) if raw else None
        printed_update = None
        if c.printed_date_is_update:  # the printed stamp is the last update, not the publication
            printed_update, printed = printed, None
        own_meta = self.text("published_meta")  # the outlet's own selector of the machine date
        pub_meta = (own_meta or ld_text(meta.ld("datePublished"))
                    or meta.first("article:published_time", "datepublished", "pubdate", "publishdate",
                                  "date", "dc.date.issued", "sailthru.date"))
        mod_meta = (self.text("modified_meta") or ld_text(meta.ld("dateModified"))
                    or meta.first("article:modified_time", "og:updated_time", "datemodified", "lastmod",
                                  "last-modified"))
        read = None  # a date line read by its shape, when no selector gives the printed date
        if not raw:
            read = self._read_date_line(pub_meta, tz)
            if read is not None:
                raw = read.stamps[0].raw if len(read.stamps) == 1 else read.text
                printed = read.published.value if read.published else None
                printed_update = read.modified.value if read.modified else None
                self.sources["published_at_raw"] = READING
        local = c.metadata_clock_is_local
        stamp = printed or printed_update
        if local is None and stamp is not None and stamp.has_time and pub_meta:
            # Infer how the outlet writes its metadata clock from the printed date.
            for candidate in (False, True):
                reading = _safe(parse_metadata_date, pub_meta, tz, clock_is_local=candidate)
                if reading is not None and _same_minute(reading, stamp):
                    local = candidate
                    break
        local = bool(local)
        meta_pub = _safe(parse_metadata_date, pub_meta, tz, clock_is_local=local) if pub_meta else None
        if read is not None and meta_pub is not None and printed is not None and not _same_minute(meta_pub, printed):
            printed = None  # a clock in another zone (whole hours off): the metadata gives the instant
        if printed is not None:
            if printed.has_time and meta_pub is not None and meta_pub.has_time \
                    and _same_minute(meta_pub, printed):
                published = meta_pub.isoformat()  # same clock, with the seconds of the metadata
            elif not printed.has_time and meta_pub is not None and meta_pub.has_time \
                    and _same_day(meta_pub, printed):
                published = meta_pub.isoformat()
            elif c.metadata_date_wins and meta_pub is not None and meta_pub.has_time:
                published = meta_pub.isoformat()
            else:
                published = printed.isoformat()
        else:
            published = meta_pub.isoformat() if meta_pub is not None else None
        if published is not None:
            self.sources["published_at"] = (READING if read is not None and printed is not None else
                                             SELECTOR if printed is not None or own_meta else METADATA)
        elif c.url_date:
            published = self._url_date()
            if published:
                self.sources["published_at"] = READING
        modified = None
        raw_mod = self.text("modified_at")
        printed_mod = _safe(parse_date, raw_mod, tz) if raw_mod else printed_update
        meta_mod = _safe(parse_metadata_date, mod_meta, tz, clock_is_local=local) if mod_meta else None
        if printed_mod is not None:
            modified = (meta_mod.isoformat() if meta_mod is not None and printed_mod.has_time
                        and _same_minute(meta_mod, printed_mod) else printed_mod.isoformat())
        elif meta_mod is not None:
            modified = meta_mod.isoformat()
        return raw, published, modified

    def _timezone(self) -> str:
        """The outlet's zone. With ``timezone_from_metadata`` (an outlet without a spider): the
        zone of its newsroom in the registry of Arabic outlets (``akhbar.outlets``), else the
        offset the page's metadata publication date states (as an ``Etc/GMT`` zone; whole hours
        only), else ``timezone``."""
        c, meta = self.config, self.meta
        if not c.timezone_from_metadata:
            return c.timezone
        outlet = outlet_for_host(urlsplit(self.response.url).hostname or "")
        if outlet is not None:
            return outlet.timezone
        value = (self.text("published_meta") or ld_text(meta.ld("datePublished"))
                 or meta.first("article:published_time", "datepublished", "pubdate", "publishdate",
                               "date", "dc.date.issued", "sailthru.date")) or ""
        m = _ISO_OFFSET.search(value.strip())
        if m is None or m["om"] not in (None, "00"):
            return c.timezone
        hours = int(m["oh"])
        if hours == 0 or hours > 14:
            return "UTC" if hours == 0 else c.timezone
        return f"Etc/GMT{'-' if m['sign'] == '+' else '+'}{hours}"  # Etc/GMT-2 is UTC+02:00

    def _url_date(self) -> str | None:
        m = re.search(self.config.url_date, urlsplit(self.response.url).path)
        if m is None:
            return None
        try:
            return date(int(m["y"]), int(m["m"]), int(m["d"])).isoformat()
        except (ValueError, IndexError):
            return None

    # --- bylines -------------------------------------------------------------------------
    def _bylines(self) -> tuple[list[str], list[str], str | None, str | None]:
        """Authors (person names), agencies and a filing place from the byline(s).

        An agency in a byline (``كتب ... (أ ش أ)``, ``رويترز``) goes to agencies, never to authors;
        a place after the name (``حسام أبو العلا - القاهرة``) is a dateline fallback.
        The byline texts: the outlet's ``byline`` selectors, else the page's metadata about this
        article (JSON-LD author persons, ``<meta name=author>``, ``itemprop=author`` persons),
        else the class-independent reading (``rel=author`` links outside link lists).
        """
        authors: list[str] = []
        agencies: list[str] = []
        agency_raw = dateline = None
        texts = self.first("authors", (SELECTOR, lambda: self.texts("byline")),
                           (METADATA, self._metadata_bylines), (READING, self._read_bylines)) or []
        for text in texts:
            for name in parse_byline(text) or ():
                if name not in authors:
                    authors.append(name)
            source = parse_source(text)
            if source is not None:
                agencies.extend(a for a in source.agencies if a not in agencies)
                agency_raw = agency_raw or source.agency_raw
                if source.dateline and source.dateline not in authors:
                    dateline = dateline or source.dateline
        kept = []
        for name in authors:  # an agency named as an author is an agency
            if self._is_outlet_name(name):
                continue  # the outlet itself ("أبوظبي - البيان") is not a person
            source = parse_source(name)
            if source is not None and source.agencies and not (source.remainder or "").strip():
                agencies.extend(a for a in source.agencies if a not in agencies)
                agency_raw = agency_raw or source.agency_raw
            else:
                kept.append(name)
        return kept, agencies, agency_raw, dateline

    def _metadata_bylines(self) -> list[str]:
        """The byline as the page's metadata states it: JSON-LD author persons, else
        ``<meta name=author>``, else ``itemprop=author`` persons (organisations are no authors)."""
        people = [p for p in ld_people(self.meta.ld("author")) if not self._is_outlet_name(p)]
        if people:
            return people
        author = self.meta.first("author")
        if author and not self._is_outlet_name(author):  # many CMSs put the site's name there
            return [author]
        names = []
        for el in self.root.iterfind(".//*[@itemprop='author']"):
            if "organization" in (el.get("itemtype") or "").lower():
                continue
            named = el.find(".//*[@itemprop='name']")
            text = clean_text(named.get("content") or text_of(named) if named is not None else text_of(el))
            if text and text not in names:
                names.append(text)
        return names

    def _read_bylines(self) -> list[str]:
        """Byline lines at the story's edges (``كتبت أسماء نصار``) or around the headline, else
        links to author pages around the headline, else author links (``rel=author``) that are
        not part of a list of other stories."""
        if self.edges.bylines:
            return list(self.edges.bylines)
        found = header_bylines(self._header_lines())
        if found:
            return found
        used = self._related().used
        found = header_author_links(self.page.nodes, self.page.order, self._headline_element(),
                                    lambda el: el in used, clean_text, text_of)
        if found:
            return found
        names = []
        for a in self.root.iterfind(".//a[@rel]"):
            if "author" not in a.get("rel", "").lower().split():
                continue
            if a in used or any(anc in used for anc in a.iterancestors()):
                continue  # a columnists' widget, a related card
            text = clean_text(text_of(a))
            if text and text not in names:
                names.append(text)
        return names

    def _printed_site_names(self) -> list[str]:
        """The outlet's names as printed (the registry's, ``og:site_name``, declared)."""
        names = [*site_names(self._host), *self.config.outlet_names]
        site = self.meta.first("og:site_name")
        return [*names, site] if site else names

    def _is_outlet_name(self, name: str) -> bool:
        """The outlet's own name (``LBCI``, ``akhbarelyom``): never a person."""
        key = " ".join(name.split()).casefold()
        return bool(key) and any(key == site or site.startswith(key + " ") for site in self._site_names())

    def _site_names(self) -> set[str]:
        """The outlet's names, casefolded: declared ``outlet_names``, the names the page gives
        itself (``reading.page_site_names``), the registry's, and the host's labels
        (``akhbarelyom`` of akhbarelyom.com)."""
        if self._site_name_keys is None:
            names = page_site_names(self, self.config.outlet_names)
            host = urlsplit(self.response.url).hostname or ""
            names.extend(host.split("."))
            names.extend(site_names(host))  # the registry of Arabic outlets
            self._site_name_keys = {" ".join(n.split()).casefold() for n in names if n and n.strip()}
        return self._site_name_keys

    # --- related lists ---------------------------------------------------------------------
    def _related(self):
        if self._related_found is None:
            self._related_found = self._find_related()
        return self._related_found

    def _find_related(self):
        c = self.config
        pattern = re.compile(c.related_link or c.article_url) if (c.related_link or c.article_url) else None
        answers: dict[str, bool] = {}  # a page links the same story several times (image, title)
        test = self._related_url_test(pattern)

        def is_related_url(url: str) -> bool:
            answer = answers.get(url)
            if answer is None:
                answer = answers[url] = test(url)
            return answer

        exclude = set(e for e in select_union(self.root, list(c.related_exclude), self.page) if _is_element(e))
        self_urls = {self.response.url.split("#")[0]}
        if self.meta.canonical:
            self_urls.add(urljoin(self.base, self.meta.canonical).split("#")[0])
        cards = set()
        for selector in c.selectors.get("related_card", ()):
            cards.update(e for e in select(self.root, selector, self.page) if _is_element(e))
        if not cards:  # none declared, or the declared ones are gone: the story's inline cards
            cards = inline_cards(self.root)
        declared = None  # the outlet's list headings, if it declares them: then only those
        if c.selectors.get("related_heading"):
            declared = set()
            for selector in c.selectors["related_heading"]:
                declared.update(e for e in select(self.root, selector, self.page) if _is_element(e))
            if declared:
                self.sources["related"] = SELECTOR
            else:
                declared = None  # the declared headings are gone (a redesign): found by their shape
                self.sources["related"] = READING
        return find_related(self.root, self.base, self_urls, is_related_url, exclude, clean_text,
                            max_chars=c.related_heading_max_chars, max_levels=c.related_heading_levels,
                            cards=cards, headings=declared, join=page_joiner(self.response),
                            nodes=self.page.nodes, order=self.page.order)

    def _related_url_test(self, pattern):
        """A story link's URL: http(s), on the spider's domains (else the page's host), its path
        matching ``related_link`` (else ``article_url``)."""
        if pattern is None:
            return lambda url: False
        url_test = getattr(self.spider, "url_test", None)
        if url_test is not None and getattr(self.spider, "allowed_domains", None):
            test = url_test(pattern.pattern)  # the spider's domains, one compiled test
            if test is not None:
                return test
        owns = getattr(self.spider, "owns_domain", None)
        page_host = urlsplit(self.response.url).hostname or ""

        def test(url: str) -> bool:
            scheme, host, path, query = http_parts(url)
            if scheme not in ("http", "https"):
                return False
            if owns is not None and getattr(self.spider, "allowed_domains", None):
                if not owns(host):
                    return False
            elif host != page_host:
                return False
            return pattern.search(path + ("?" + query if query else "")) is not None

        return test

    # --- body ----------------------------------------------------------------------------
    def _skip_set(self, container, used: set) -> tuple[set, set]:
        """(elements never read as body, image captions) of a container: made once per container
        (the body and the images both ask), each selector list as one XPath; copies returned."""
        cached = self._skip_sets.get(id(container))
        if cached is None or cached[0] is not container or cached[1] is not used:
            skip = set(used)
            excluded = select_union(container, [_descendant(s) for s in self.config.body_exclude], self.page)
            skip.update(e for e in excluded if _is_element(e))
            captions = set(e for e in select_union(container, [
                _descendant(s) for s in self.config.selectors.get("image_caption", [DEFAULT_IMAGE_CAPTION])],
                self.page) if _is_element(e))
            skip |= captions
            cached = self._skip_sets[id(container)] = (container, used, skip, captions)
        return set(cached[2]), set(cached[3])

    def _body(self, containers: list, used: set, raw: list[str] | None = None):
        """Paragraphs of the body container(s), in page order (a lead in its own element first);
        ``raw``: paragraphs another strategy already read (trafilatura), finished the same way."""
        if not containers and raw is None:
            return [], []
        bylines = {t for t in self.texts("byline")}
        if raw is None:
            raw = []
            for container in containers:
                skip, _ = self._skip_set(container, used)
                raw.extend(paragraphs(container, lambda el, skip=skip: el in skip))
        body = []
        for text in raw:
            text = clean_text(text)
            if not text or text in bylines:
                continue
            if any(p.search(text) for p in self.config.boilerplate):
                continue
            body.append(text)
        titles = {t for t in (self._loaded.get("headline"), self._loaded.get("subheadline")) if t}
        body, self.edges = strip_edges(body, self._timezone(), titles)
        attributions = []
        if body:
            opening = parse_opening(body[0])
            if opening is not None and (opening.agencies or opening.dateline or opening.agency_raw):
                attributions.append(opening)
                rest = clean_text(opening.remainder or "")
                if not rest:
                    body.pop(0)
                elif opening.agencies or opening.agency_raw:
                    body[0] = rest
                # a dateline without agency running into the paragraph ("دمشق، سوريا (CNN) -- ...")
                # does not stand alone: the paragraph keeps it (SCHEMA.md), the dateline is recorded
        if body:
            closing = parse_closing(body[-1])
            if closing is not None and (closing.agencies or closing.agency_raw):
                attributions.append(closing)
                rest = clean_text(closing.remainder or "")
                if rest:
                    body[-1] = rest
                else:
                    body.pop()
        memory = self._memory()
        if memory is not None and body:
            memory.learn(self._host, body, self.meta.first("og:title") or self._title())
            body = [p for p in body if not memory.is_boilerplate(self._host, p)]
        return body, attributions

    def _memory(self):
        """What this crawl has learned of the outlet (``akhbar.outlet_memory``), for a spider
        that learns from its crawl (``learns_from_crawl``: the generic spider); else None."""
        if not self.config.learns_from_crawl:
            return None
        return getattr(self.spider, "outlet_memory", None)

    # --- images ----------------------------------------------------------------------------
    def _icon_or_promo(self, img, container) -> bool:
        """An in-body image that is not the article's: a linked icon/promo, or in a prompt."""
        for anc in iter_ancestors(img, stop=container.getparent()):
            if anc.tag == "a" and anc.get("href") and not _IMAGE_FILE.search(anc.get("href")):
                return True
            if anc.tag in BLOCK:
                text = clean_text(text_of(anc))
                if text and any(p.search(text) for p in self.config.boilerplate):
                    return True
                if self.sources.get("body") == READING and _mostly_links(anc, text):
                    return True  # the icon of a list of links (tags, a menu), not a photo
                break
        return False

    def _images(self, containers: list, used: set) -> list[dict]:
        images: list[dict] = []
        seen: set[str] = set()
        exclude = self.config.image_url_exclude
        if exclude is None and self.sources.get("body") == READING:
            exclude = PAGE_FURNITURE_IMAGE  # the reading's containers hold the page's furniture too
        exclude = re.compile(exclude) if exclude else None

        def add(url: str | None, caption: str | None) -> None:
            url = self.absolute(url)
            if url and exclude is not None and exclude.search(url):
                return
            key = picture_key(url) if url else None  # one picture in several sizes (w600/, w200/)
            if url and url not in seen and (key is None or key not in seen):
                seen.update((url, key))
                images.append({"url": url, "caption": clean_text(caption) or None if caption else None})

        lead = self.found("lead_image")
        if lead:
            item = lead[0]
            url = _img_url(item) if _is_element(item) else value_of(item)
            add(url, self.text("lead_caption"))
            self.sources["images"] = SELECTOR
        elif self.sources.get("body") != SELECTOR:
            # The outlet's layout no longer matches (or is unknown): the metadata image as the page
            # shows it, by the headline. (Where the outlet's body still matches, a page without
            # its lead-image element simply has none: its images are the body's.)
            read = read_lead_image(self)
            if read is not None:
                add(*read)
                self.sources["images"] = READING
        for container in containers:
            skip, captions = self._skip_set(container, used)
            skip -= {e for e in skip if e.tag in ("figure",)}
            for selector in self.config.selectors.get("body_images", ["img"]):
                for img in select(container, _descendant(selector), self.page):
                    if not _is_element(img) or any(a in skip and a not in captions
                                                   for a in img.iterancestors()):
                        continue
                    if self._icon_or_promo(img, container):
                        continue
                    caption = _caption_for(img, captions, container)
                    if caption is None and self.sources.get("body") == READING:
                        bound = caption_of(img)  # the caption bound to it by the page's structure
                        caption = text_of(bound) if bound is not None else None
                    add(_img_url(img), caption)
        if images:
            self.sources.setdefault("images", self.sources.get("body", READING))
        else:
            self.sources["images"] = METADATA
            og = self.meta.first("og:image", "og:image:url", "twitter:image")
            if og:
                add(og, None)
            else:
                for url, caption in ld_images(self.meta.ld("image"))[:1]:
                    add(url, caption)
        return images


_SUBHEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_SUBHEADLINE_MAX_CHARS = 250  # a kicker is a line or two; a longer block is the lead paragraph

_ISO_OFFSET = re.compile(r"\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?P<sign>[+-])(?P<oh>\d{2}):?(?P<om>\d{2})?$")
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|bmp)(?:$|\?)", re.I)


def _outermost(elements: list) -> list:
    """The elements not inside another one of them, in page order, without repeats."""
    chosen = set(elements)
    out = []
    for el in elements:
        if el in out or any(anc in chosen for anc in el.iterancestors()):
            continue
        out.append(el)
    return out


def _is_element(item) -> bool:
    return isinstance(getattr(item, "tag", None), str)


def _descendant(selector: str) -> str:
    """A selector evaluated inside a container: CSS as is (relative), XPath made relative."""
    if selector.startswith("//"):
        return "." + selector
    return selector


_IMG_ATTRS = ("data-src", "data-original", "data-lazy-src", "data-full", "src")


def _img_url(img) -> str | None:
    if img.tag != "img":
        found = img.xpath(".//img")
        if not found:
            return img.get("href") or img.get("content")
        img = found[0]
    src = img.get("src")
    if src and not src.startswith("data:") and "lazy" not in src and "placeholder" not in src:
        return src
    for attr in _IMG_ATTRS:
        value = img.get(attr)
        if value and not value.startswith("data:"):
            return value
    srcset = img.get("srcset") or img.get("data-srcset")
    if srcset:
        return srcset.split(",")[0].strip().split(" ")[0]
    return None


# A block whose text is at least this share link text is a list of links (its image is an icon).
_LINK_TEXT_SHARE = 0.8


def _mostly_links(block, text: str) -> bool:
    if not text:
        return False
    linked = sum(len(clean_text(text_of(a))) for a in block.iter("a"))
    return linked >= _LINK_TEXT_SHARE * len(text)


def _caption_for(img, captions: set, container) -> str | None:
    """The caption sitting with an in-body image: in its figure/block, or the block right after."""
    block = img
    for anc in iter_ancestors(img, stop=container):
        if anc.tag == "figure":
            block = anc
            break
        if anc.tag in BLOCK:
            block = anc
            break
    for el in block.iter():
        if el in captions:
            return text_of(el)
    nxt = block.getnext()
    while nxt is not None and not isinstance(nxt.tag, str):
        nxt = nxt.getnext()
    if nxt is not None and nxt.xpath("not(.//img)"):
        for el in nxt.iter():
            if el in captions:
                return text_of(el)
    return None


def _safe(func, *args, **kwargs):
    """A text-layer date parser on page data: a value it cannot read is no date, not a crash."""
    try:
        return func(*args, **kwargs)
    except (ValueError, TypeError, OverflowError, LookupError):
        return None


def _same_minute(a, b) -> bool:
    va, vb = a.value, b.value
    if not isinstance(va, datetime) or not isinstance(vb, datetime):
        return False
    try:
        return abs((va - vb).total_seconds()) < 60 and va.replace(second=0, microsecond=0) == \
            vb.replace(second=0, microsecond=0)
    except TypeError:
        return False


def _agree(meta, printed, hours_off: bool) -> bool:
    """A metadata date and a printed one: the same minute (or, printed without a time, the same
    day); with ``hours_off``, the same day a whole number of hours apart (another zone's clock)."""
    if not printed.has_time or not meta.has_time:
        return _same_day(meta, printed)
    if _same_minute(meta, printed):
        return True
    if not hours_off or not _same_day(meta, printed):
        return False
    try:
        minutes = abs((meta.value - printed.value).total_seconds()) / 60
    except TypeError:
        return False
    return round(minutes) % 60 == 0 or abs(minutes % 60) < 1 or abs(minutes % 60 - 60) < 1


def _same_day(a, b) -> bool:
    va, vb = a.value, b.value
    da = va.date() if isinstance(va, datetime) else va
    db = vb.date() if isinstance(vb, datetime) else vb
    return da == db
