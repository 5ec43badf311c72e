"""The ``trafilatura`` body strategy: the main text of a page whose layout no spider declares.

trafilatura finds the main text of almost any page; what it cannot know is what the project
counts as body (SCHEMA.md). So each line it returns is traced back to the element of the page
that holds it, and dropped when that element is:

- a block of a related list or its heading (the engine's related finder ran first), or a short
  line beside the links of such a list (a related story's date);
- an image caption (``DEFAULT_IMAGE_CAPTION``, ``figcaption``, or bound to its image by
  structure: ``structure.image_captions``) or inside ``figure``;
- in a comment zone (the region of a comment form and what follows it, ``structure.
  comment_zones``; an element whose class or id names comments or modal windows is a hint too),
  or a short comment policy standing right before one (``... التعليقات``);
- outside the story's block (``structure.article_scope``: the element holding the headline's
  ``h1`` and the first paragraph after it): the page header, a sibling column, a dialog, the
  footer;
- the headline (``h1``, or the metadata title at the top), hidden, in navigation, a menu, a
  footer or a small form.

By the shape of the line: a copyright / "powered by" line, and a reading-time or count chip
(``2min``) above the story's first paragraph. And a comment notice after the story's run of
paragraphs (``structure.comment_tail_start``). None of these needs a class name: a redesign that
renames every class keeps them.

Bylines, boilerplate prompts and the opening/closing agency and dateline lines are then handled
by the engine exactly as for a declared body container. The container whose images are the
article's is the lowest common ancestor of the kept lines, when it holds little else.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

from akhbar.extraction import structure
from akhbar.extraction.config import DEFAULT_IMAGE_CAPTION
from akhbar.extraction.dom import BLOCK, NO_TEXT, subtree_texts, text_of
from akhbar.extraction.selecting import select
from akhbar.extraction.metadata import ld_text
from akhbar.text import clean_text

# Class/id words of regions that never hold the article's text.
_ZONE = re.compile(r"comment|disqus|modal|popup|cookie|newsletter|subscribe", re.I)
# Vocabulary of a comment policy / comment prompt (with its own prefixes: التعليقات, لتعليقك ...).
_COMMENT_WORDS = re.compile(r"(?<![^\W\d_])(?:ب|ل|و|ف)?(?:ال)?(?:تعليق|تعليقات|تعليقك|التعليقات|مشاركاتك|النقاش)(?![^\W\d_])")
_NEVER_TAGS = frozenset({"nav", "footer", "aside", "header", "figure", "figcaption", "menu", "select",
                         "button", "label", "h1"})
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")
_MIN_CHARS = 120  # less main text than this is no article (a bare headline page, an error page)
_CONTAINER_SLACK = 2.5  # the image container may hold at most this times the body's text
# Characters of page text (scripts and styles left out) above which trafilatura runs without its
# fallback extractors (jusText, readability): they take many seconds on a megabyte of text, and
# no article has this much.
_FAST_ABOVE = 300_000


# trafilatura logs a page it cannot parse at ERROR; akhbar counts that page itself (no_main_text,
# no_body), and a crawl's ERROR count is what its monitors read: its own lines stay below ERROR.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


def extract_lines(html: str, url: str | None = None, fast: bool = False) -> list[str]:
    """trafilatura's main text of a page, one cleaned line per paragraph (its plain-text output)."""
    import trafilatura  # imported late: only the generic strategy needs it

    # Its defaults: with include_comments=False it also loses leads it otherwise keeps (Sputnik);
    # comment zones are dropped by tracing the lines back to the page instead.
    text = trafilatura.extract(html, url=url, output_format="txt", fast=fast) or ""
    return [line for line in (clean_text(x) for x in text.splitlines()) if line]


def main_text(extraction, used: set) -> tuple[list, list[str]]:
    """(containers for images, raw body paragraphs) of the page, for the engine to finish.

    Raises NotAnArticle when the page is no article: a site root (``home_page``), no main text
    (``no_main_text``), or neither article markup (JSON-LD article, ``og:type`` article, an
    ``<article>`` holding the ``<h1>``, ``articleBody``) nor a main text of several paragraphs in
    one compact container under an ``<h1>`` (``no_article_markup``): a home or section page gives
    trafilatura some text too.
    """
    from akhbar.extraction.engine import NotAnArticle

    response, root = extraction.response, extraction.root
    raw = subtree_texts(root)  # every element's text, in one pass
    lines = extract_lines(response.text, response.url, fast=len(raw.get(root, "")) > _FAST_ABOVE)
    if not lines:
        raise NotAnArticle("no_main_text")
    index = _TextIndex(root, max_raw=4 * sum(len(line) for line in lines) + 10_000, raw=raw)
    captions = set()
    for selector in extraction.config.selectors.get("image_caption", [DEFAULT_IMAGE_CAPTION]):
        captions.update(e for e in select(root, selector, extraction.page) if isinstance(getattr(e, "tag", None), str))
    captions |= structure.image_captions(root, raw)  # by structure: renamed classes lose the above
    zones = structure.comment_zones(root, raw)
    titles = {clean_text(t) for t in (extraction.meta.first("og:title"), ld_text(extraction.meta.ld("headline")))
              if t}
    found = [(line, index.find(line)) for line in lines]
    scope = _article_scope(root, found, titles, extraction.page.order)
    kept: list[str] = []
    elements: list = []
    pairs: list = []
    story_started = False  # a paragraph of the story kept: no chip below it is dropped
    for line, el in found:
        if not pairs and line in titles:
            continue  # the headline repeated at the top of the main text
        if el is not None and (_not_body(el, used, captions, zones, line)
                               or (scope is not None and not structure.in_scope(el, scope))):
            continue
        if structure.is_footer_line(line) or (el is not None and structure.in_link_block(el, line, raw)):
            continue
        if not story_started and structure.is_chip(line):
            continue  # a reading-time / share-count chip above the story
        story_started = story_started or structure.is_sentence_run(line)
        pairs.append((line, el))
    del pairs[structure.comment_tail_start(pairs):]  # a comment notice after the story
    for line, el in pairs:
        kept.append(line)
        if el is not None:
            elements.append(el)
    chars = sum(len(line) for line in kept)
    if chars < _MIN_CHARS:
        raise NotAnArticle("no_main_text")
    if urlsplit(response.url).path in ("", "/"):
        raise NotAnArticle("home_page")
    containers = _image_containers(elements, kept, index)
    # Without article markup: several paragraphs under an <h1>, all in one compact container.
    if not _article_markup(extraction) and not (len(kept) >= 3 and chars >= 3 * _MIN_CHARS
                                                and containers and root.xpath("//h1")):
        raise NotAnArticle("no_article_markup")
    return containers, kept


_ARTICLE_OG_TYPES = ("article", "news", "newsarticle")


def _article_markup(extraction) -> bool:
    meta = extraction.meta
    if meta.jsonld is not None and "webpage" not in str(meta.jsonld.get("@type")).lower():
        return True
    if (meta.first("og:type") or "").lower() in _ARTICLE_OG_TYPES:
        return True
    return bool(extraction.root.xpath("//article[.//h1] | //*[@itemprop='articleBody']"))


def _article_scope(root, found: list, titles: set, order: dict):
    """The story's block (``structure.article_scope``): the headline's ``h1`` and the first
    paragraph of the main text after it; None without one."""
    h1 = structure.headline_element(root, titles)
    if h1 is None:
        return None
    start = order.get(h1)
    if start is None:
        return None
    for line, el in found:
        if el is not None and order.get(el, -1) > start and structure.is_sentence_run(line):
            return structure.article_scope(h1, el)
    return None


def _not_body(el, used: set, captions: set, zones: set, line: str) -> bool:
    if el.find(".//h1") is not None:
        return True  # a region holding the headline read as one line (its header, the whole story card)
    for node in (el, *el.iterancestors()):
        if node in used or node in captions or node in zones:
            return True
        tag = node.tag
        if tag in _NEVER_TAGS:
            return True
        if tag == "form" and not node.xpath(".//h1"):
            return True
        if _ZONE.search((node.get("class") or "") + " " + (node.get("id") or "")):
            return True
        if node.get("hidden") is not None or _HIDDEN.search(node.get("style") or "") \
                or node.get("aria-hidden") == "true":
            return True
    for node in (el, el.getparent()):  # a comment policy right before the comment widget
        if node is not None and (_precedes_comments(node) or structure.precedes_zone(node, zones)) \
                and _COMMENT_WORDS.search(clean_text(text_of(node))):
            return True
    return False


def _precedes_comments(node) -> bool:
    nxt = node.getnext()
    while nxt is not None and not isinstance(nxt.tag, str):
        nxt = nxt.getnext()
    if nxt is None:
        return False
    return any(_ZONE.search((e.get("class") or "") + " " + (e.get("id") or ""))
               for e in (nxt, *nxt.iterdescendants()) if isinstance(e.tag, str)) \
        and len(clean_text(text_of(node))) < 1200


class _TextIndex:
    """The page's elements by their cleaned text, to find the element holding a line."""

    def __init__(self, root, max_raw: int | None = None, raw: dict | None = None) -> None:
        """``max_raw``: elements with a longer raw text (page regions far larger than the whole
        main text) are not indexed, only their size is; so a 1 MB text node under hundreds of
        wrappers is not cleaned once per wrapper."""
        self.exact: dict[str, object] = {}
        self.texts: list[tuple[int, str, object]] = []
        self.size: dict[int, int] = {}
        if raw is None:  # every element's text_of in one pass (deep pages stay linear)
            raw = subtree_texts(root)
        cleaned: dict[str, str] = {}  # a wrapper shares its only child's text (the same string)
        for el in root.iter():
            tag = el.tag
            if not isinstance(tag, str) or tag in NO_TEXT or tag in ("html", "body"):
                continue
            if tag not in BLOCK and tag not in ("span", "font", "b", "strong", "a", "em", "i", "u"):
                continue
            text = raw.get(el)
            if text is None:
                text = text_of(el)
            if max_raw is not None and len(text) > max_raw:
                self.size[id(el)] = len(text)  # larger than any image container may be
                continue
            if text not in cleaned:
                cleaned[text] = clean_text(text)
            text = cleaned[text]
            if not text:
                continue
            self.exact[text] = el  # later (deeper) elements with the same text win
            self.texts.append((len(text), text, el))
        self.texts.sort(key=lambda t: t[0])
        self.size.update((id(el), n) for n, _, el in self.texts)

    def find(self, line: str):
        el = self.exact.get(line)
        if el is not None:
            return el
        for _, text, el in self.texts:  # the smallest element holding the line (a <br> part)
            if len(text) >= len(line) and line in text:
                return el
        return None


def _image_containers(elements: list, kept: list[str], index: _TextIndex) -> list:
    if not elements:
        return []
    common = elements[0]
    for el in elements[1:]:
        ancestors = {common, *common.iterancestors()}
        node = el
        while node is not None and node not in ancestors:
            node = node.getparent()
        if node is None:
            return []
        common = node
    if common.tag in ("html", "body"):
        return []
    limit = _CONTAINER_SLACK * sum(len(line) for line in kept) + 200
    if index.size.get(id(common), 0) > limit:
        return []  # a page region far larger than the body: its images are not the article's
    # The lead image often sits above the text, with the headline: up to the story's block
    # holding the <h1>, when that one is still small.
    node, levels = common, 0
    while not node.xpath(".//h1") and levels < 2:
        parent = node.getparent()
        if parent is None or parent.tag in ("html", "body") or index.size.get(id(parent), 0) > limit:
            break
        if parent.xpath(".//h1"):
            return [parent]
        node, levels = parent, levels + 1
    return [common]
