"""The declarative attributes an outlet spider gives the extraction engine, with their defaults.

Every attribute is read with ``getattr(spider, name, default)``, so the engine works with a
spider class or an instance, and with any object that declares them.

``selectors``: field -> one selector or a list of fallbacks, tried in order (the first that yields
a non-empty value wins). When none of them gives a value, the field's reader chain goes on to the
page's metadata and then to the class-independent reading (``engine.py``), and the field is
counted as a fallback (``akhbar/fallback/<field>``): keep the selectors the outlet's own, and
leave generic guesses (a bare ``h1``) to the chain.

A selector is XPath when it starts with ``/``, ``(`` or ``./``, or when it is valid XPath and not
valid CSS (decided by trying both: ``normalize-space(//h1)``, ``string(//time/@datetime)``,
``h1/text()``); any other is CSS (parsel's ``::text`` / ``::attr(x)`` work). One valid as both
(``h1``, ``div.body``) is CSS. XPath string functions work (``normalize-space(...)``,
``string(...)``, ``concat(...)``, ``substring-after(...)``, ``translate(...)``): the one string
they return is the field's value, as the text of a ``::text`` selector would be; an empty string
counts as nothing found (the next selector is tried). Every selector of a spider (``selectors``,
``body_exclude``, ``related_exclude``) is checked by ``validate_selectors`` when the spider is
loaded (``akhbar.spiderloader.SpiderLoader``, as ``SPIDER_LOADER_CLASS``: ``scrapy list`` and
every command), when a crawl starts and at its first extraction: one that is neither valid CSS
nor valid XPath stops it with ``InvalidSelector`` naming the spider, the field and the selector.
Keys:

=================  =================================================================================
``headline``       element (its whole text) or text/attribute. Fallback: JSON-LD ``headline``,
                   ``og:title`` without the site name, then the ``h1`` the metadata title agrees with.
``subheadline``    kicker / sub-title. Fallback: a short h2-h6 right beside the headline's ``h1``.
``section``        breadcrumb / category. Fallback: JSON-LD ``articleSection``, ``article:section``.
``published_at``   the date as printed (its text becomes ``published_at_raw``). Fallback: a line that
                   is only a date, at the story's edges or around the headline, checked against
                   the metadata date.
``published_meta`` extra machine date of publication (text or attribute), used like
                   ``article:published_time``. Fallbacks: JSON-LD ``datePublished``,
                   ``article:published_time``, ``itemprop=datePublished``, ``<time datetime>``.
``modified_at``    printed date of update, if the page prints one.
``modified_meta``  machine date of update. Fallbacks: JSON-LD ``dateModified``,
                   ``article:modified_time``, ``og:updated_time``.
``byline``         byline element(s); each is parsed by ``parse_byline`` (names) and
                   ``parse_source`` (agencies). Fallback: JSON-LD ``author`` persons, ``<meta
                   name=author>``, ``itemprop=author``; then byline lines at the story's edges or
                   around the headline, ``rel=author`` links.
``body``           the body container (paragraphs are read inside it). Fallback: the main text read
                   by the page's structure (``maintext``), then ``DEFAULT_BODY``.
``body_images``    in-body images, relative to the body container (default ``img``).
``image_caption``  caption elements (anywhere): never body, the caption of the image they sit
                   with (default: ``figcaption`` and classes containing ``caption`` / ``cap``).
``lead_image``     the lead image (``img`` element or URL). Fallback: ``og:image`` when the page
                   has no other image.
``lead_caption``   the lead image's caption.
``tags``           tag links (each one's text). Fallback: JSON-LD ``keywords``, ``article:tag``.
``related_card``   headless related cards (e.g. a story card injected in the body): their story
                   links are related with ``block`` ``""``.
``related_heading`` list headings (all selectors used). Declared, they are the only headings (a
                   label inside a link's own block still heads it), even when a heading is a link
                   to the section (``<a href="/videos-reports/ar">بالفيديو</a>``). Default: none
                   declared, headings found by their shape.
=================  =================================================================================

Other attributes (all optional):

``timezone``                 IANA zone the outlet prints dates in (NewsSpider, default ``UTC``).
``body_exclude``             selectors removed from the body container(s) before reading, added to
                             ``DEFAULT_BODY_EXCLUDE`` (scripts, ads, forms, iframes, nav, aside ...).
``boilerplate``              regexes (``re.search`` on the cleaned paragraph) of paragraphs that are
                             never body, added to ``DEFAULT_BOILERPLATE`` (follow-us prompts).
``metadata_clock_is_local``  ``True``: metadata times are the local clock whatever their ``Z``/offset
                             says (Youm7); ``False``: they mean what they say; ``None`` (default):
                             inferred per page from the printed date (the reading that agrees with it).
``metadata_date_wins``       ``True``: where the printed time and the machine date disagree, the
                             machine date is ``published_at`` (the printed clock is known to be off:
                             LBCI). Default ``False``: the printed date wins.
``article_url``              regex of the outlet's story URLs (NewsSpider): related links match it.
``related_link``             regex (path + query) of links that count as stories in related lists,
                             when it differs from ``article_url`` (e.g. short ``/4940961`` links).
                             Default ``None``: ``article_url``.
``related_exclude``          selectors of regions never holding related lists, added to
                             ``DEFAULT_RELATED_EXCLUDE`` (nav, footer, small forms).
``related_heading_max_chars`` longest text read as a list heading (default 50).
``related_heading_levels``   how far above a heading the common ancestor with its links may be
                             (default 4; deep ``div`` soups may need more).
``body_strategy``            ``"selectors"`` (default): the body is the paragraphs of the ``body``
                             container(s). ``"trafilatura"``: the body is the main text trafilatura
                             finds on the page, each line traced back to its element, so captions,
                             related blocks, comment zones and boilerplate are dropped as usual
                             (``akhbar.extraction.maintext``; the generic spider uses it).
``timezone_from_metadata``   ``True``: the outlet's zone is unknown (generic spider); the page's zone
                             is the offset its metadata date states (``+02:00``), else ``timezone``.
``url_date``                 regex with groups ``y``, ``m``, ``d`` searched in the URL path: the day
                             of publication when the page gives no publication date (CNN 2013).
``image_url_exclude``        regex (``re.search`` on the absolute URL) of images never the article's:
                             icons, spacers, placeholders, avatars (default none).
``printed_date_is_update``   ``True``: the one date the page prints (``published_at``) is its last
                             update stamp: kept as ``published_at_raw`` and read as ``modified_at``,
                             never as the publication time (CNN 2013: ``آخر تحديث 14:00``).
``learns_from_crawl``        ``True``: the lines that repeat on many of the outlet's pages in this crawl
                             are boilerplate and the title part every page repeats is the site's
                             name (``akhbar.outlet_memory``, kept by the spider instance as
                             ``outlet_memory``; the generic spider). Default ``False``.
``outlet_names``             the outlet's own names as printed in bylines / source lines
                             (``(أبوظبي - البيان)``): never authors (default none).
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from typing import Any

from akhbar.extraction.selecting import InvalidSelector, selector_problem

# Elements never read as body text.
DEFAULT_BODY_EXCLUDE = (
    "script", "style", "noscript", "template", "iframe", "ins", "form", "button", "select",
    "textarea", "svg", "video", "audio", "object", "embed", "nav", "aside",
)
DEFAULT_IMAGE_CAPTION = (
    "figcaption, [class*='caption'], [class*='Caption'], [class*='img-cap'], [class*='imgCap']"
)
# Body containers tried when an outlet's own ``body`` selectors find nothing.
DEFAULT_BODY = (
    "[itemprop='articleBody']", "div.entry-content", "div.article-body", "div.article__body",
    "div.article-content", "div.story-body", "div.post-content", "div.td-post-content",
)
# Paragraphs that are never body (matched with re.search on the cleaned paragraph).
DEFAULT_BOILERPLATE = (
    r"^\s*(?:Google News\s*)?تابع(?:وا)? آخر أخبار .{1,40} (?:على|عبر) (?:Google News|جوجل نيوز)\s*$",
    r"^\s*(?:اشترك|تابعونا|تابعنا) (?:في|على|عبر) (?:قناة|صفحة|حساب)",
)
# Image URLs of page furniture that sits beside the text (icons, arrows, spacers, lazy-load
# placeholders, avatars, ads, social buttons by their file name): never the article's images
# where the images come from the class-independent reading (the generic spider, a fallback).
PAGE_FURNITURE_IMAGE = (
    r"(?i)(?:^|[/_.-])(?:icons?|logo|arrow\w*|avatar[\w-]*|empty|blank|spacer|pixel|1px|sprite"
    r"|advert\w*|placeholder)(?:[/_.-]|$)|\.gif(?:$|\?)"
    # social buttons by their file name (not a photo that has "WhatsApp" in its name)
    r"|/(?:new)?(?:facebook|twitter|whatsapp|messenger|telegram|instagram|youtube|linkedin|snapchat"
    r"|tiktok|share|print|e?mail)[\w-]{0,12}\.(?:png|svg|jpe?g|webp)(?:$|\?)")

# Regions whose links are never a related list (site menus, footers).
# A <form> around the whole page (ASP.NET) holds the h1: only smaller forms (comments, search).
# Elements with role=navigation are found by their attribute nodes: libxml2 tests attributes
# about three times faster this way than as ``[role='navigation']`` on every element.
DEFAULT_RELATED_EXCLUDE = ("nav", "footer", "//@role[. = 'navigation']/..", "//form[not(.//h1)]")


@dataclass(frozen=True)
class ExtractionConfig:
    name: str
    timezone: str
    selectors: dict[str, list[str]]
    body_exclude: tuple[str, ...]
    boilerplate: tuple[re.Pattern, ...]
    metadata_clock_is_local: bool | None
    article_url: str
    related_link: str | None
    related_exclude: tuple[str, ...]
    related_heading_max_chars: int
    related_heading_levels: int
    outlet_names: tuple[str, ...] = ()
    body_strategy: str = "selectors"
    timezone_from_metadata: bool = False
    url_date: str | None = None
    printed_date_is_update: bool = False
    image_url_exclude: str | None = None
    metadata_date_wins: bool = False
    learns_from_crawl: bool = False

    @classmethod
    def of(cls, spider: Any) -> "ExtractionConfig":
        """The declarations of a spider class or instance (an instance's arguments may change
        them), read once per class and per instance."""
        try:
            cached = _CACHE.get(spider)
        except TypeError:  # not weak-referenceable: read every time
            cached = None
        if cached is not None:
            return cached
        validate_selectors(spider)
        raw = getattr(spider, "selectors", None) or {}
        selectors = {k: ([v] if isinstance(v, str) else [s for s in v if s]) for k, v in raw.items() if v}
        config = cls(
            name=getattr(spider, "name", "") or "",
            timezone=getattr(spider, "timezone", None) or "UTC",
            selectors=selectors,
            body_exclude=DEFAULT_BODY_EXCLUDE + tuple(getattr(spider, "body_exclude", ()) or ()),
            boilerplate=tuple(re.compile(p) for p in (
                *DEFAULT_BOILERPLATE, *(getattr(spider, "boilerplate", ()) or ()))),
            metadata_clock_is_local=getattr(spider, "metadata_clock_is_local", None),
            article_url=getattr(spider, "article_url", "") or "",
            related_link=getattr(spider, "related_link", None),
            related_exclude=DEFAULT_RELATED_EXCLUDE + tuple(getattr(spider, "related_exclude", ()) or ()),
            related_heading_max_chars=int(getattr(spider, "related_heading_max_chars", 50)),
            related_heading_levels=int(getattr(spider, "related_heading_levels", 4)),
            outlet_names=tuple(getattr(spider, "outlet_names", ()) or ()),
            body_strategy=getattr(spider, "body_strategy", None) or "selectors",
            timezone_from_metadata=bool(getattr(spider, "timezone_from_metadata", False)),
            url_date=getattr(spider, "url_date", None),
            printed_date_is_update=bool(getattr(spider, "printed_date_is_update", False)),
            image_url_exclude=getattr(spider, "image_url_exclude", None),
            metadata_date_wins=bool(getattr(spider, "metadata_date_wins", False)),
            learns_from_crawl=bool(getattr(spider, "learns_from_crawl", False)),
        )
        try:
            _CACHE[spider] = config
        except TypeError:
            pass
        return config


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

# Declarations that hold selectors besides ``selectors`` (each a list of them).
_SELECTOR_LISTS = ("body_exclude", "related_exclude")


def validate_selectors(spider: Any) -> None:
    """Raise ``InvalidSelector`` naming the spider, the field and the selector for the first
    selector of the spider (class or instance) that is neither valid CSS nor valid XPath (or a
    field declared with something other than a selector or a list of them). Each selector is
    tried once per process (``selector_problem`` remembers), so checking again costs nothing."""
    name = getattr(spider, "name", None) or getattr(spider, "__name__", None) or type(spider).__name__
    declared = getattr(spider, "selectors", None) or {}
    if not isinstance(declared, dict):
        raise InvalidSelector(f"spider {name!r}: selectors must be a dict of field -> selector(s), "
                              f"not a {type(declared).__name__}")
    fields = list(declared.items())
    fields += [(attribute, getattr(spider, attribute, None)) for attribute in _SELECTOR_LISTS]
    for field, value in fields:
        if not value:
            continue
        if isinstance(value, str):
            value = [value]
        elif not isinstance(value, (list, tuple)):
            raise InvalidSelector(f"spider {name!r}, field {field!r}: a selector or a list of them, "
                                  f"not a {type(value).__name__} ({value!r})")
        for selector in value:
            if not selector:  # an empty entry is skipped where selectors are read
                continue
            problem = selector_problem(selector)
            if problem is not None:
                raise InvalidSelector(f"spider {name!r}, field {field!r}: selector {selector!r} is {problem}")
