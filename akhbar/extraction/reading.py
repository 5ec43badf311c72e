"""Class-independent readers of the headline, section, tags and lead image of an article page.

Each ``read_<field>(ex)`` takes the engine's ``_Extraction`` (``.root``, ``.page``, ``.meta``,
``.response``, ``.base``, ``.absolute``) and returns the value the page gives, or ``None``
(``[]`` for tags). They read only what a redesign keeps: tags, text, position in the page, link
targets, ``itemprop``/``itemtype``/``property``/``rel`` attributes, meta tags and JSON-LD. A class
or id word is never evidence, so a page whose classes and ids are all renamed reads the same.

- headline: the ``h1`` whose text agrees with the metadata title, else that title without the
  site's name;
- section: a breadcrumb trail (JSON-LD, microdata/RDFa, or a short run of links starting at the
  home page right above the headline), a lone category link at the headline that the site's
  menus also link, an ``itemprop=articleSection`` element, a menu link naming the URL's section;
- tags: ``rel=tag`` links, a block of links to tag/keyword/search paths after the headline, the
  tag metadata split into its items;
- lead image: the metadata image matched to the ``img`` the page shows near the headline (the
  URL as shown), with its caption.
"""

from __future__ import annotations

import re
from typing import Any, Iterable
from urllib.parse import unquote, urljoin, urlsplit

from akhbar.extraction.dom import BLOCK, NO_TEXT, page_tree, text_of
from akhbar.extraction.metadata import PageMeta, read_meta
from akhbar.text import clean_text, search_key


class PageView:
    """What the readers read of a page, for callers without the engine's ``_Extraction``
    (tools, tests): the same attributes, made from an HTML response."""

    def __init__(self, response):
        self.response = response
        self.page = page_tree(response)
        self.root = self.page.root
        base = next((el.get("href") for el in self.root.iter("base")
                     if el.get("href") and el.getparent() is not None and el.getparent().tag == "head"), None)
        self.base = urljoin(response.url, base.strip()) if base else response.url
        self.meta: PageMeta = read_meta(self.root)

    def absolute(self, url: str | None) -> str | None:
        url = (url or "").strip()
        return urljoin(self.base, url) if url and not url.startswith("data:") else None


# --- headline ------------------------------------------------------------------------------

# Separators between a title's headline and the site name / section names: spaced on both sides
# (a headline's own colon, "بكورونا: يارب", has no space before it).
TITLE_SEPARATOR = re.compile(r"\s+(?:-|–|—|\||::|:)\s+")
# A site name in a title is a few words ("بوابة أخبار اليوم الإلكترونية"); a headline is longer.
SITE_NAME_MAX_WORDS = 4
# An h1 and a metadata title agree when they are the same words, or one holds the other and
# covers at least this share of its words (a title may add "صور" or drop quotation marks).
TITLE_AGREEMENT = 0.8


def _key_words(text: str | None) -> list[str]:
    """Words of a text for comparison: search-folded, punctuation and quotation marks dropped."""
    return re.sub(r"[^\w]+", " ", search_key(text or "")).split()


def _contains_run(longer: list[str], shorter: list[str]) -> bool:
    """Whether ``shorter`` occurs in ``longer`` as consecutive words."""
    n = len(shorter)
    return n > 0 and any(longer[i:i + n] == shorter for i in range(len(longer) - n + 1))


def _agrees(a: str | None, b: str | None) -> bool:
    wa, wb = _key_words(a), _key_words(b)
    if not wa or not wb:
        return False
    if wa == wb:
        return True
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return len(short) >= TITLE_AGREEMENT * len(long_) and _contains_run(long_, short)


def title_parts(title: str | None) -> list[str]:
    """A title split at its separators (`` - ``, `` | ``, `` :: ``, `` — ``, `` : ``)."""
    return [p for p in (clean_text(p) for p in TITLE_SEPARATOR.split(clean_text(title))) if p]


def _names_site(part: str, site_names: Iterable[str]) -> bool:
    """A title part that is one of the site's names (``CNNArabic.com`` names ``CNNArabic``)."""
    words = _key_words(part)
    for name in site_names:
        name_words = _key_words(name)
        if not name_words or not words:
            continue
        if words == name_words:
            return True
        if len(words) > SITE_NAME_MAX_WORDS:
            continue  # a longer part is a headline even when it opens with the site's name
        if _contains_run(words, name_words) or _contains_run(name_words, words):
            return True
        joined, name_joined = "".join(words), "".join(name_words)
        if joined.startswith(name_joined) or name_joined.startswith(joined):
            return True
    return False


def _split_title(title: str | None, reference: str | None, site_names: Iterable[str]) -> tuple[list[str], list[str]]:
    """(headline parts, site parts removed from the ends, outermost first) of a title.

    An end part goes when it names the site (``site_names``), or, given a ``reference`` (the
    h1, the JSON-LD headline), when the reference does not contain it; without either, one
    short end part (a few words) beside a longer rest goes: the site name's place.
    """
    parts = title_parts(title)
    removed: list[str] = []
    if len(parts) < 2:
        return parts, removed
    names = [n for n in site_names if n]
    ref_words = _key_words(reference)

    def is_site(part: str) -> bool:
        if names and _names_site(part, names):
            return True
        return bool(ref_words) and not _contains_run(ref_words, _key_words(part))

    changed = True
    while changed and len(parts) > 1:
        changed = False
        if is_site(parts[-1]):
            removed.append(parts.pop())
            changed = True
        elif is_site(parts[0]):
            removed.append(parts.pop(0))
            changed = True
    if not removed and not ref_words and len(parts) > 1:
        first, last = len(_key_words(parts[0])), len(_key_words(parts[-1]))
        if last <= SITE_NAME_MAX_WORDS and first > last:
            removed.append(parts.pop())
        elif first <= SITE_NAME_MAX_WORDS and last > first:
            removed.append(parts.pop(0))
    return parts, removed


def site_name_from_title(title: str | None, h1: str | None = None, site_names: Iterable[str] = ()) -> str | None:
    """The site's name as the title prints it (``... - اليوم السابع`` -> ``اليوم السابع``;
    ``CNNArabic.com`` at either end), or None when the title has no site part.

    ``h1``: the headline as shown (the parts it does not contain are not the headline);
    ``site_names``: names the site is known by (``og:site_name``, an outlet registry).
    """
    _, removed = _split_title(title, h1, site_names)
    return removed[0] if removed else None


def title_without_site(title: str | None, h1: str | None = None, site_names: Iterable[str] = ()) -> str | None:
    """The headline part of a metadata title (the site name and section names around it removed)."""
    parts, _ = _split_title(title, h1, site_names)
    if not parts:
        return None
    text = clean_text(" - ".join(parts))
    return text or None


def _metadata_titles(ex, page_title: bool = True) -> list[str]:
    """og:title, the JSON-LD headline, twitter:title and (``page_title``) the ``<title>``."""
    meta = ex.meta
    titles = [meta.first("og:title"), _ld_string((meta.jsonld or {}).get("headline")),
              meta.first("twitter:title")]
    if page_title:
        for el in ex.root.iter("title"):
            titles.append(el.text)
            break
    return [t for t in (clean_text(t) for t in titles if t) if t]


def page_site_names(ex, extra: Iterable[str] | None = None) -> list[str]:
    """The names the page gives its own outlet (``og:site_name``, ``application-name``,
    ``twitter:site``, the JSON-LD website, organisation and publisher), after ``extra``."""
    meta = ex.meta
    names = list(extra or ())
    names += [meta.first("og:site_name"), meta.first("application-name"), meta.first("twitter:site")]
    for obj in meta.jsonld_all:
        if _ld_types(obj) & {"website", "organization", "newsmediaorganization"}:
            names.append(_ld_string(obj.get("name")))
    publisher = (meta.jsonld or {}).get("publisher")
    if isinstance(publisher, dict):
        names.append(_ld_string(publisher.get("name")))
    return [clean_text(n).lstrip("@") for n in names if n and clean_text(n)]


def headline_element(ex):
    """The h1 whose text agrees with a metadata title (og:title, JSON-LD headline, <title> or
    one of its parts), the first such; None when no h1 does."""
    titles = _metadata_titles(ex)
    names = page_site_names(ex)
    candidates = set(titles)
    for title in titles:
        candidates.add(title_without_site(title, site_names=names))
        # a part longer than a site name is a headline candidate ("H - section - site"); a short
        # one may be the site's name, which a logo h1 shows
        candidates.update(p for p in title_parts(title) if len(p.split()) > SITE_NAME_MAX_WORDS)
    for h1 in ex.root.iter("h1"):
        text = clean_text(text_of(h1))
        if text and any(_agrees(text, c) for c in candidates):
            return h1
    return None


def read_headline(ex, site_names: Iterable[str] | None = None) -> str | None:
    """The headline as shown: the h1 agreeing with the metadata title (JSON-LD headline, og:title,
    twitter:title, <title>), else the article's metadata title (not the <title>) with the site's
    name removed."""
    h1 = headline_element(ex)
    if h1 is not None:
        return clean_text(text_of(h1))
    names = page_site_names(ex, site_names)
    titles = _metadata_titles(ex)
    # The <title> alone names no article (every page has one: a listing too): only the article's
    # own metadata titles stand without an h1.
    for title in _metadata_titles(ex, page_title=False):
        # another metadata title inside this one (og:title "H" in <title> "H - site") is its
        # headline part: the parts it does not hold go
        inside = [t for t in titles if len(t) < len(title) and _contains_run(_key_words(title), _key_words(t))]
        headline = title_without_site(title, min(inside, key=len) if inside else None, names)
        if headline:
            return headline
    return None


# --- links and places -----------------------------------------------------------------------

# A link label of a menu, breadcrumb or category is a name of a few words, not a headline.
SHORT_LINK_MAX_WORDS = 5
# A breadcrumb trail shows the home page, maybe a parent section, the section, maybe the article.
TRAIL_MIN_LINKS, TRAIL_MAX_LINKS = 2, 4
# Text allowed between a trail (or a category link) and the headline: a date, a kicker line.
NEAR_HEADLINE_CHARS = 200
# Text in a trail outside its links: separators only (› » / > |, an arrow image gives none).
TRAIL_SEPARATOR_CHARS = 6
# How far above the headline its block may be for a category link beside it.
CATEGORY_LEVELS = 3
# A site menu: a block of at least this many links (a category link that the menus also link
# names a section of the site).
MENU_MIN_LINKS = 5
# URL path words that say "this is an article/page", not which section it is in.
GENERIC_PATH_WORDS = frozenset({
    "news", "article", "articles", "story", "stories", "post", "posts", "content", "details",
    "detail", "node", "amp", "ar", "en", "fr", "index", "view", "item", "items", "page", "pages",
})


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _path(url: str) -> str:
    return unquote(urlsplit(url).path).rstrip("/")


def _is_home(url: str, page_url: str) -> bool:
    """The site's home page: the root of the page's host (``/``, ``/index.html``, ``/ar``)."""
    if not url or _host(url) != _host(page_url):
        return False
    parts = urlsplit(url)
    path = unquote(parts.path).strip("/").lower()
    return not parts.query and path in ("", "index.html", "index.php", "index.htm", "ar", "arabic")


def _self_urls(ex) -> set[str]:
    urls = {ex.response.url, ex.base}
    if ex.meta.canonical:
        urls.add(urljoin(ex.base, ex.meta.canonical))
    if ex.meta.first("og:url"):
        urls.add(urljoin(ex.base, ex.meta.first("og:url")))
    return {_host(u) + _path(u) for u in urls if u}


def _is_self(ex, url: str, self_urls: set[str] | None = None) -> bool:
    return (_host(url) + _path(url)) in (self_urls if self_urls is not None else _self_urls(ex))


def _link_url(ex, a) -> str | None:
    href = (a.get("href") or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return None
    return urljoin(ex.base, href)


def _words_count(text: str) -> int:
    return len(text.split())


def _text_between(ex, first, second) -> int:
    """Characters of page text after ``first`` ends and before ``second`` starts (either order;
    0 when one holds the other)."""
    order = ex.page.order
    if first in second.iterancestors() or second in first.iterancestors():
        return 0
    if order.get(first, 0) > order.get(second, 0):
        first, second = second, first
    last_inside = first
    for last_inside in first.iter():  # the last node inside ``first`` in page order
        pass
    start, end = order.get(last_inside, 0) + 1, order.get(second, 0)
    size = len((first.tail or "").strip())
    for node in ex.page.nodes[start:end]:
        if not isinstance(node.tag, str):
            size += len((node.tail or "").strip())
            continue
        if node.tag in NO_TEXT or any(a.tag in NO_TEXT for a in node.iterancestors()):
            continue
        size += len((node.text or "").strip()) + len((node.tail or "").strip())
        if size > NEAR_HEADLINE_CHARS * 4:  # far enough: stop counting
            break
    return size


def _link_label(a) -> str:
    """A link's text; an empty link (an overlay on a chip) takes the text of its chip: the
    nearest ancestor holding only this link."""
    text = clean_text(text_of(a))
    node = a
    while not text:
        node = node.getparent()
        if node is None or node.tag in ("body", "html") or len(node.findall(".//a")) > 1:
            return ""
        text = clean_text(text_of(node))
    return text


# --- section --------------------------------------------------------------------------------

def read_section(ex) -> str | None:
    """The section the page files the article under, from its breadcrumb or category link
    (JSON-LD ``articleSection`` and ``article:section`` are the engine's metadata step)."""
    self_urls = _self_urls(ex)
    h1 = headline_element(ex)
    headline = clean_text(text_of(h1)) if h1 is not None else None
    for reader in (_jsonld_breadcrumb, _markup_breadcrumb):
        found = reader(ex, self_urls, headline)
        if found:
            return found
    found = _articlesection_element(ex)  # microdata says which element names the section
    if found:
        return found
    if h1 is not None:
        found = _trail_before(ex, h1, self_urls, headline) or _category_link_near(ex, h1, self_urls)
        if found:
            return found
    return _menu_link_of_url_section(ex, self_urls)


def _last_crumb(ex, crumbs: list[tuple[str, str | None]], self_urls: set[str], headline: str | None) -> str | None:
    """The last crumb that is neither the home page nor the article itself."""
    page = ex.response.url
    kept = []
    for name, url in crumbs:
        name = clean_text(name)
        if not name:
            continue
        if url and (_is_home(url, page) or _is_self(ex, url, self_urls)):
            continue
        if headline and (_agrees(name, headline) or _is_shortened(name, headline)):
            continue  # the article itself, maybe cut short
        kept.append(name)
    if crumbs and not crumbs[0][1] and kept and kept[0] == clean_text(crumbs[0][0]) and len(kept) > 1:
        kept = kept[1:]  # a first crumb without a link is the home page's label
    return kept[-1] if kept else None


# A crumb of at least this many words found in the headline is the headline cut short.
SHORTENED_HEADLINE_MIN_WORDS = 3


def _is_shortened(name: str, headline: str) -> bool:
    words = _key_words(name)
    return len(words) >= SHORTENED_HEADLINE_MIN_WORDS and _contains_run(_key_words(headline), words)


def _jsonld_breadcrumb(ex, self_urls, headline) -> str | None:
    for obj in ex.meta.jsonld_all:
        if "breadcrumblist" not in _ld_types(obj):
            continue
        items = obj.get("itemListElement")
        items = items if isinstance(items, list) else [items]
        crumbs = []
        for _, item in sorted(((_position(i, k), i) for k, i in enumerate(items) if isinstance(i, dict)),
                                     key=lambda pair: pair[0]):
            target = item.get("item")
            name = item.get("name")
            url = None
            if isinstance(target, dict):
                name = name or target.get("name")
                url = target.get("@id") or target.get("url")
            elif isinstance(target, str):
                url = target
            url = url or item.get("url") or item.get("@id")
            crumbs.append((_ld_string(name) or "", urljoin(ex.base, url) if isinstance(url, str) else None))
        found = _last_crumb(ex, crumbs, self_urls, headline)
        if found:
            return found
    return None


def _position(item: dict, default: int) -> float:
    try:
        return float(item.get("position"))
    except (TypeError, ValueError):
        return float(default)


def _attr_words(el, *names: str) -> list[str]:
    words = []
    for name in names:
        words += (el.get(name) or "").split()
    return words


def _markup_breadcrumb(ex, self_urls, headline) -> str | None:
    """Microdata (``itemtype=.../BreadcrumbList``) or RDFa (``typeof=BreadcrumbList``) trails."""
    for lst in ex.page.nodes:
        if not isinstance(lst.tag, str):
            continue
        kinds = _attr_words(lst, "itemtype", "typeof")
        if not any(k.rstrip("/").lower().endswith("breadcrumblist") for k in kinds):
            continue
        crumbs = []
        for item in lst.iter():
            if not isinstance(item.tag, str) or "itemListElement" not in _attr_words(item, "itemprop", "property"):
                continue
            name_el = next((e for e in item.iter() if isinstance(e.tag, str)
                            and "name" in _attr_words(e, "itemprop", "property")), None)
            name = (name_el.get("content") if name_el is not None and name_el.get("content")
                    else text_of(name_el if name_el is not None else item))
            link = next((e for e in item.iter("a", "link") if e.get("href")), None)
            crumbs.append((name, _link_url(ex, link) if link is not None else None))
        found = _last_crumb(ex, crumbs, self_urls, headline)
        if found:
            return found
    return None


def _trail_before(ex, h1, self_urls, headline) -> str | None:
    """A trail right above the headline: a block of 2-4 short links, nothing but separators
    between them, the first to the home page; its last link that is not the article."""
    page = ex.response.url
    order = ex.page.order
    h1_at = order.get(h1, 0)
    for a in ex.root.iter("a"):
        if order.get(a, 0) >= h1_at:
            break
        url = _link_url(ex, a)
        if not url or not _is_home(url, page):
            continue
        block = _trail_block(ex, a, headline)
        if block is None or _text_between(ex, block, h1) > NEAR_HEADLINE_CHARS:
            continue
        crumbs = [(_link_label(link), _link_url(ex, link)) for link in block.iter("a")]
        found = _last_crumb(ex, crumbs, self_urls, headline)
        if found:
            return found
    return None


def _text_after(el, top) -> str:
    """The text inside ``top`` that follows ``el``."""
    parts = []
    while el is not top and el is not None:
        parts.append(el.tail or "")
        for sibling in el.itersiblings():
            parts.append(text_of(sibling) if isinstance(sibling.tag, str) else "")
            parts.append(sibling.tail or "")
        el = el.getparent()
    return "".join(parts)


def _trail_block(ex, home_link, headline: str | None = None):
    """The smallest block around a home link holding 2-4 short links and only separators
    besides them (None when there is no such block: a menu has more links, a card more text)."""
    node = home_link
    while True:
        node = node.getparent()
        if node is None or node.tag in ("body", "html"):
            return None
        links = [a for a in node.iter("a") if a.get("href")]
        if len(links) > TRAIL_MAX_LINKS:
            return None
        if len(links) < TRAIL_MIN_LINKS:
            continue
        if links[0] is not home_link and not _is_home(_link_url(ex, links[0]) or "", ex.response.url):
            return None
        labels = [_link_label(a) for a in links]
        if any(not label or _words_count(label) > SHORT_LINK_MAX_WORDS for label in labels[:-1]):
            return None
        if len({_tag_path(a, node) for a in links}) > 1:
            return None  # a trail is one line of like items; a logo beside a menu list is not
        outside = len(re.sub(r"\s+", "", clean_text(text_of(node)))) - sum(
            len(re.sub(r"\s+", "", clean_text(text_of(a)))) for a in links)
        last = clean_text(_text_after(links[-1], node)).strip(" ›»/>|-")
        if headline and last and (_agrees(last, headline) or _is_shortened(last, headline)):
            outside -= len(re.sub(r"\s+", "", last))  # the article itself as the last, unlinked crumb
        if outside > TRAIL_SEPARATOR_CHARS * len(links):
            return None
        return node


def _tag_path(el, top) -> tuple[str, ...]:
    """The tags from ``top`` (excluded) down to ``el``: ``("ul", "li", "a")``."""
    path = [el.tag]
    for anc in el.iterancestors():
        if anc is top:
            break
        path.append(anc.tag)
    return tuple(reversed(path))


def _menu_targets(ex) -> set[str]:
    """Link targets (host + path) of the page's menus: blocks of at least MENU_MIN_LINKS links."""
    targets: set[str] = set()
    for block in ex.page.nodes:
        if not isinstance(block.tag, str) or block.tag not in ("ul", "ol", "nav", "div", "dl", "dd", "section"):
            continue
        children_links = [a for a in block.iter("a") if a.get("href")]
        if len(children_links) < MENU_MIN_LINKS:
            continue
        # links grouped at this level: each child holds at most a few of them
        if any(len(child.findall(".//a")) + (child.tag == "a") > TRAIL_MAX_LINKS for child in block
               if isinstance(child.tag, str)):
            continue
        for a in children_links:
            url = _link_url(ex, a)
            if url:
                targets.add(_host(url) + _path(url))
    return targets


def _category_link_near(ex, h1, self_urls) -> str | None:
    """A lone short link beside the headline (the only site link in the headline's block, a few
    levels up) to a page the site's menus also link: the section the article is filed under."""
    block = h1
    for _ in range(CATEGORY_LEVELS):
        block = block.getparent()
        if block is None or block.tag in ("body", "html"):
            return None
        links = [a for a in block.iter("a") if h1 not in a.iterancestors() and _nav_like(ex, a, self_urls)]
        if len(links) > 1:
            return None  # several site links beside the headline: none is *the* category
        if links:
            a = links[0]
            url = _link_url(ex, a)
            if _text_between(ex, a, h1) <= NEAR_HEADLINE_CHARS and (_host(url) + _path(url)) in _menu_targets(ex):
                return _link_label(a)
            return None
    return None


# A listing link shows a count ("فيروس كورونا (423)"): a topic page, not the section.
LINK_COUNT = re.compile(r"\(\s*\d+\s*\)\s*$")


def _nav_like(ex, a, self_urls) -> bool:
    """A link naming a page of the site: a short label, the same host, not home, not this page."""
    url = _link_url(ex, a)
    page = ex.response.url
    if not url or _host(url) != _host(page) or _is_home(url, page) or _is_self(ex, url, self_urls):
        return False
    label = _link_label(a)
    return bool(label) and _words_count(label) <= SHORT_LINK_MAX_WORDS and not LINK_COUNT.search(label)


def _articlesection_element(ex) -> str | None:
    """Microdata on an element (not a meta tag): ``<a itemprop="articleSection">العالم العربي</a>``."""
    for el in ex.page.nodes:
        if isinstance(el.tag, str) and el.tag != "meta" and "articleSection" in _attr_words(el, "itemprop"):
            text = clean_text(el.get("content") or text_of(el))
            if text and _words_count(text) <= SHORT_LINK_MAX_WORDS:
                return text
    return None


def _menu_link_of_url_section(ex, self_urls) -> str | None:
    """The article's URL files it under a path (``/2013/middle_east/8/3/story``); the page's
    link to that path (``/middle_east/``, in the site menu) names the section."""
    page = ex.response.url
    segments = [s for s in unquote(urlsplit(page).path).split("/") if s]
    words = [s for s in segments[:-1] if not s.isdigit()]  # the last segment is the article's
    prefixes = []
    for end in range(len(words), 0, -1):
        if words[end - 1].lower() in GENERIC_PATH_WORDS:
            continue
        prefixes.append(words[:end])
    if not prefixes:
        return None
    by_path: dict[str, str] = {}
    for a in ex.root.iter("a"):
        url = _link_url(ex, a)
        if not url or _host(url) != _host(page) or _is_self(ex, url, self_urls):
            continue
        label = _link_label(a)
        if label and _words_count(label) <= SHORT_LINK_MAX_WORDS:
            by_path.setdefault(_path(url).strip("/"), label)
    for prefix in prefixes:
        # the prefix as a path of its own, or as the tail of the link's path (/ar/middle_east)
        wanted = "/".join(prefix)
        if wanted in by_path:
            return by_path[wanted]
    return None


# --- tags -----------------------------------------------------------------------------------

# Paths of a site's tag/keyword/topic pages, and search links used as keyword chips.
TAG_PATH = re.compile(
    r"/(?:tags?|keywords?|topics?|hashtags?|وسم|وسوم|الوسم|هاشتاج|كلمات-?دلالية)(?:/|$|\?|\.|-)"
    r"|[?&](?:tag|tags|keyword|keywords)="
    r"|/search/[^/?#]+", re.I)
# Text in a tag block besides the tags: a label ("الكلمات الدالة :") and separators.
TAG_BLOCK_OTHER_CHARS = 40
# Keywords split at commas, Arabic commas and semicolons.
KEYWORD_SPLIT = re.compile(r"\s*[,،;؛]\s*")


def read_tags(ex) -> list[str]:
    """Keyword/tag links of the article, else the page's tag metadata as a list."""
    return read_tag_links(ex) or read_tag_metadata(ex)


def read_tag_links(ex) -> list[str]:
    """The tag links the page shows: ``rel=tag``, else a block of tag-page links after the h1."""
    return _rel_tags(ex) or _tag_path_block(ex)


def read_tag_metadata(ex) -> list[str]:
    """The page's tag metadata as a list (comma-joined keywords split)."""
    return _metadata_tags(ex)


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(t for t in items if t))


def _rel_tags(ex) -> list[str]:
    tags = []
    for a in ex.root.iter("a"):
        rel = [r.lower() for r in (a.get("rel") or "").split()]
        if "tag" in rel and "category" not in rel:  # WordPress marks category links "category tag"
            tags.append(_link_label(a))
    return _dedupe(tags)


def _tag_path_block(ex) -> list[str]:
    """The first block after the headline of links to tag/keyword paths with little other text
    (a label, a category chip): one link per tag."""
    h1 = headline_element(ex)
    order = ex.page.order
    after = order.get(h1, -1) if h1 is not None else -1
    host = _host(ex.response.url)
    links = []
    for a in ex.root.iter("a"):
        if not TAG_PATH.search(a.get("href") or ""):
            continue  # told by the href as written, before it is joined (most links are not tags)
        url = _link_url(ex, a)
        if url and order.get(a, 0) > after and TAG_PATH.search(url) and _host(url) == host:
            links.append(a)
    chosen = set(links)
    tried = set()
    for a in links:
        block = _tag_block(a, chosen)
        if block is None or block in tried:
            continue
        tried.add(block)
        labels = [_link_label(x) for x in block.iter("a") if x in chosen]
        if not all(labels) or any(_words_count(t) > SHORT_LINK_MAX_WORDS for t in labels):
            continue
        other = len(clean_text(text_of(block))) - sum(len(t) for t in labels)
        if other <= TAG_BLOCK_OTHER_CHARS:
            return _dedupe(labels)
    return []


def _tag_block(a, tag_links: set):
    """The block of a tag link: its nearest ancestor holding another tag link; for a lone tag
    link, its nearest block-level ancestor (the tag line)."""
    for anc in a.iterancestors():
        if anc.tag in ("body", "html"):
            break
        if any(x is not a and x in tag_links for x in anc.iter("a")):
            return anc
    return next((anc for anc in a.iterancestors() if anc.tag in BLOCK), None)


def _metadata_tags(ex) -> list[str]:
    meta = ex.meta
    ld_keywords = (meta.jsonld or {}).get("keywords")
    for values in (meta.all("article:tag"), _ld_strings(ld_keywords), meta.all("news_keywords")):
        tags = _dedupe(t for v in values for t in (clean_text(x) for x in KEYWORD_SPLIT.split(v)))
        if tags:
            return tags
    keywords = _dedupe(clean_text(x) for v in meta.all("keywords") for x in KEYWORD_SPLIT.split(v))
    if keywords and not _headline_words(ex, keywords):
        return keywords
    return []


def _headline_words(ex, keywords: list[str]) -> bool:
    """Keywords made of the headline's single words (a CMS splitting the title), not tags."""
    headline = read_headline(ex) or ""
    words = set(_key_words(headline))
    return all(len(_key_words(k)) <= 1 and set(_key_words(k)) <= words for k in keywords)


# --- lead image -----------------------------------------------------------------------------

# Attributes that hold the image a lazy-loading page shows once its script runs.
LAZY_ATTRS = ("data-src", "data-lazy-src", "data-original", "data-full", "data-lazy")
# Size/crop variants of one picture in its file name: -750x375, _1000x541, @2x, .JPG.jpg.
SIZE_SUFFIX = re.compile(r"(?:[-_@]\d+x\d*|[-_]\d*x\d+|[-_](?:thumb|small|medium|large)|_-?\d+_-?\d+)$", re.I)
# Directory names of size variants (/large/, /w600/, /xlarge/, /original_640/).
SIZE_DIR = re.compile(r"^(?:x*(?:small|medium|large)|thumbs?|w\d+|h\d+|\d+x\d*|original(?:_\d+)?|\d+)$", re.I)
# A link to an image file (a picture's full size), not to another page.
DISPLAYED_FILE = re.compile(r"\.(?:jpe?g|png|webp|avif)(?:$|\?)", re.I)
# Images a page decorates with, never an article's picture.
DECORATION_FILE = re.compile(r"\.(?:svg|gif|ico)(?:$|\?)", re.I)
# A lone picture beside the headline (no metadata image matched): at most this many nodes away.
ADJACENT_NODES = 12
# Declared sizes below this are icons.
ICON_MAX_PIXELS = 64
# A caption is a short text; an alt text of fewer words is a label ("الصورة:"), not a caption.
CAPTION_MAX_CHARS = 300
CAPTION_MIN_WORDS = 2
# Headline-like alt texts: sharing this share of their words with the headline.
ALT_IS_HEADLINE = 0.6


def read_lead_image(ex) -> tuple[str, str | None] | None:
    """The article's lead image as the page shows it, with its caption: the metadata image
    (og:image, JSON-LD image, rel=image_src) matched to an ``img`` of the page nearest the
    headline; without a match, a picture right beside the headline."""
    h1 = headline_element(ex)
    order = ex.page.order
    h1_at = order.get(h1) if h1 is not None else None
    meta_urls = _metadata_images(ex)
    wanted = {key for key in (picture_key(u) for u in meta_urls) if key}
    meta_paths = [unquote(urlsplit(u).path) for u in meta_urls]
    best = None
    for img in ex.root.iter("img"):
        urls = _img_urls(ex, img)
        if not urls or _is_logo(ex, img):
            continue
        if not any(picture_key(u) in wanted for u in urls) and not _contains_metadata_path(meta_paths, urls):
            continue
        # nearest to the headline by the text a reader passes between them, then by position
        if h1 is not None:
            distance = (_text_between(ex, img, h1), abs(order.get(img, 0) - h1_at))
        else:
            distance = (0, order.get(img, 0))
        if best is None or distance < best[0]:
            best = (distance, img)
    if best is not None:
        img = best[1]
    else:
        img = _beside_headline(ex, h1) if h1 is not None else None
        if img is None and h1 is not None:
            img = _first_figure_after(ex, h1)
    if img is None:
        return None
    return _img_urls(ex, img)[0], _caption(ex, img, h1)


def _metadata_images(ex) -> list[str]:
    meta = ex.meta
    urls = [meta.first("og:image"), meta.first("og:image:url"), meta.first("og:image:secure_url"),
            meta.first("twitter:image"), meta.first("twitter:image:src")]
    urls += _ld_image_urls((meta.jsonld or {}).get("image"))
    urls += _ld_image_urls((meta.jsonld or {}).get("thumbnailUrl"))
    for el in ex.root.iter("link", "meta"):
        if "image_src" in (el.get("rel") or "").lower().split():
            urls.append(el.get("href"))
        elif el.tag == "meta" and "url" in _attr_words(el, "itemprop"):
            holder = el.getparent()
            if holder is not None and "image" in _attr_words(holder, "itemprop"):
                urls.append(el.get("content"))
    return _dedupe(urljoin(ex.base, u.strip()) for u in urls if u and u.strip())


def _ld_image_urls(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [u for item in value for u in _ld_image_urls(item)]
    if isinstance(value, dict):
        if "@list" in value:
            return _ld_image_urls(value["@list"])
        return _ld_image_urls(value.get("url") or value.get("contentUrl"))
    return []


def picture_key(url: str) -> str | None:
    """One picture's key across its size variants: the file name without extensions and size
    suffix, lower case (``received_8965-750x375.jpeg`` and ``received_8965.jpeg`` agree)."""
    path = unquote(urlsplit(url).path)
    name = path.rsplit("/", 1)[-1]
    stem = name.split(".", 1)[0] if not name.startswith(".") else name
    stem = SIZE_SUFFIX.sub("", stem).lower()
    if len(stem) < 3 or stem in ("image", "img", "photo", "picture", "default"):
        # a generic file name (".../1.3874336!/image/image.jpg") is told apart by its directory
        dirs = [d for d in path.split("/")[:-1] if d and not SIZE_DIR.match(d)]
        return (dirs[-1].lower() + "/" + stem) if dirs else None
    return stem


def _contains_metadata_path(meta_paths: list[str], urls: list[str]) -> bool:
    """A derivative URL built on the page image's own path (``image.jpg_gen/derivatives/...``)."""
    for meta_path in meta_paths:
        for url in urls:
            path = unquote(urlsplit(url).path)
            if len(path) > 1 and len(meta_path) > 1 and (meta_path.startswith(path + "_") or path.startswith(meta_path + "_")):
                return True
    return False


def _img_urls(ex, img) -> list[str]:
    """The URLs of an img, the one it shows first: a lazy-loading attribute's (what a browser
    shows once the page's script runs), then ``src``, then the ``srcset`` candidates."""
    urls = []
    for attr in LAZY_ATTRS:
        value = (img.get(attr) or "").strip()
        if value and not value.startswith("data:"):
            urls.append(value)
    src = (img.get("src") or "").strip()
    if src and not src.startswith("data:"):
        urls.append(src)
    for attr in ("srcset", "data-srcset"):
        for candidate in (img.get(attr) or "").split(","):
            value = candidate.strip().split(" ")[0]
            if value and not value.startswith("data:"):
                urls.append(value)
    return _dedupe(ex.absolute(u) for u in urls)


def _is_logo(ex, img) -> bool:
    """The site's logo or a decoration: an image linking to the home page, or a vector/icon file."""
    urls = _img_urls(ex, img)
    if urls and DECORATION_FILE.search(urls[0]):
        return True
    for anc in img.iterancestors("a"):
        url = _link_url(ex, anc)
        return bool(url) and _is_home(url, ex.response.url)
    return False


def _beside_headline(ex, h1):
    """A content picture a few nodes before or after the headline, not in a link to another
    page, not a decoration: a lead image the metadata does not name."""
    order, nodes = ex.page.order, ex.page.nodes
    at = order.get(h1, 0)
    for offset in sorted(range(-ADJACENT_NODES, ADJACENT_NODES + 1), key=abs):
        k = at + offset
        if offset == 0 or k < 0 or k >= len(nodes):
            continue
        node = nodes[k]
        if getattr(node, "tag", None) != "img" or not _img_urls(ex, node) or _is_logo(ex, node):
            continue
        if any(_link_url(ex, a) for a in node.iterancestors("a")):
            continue
        parent = node.getparent()
        if parent is not None and any(_link_url(ex, a) for a in parent.iter("a")):
            continue  # an image between links: a separator of a trail or menu
        if _too_small(node):
            continue
        return node
    return None


def _first_figure_after(ex, h1):
    """The first ``figure`` picture after the headline within its article (the ``article``
    element holding the h1, else the block a few levels up): the article's first picture."""
    scope = next((anc for anc in h1.iterancestors("article", "main")), None)
    if scope is None:
        scope = h1
        for _ in range(CATEGORY_LEVELS):
            scope = scope.getparent() if scope.getparent() is not None else scope
    h1_at = ex.page.order.get(h1, 0)
    for img in scope.iter("img"):
        if ex.page.order.get(img, 0) < h1_at or not _img_urls(ex, img) or _is_logo(ex, img) or _too_small(img):
            continue
        if next(img.iterancestors("figure"), None) is None:
            continue
        if any(_link_url(ex, a) and not DISPLAYED_FILE.search(_link_url(ex, a)) for a in img.iterancestors("a")):
            continue  # a picture linking to another page is a card or a promo
        return img
    return None


def _too_small(img) -> bool:
    """An icon by its declared size."""
    for attr in ("width", "height"):
        value = (img.get(attr) or "").strip().rstrip("px")
        if value.isdigit() and int(value) < ICON_MAX_PIXELS:
            return True
    return False


def _caption(ex, img, h1) -> str | None:
    """The caption of a picture: a figcaption or short text in the block that holds the picture
    alone (not the headline, no other picture), else its alt/title text when that describes the
    picture (not the headline again, not a bare label)."""
    headline = clean_text(text_of(h1)) if h1 is not None else (read_headline(ex) or "")
    node = img
    while True:
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html", "article", "main"):
            break
        if (h1 is not None and (parent is h1 or h1 in parent.iterdescendants("h1"))) \
                or any(other is not img for other in parent.iter("img")):
            break
        for cap in parent.iter("figcaption"):
            text = clean_text(text_of(cap))
            if text:
                return text
        text = clean_text(text_of(parent))
        if len(text) > CAPTION_MAX_CHARS:
            break
        if text and not _is_credit(text):
            return text
        node = parent
    for attr in ("alt", "title"):
        text = clean_text(img.get(attr))
        if not text or _words_count(text.rstrip(":")) < CAPTION_MIN_WORDS or text.endswith(":"):
            continue
        if headline and _shares_words(text, headline) >= ALT_IS_HEADLINE:
            continue
        return text
    return None


def _is_credit(text: str) -> bool:
    """A photo credit line (``© REUTERS / ...``), not a caption."""
    return text.lstrip().startswith(("©", "(c)", "(C)"))


def _shares_words(text: str, other: str) -> float:
    words, others = _key_words(text), set(_key_words(other))
    return sum(w in others for w in words) / len(words) if words else 0.0


# --- JSON-LD helpers ------------------------------------------------------------------------

def _ld_types(obj: dict) -> set[str]:
    kinds = obj.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return {str(k).lower() for k in kinds if k}


def _ld_string(value: Any) -> str | None:
    if isinstance(value, list):
        return next((s for s in (_ld_string(v) for v in value) if s), None)
    if isinstance(value, dict):
        return _ld_string(value.get("name") or value.get("@value"))
    if value is None:
        return None
    return clean_text(str(value)) or None


def _ld_strings(value: Any) -> list[str]:
    if isinstance(value, list):
        return [s for v in value for s in _ld_strings(v)]
    text = _ld_string(value)
    return [text] if text else []


__all__ = ["PageView", "read_headline", "read_section", "read_tags", "read_lead_image", "site_name_from_title",
           "title_without_site", "title_parts", "headline_element"]
