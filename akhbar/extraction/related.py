"""Related lists found by their headings, whatever their containers are called.

A *story link* is a link to an article of the outlet (``related_link`` or ``article_url``) that
stands alone in its block (a list item, a card title, ``اقرأ أيضا: <a>``), not a link inside a
sentence; its title is the link text (else the image's alt, else its title attribute; link text
wins over alt text for the same story). A *heading* is a short (``max_chars``), visible text
element that is not a link that leads somewhere, holds no story link, is not a date or a relative
time, not a byline, not microdata, not an image URL or a copyright line, and not the trailing text of a card.

Each story link gets, in this order:
1. the label of the tab whose panel holds it (``href="#id"``/``.class``, ``data-target``,
   ``aria-controls``; or k tab labels in a row followed by k panels, in order: related_tabs.py);
2. its own item label (``اقرأ أيضا:`` in the link's block) - unless sibling items carry
   different labels (then they are categories, ``اقتصاد:``, and the list heading applies);
3. ``""`` when it sits in a declared headless ``related_card``;
4. the nearest heading before it in page order whose lowest common ancestor with the link is at
   most ``max_levels`` levels above the heading, with no menu/footer/comment form in between.
Links with none of these are not in a headed list (a ticker without a title) and are left out;
so are lone links to the page itself (a comment count, a date). Navigation regions
(``related_exclude``) are never searched. The heading and link blocks used are returned so the
body never reads them.

Cost: lxml picks the page's links and heading candidates in C (``iter(tag...)``); a candidate is
judged only when a story link looks back for its heading (or a tab run or a nesting check asks),
so most of a page's elements are never read.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Callable, NamedTuple

from akhbar.extraction.dom import BLOCK, NO_TEXT, text_of, text_within
from akhbar.extraction.links import join_url
from akhbar.extraction.related_tabs import TAB_ATTRIBUTES, tab_button, tab_runs, tab_targets, target_panels
from akhbar.text.lines import byline_line

HEADING_TAGS = frozenset({
    "h2", "h3", "h4", "h5", "h6", "p", "span", "div", "li", "a", "strong", "b", "em", "label",
    "button", "header", "legend", "dt", "th", "caption", "section", "font", "u", "i",
})
_DATE_LIKE = re.compile(
    r"\d{4}|\d{1,2}:\d{2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2}"
    r"|^(?:منذ|قبل)\s+(?:\d+\s+)?(?:ثانية|ثوان|دقيقة|دقيقتين|دقائق|ساعة|ساعتين|ساعات|يوم|يومين|أيام|"
    r"اسبوع|أسبوع|أسابيع|شهر|أشهر|شهور|سنة|عام)")
# A text that is only periods of time: the filters of a most-read list, one or a row of them.
_PERIOD = re.compile(r"^(?:\s*(?:\d+\s*)?(?:ساعة|ساعات|ساعه|يوم|أيام|ايام|اليوم|أسبوع|اسبوع|الأسبوع|أسابيع|شهر|"
                     r"الشهر|أشهر|سنة|عام|hours?|days?|weeks?|months?|today)\s*[|/·-]?)+$", re.I)
_NOT_A_HEADING = re.compile(r"https?://|www\.|©|\.(?:png|jpe?g|gif|svg|webp)\b", re.I)
_LETTER = re.compile(r"[^\W\d_]")
_PUNCT = re.compile(r"[\W\d_]+")
# A link's block may hold this many letters besides its links and still be a label
# ("اقرأ أيضا:", "اقتصاد:"); more is a sentence the link sits in.
_INLINE_LABEL_MAX = 25
# An element with more descendant elements than this is a region, never one heading.
_HEADING_MAX_ELEMENTS = 200
# ... or more raw characters than this (a heading is at most max_chars long once cleaned).
_HEADING_MAX_RAW = 5000


# A link whose href starts so leads nowhere (a tab toggle, an anchor, a script).
_NOT_NAVIGATING = ("#", ".", "javascript:")


@dataclass
class RelatedResult:
    """The related entries ({"block", "title", "url"}) in page order, and the elements they came from."""

    related: list[dict] = field(default_factory=list)
    used: set = field(default_factory=set)  # heading and link-block elements: never body


def find_related(root, base_url: str, self_urls: set[str], is_related_url: Callable[[str], bool],
                 exclude_roots: set, clean: Callable[[str], str], max_chars: int = 50,
                 cards: set = frozenset(),
                 max_levels: int = 4, headings: set | None = None,
                 join: Callable[[str, str], str] = join_url, nodes: list | None = None,
                 order: dict | None = None) -> RelatedResult:
    """The page's related lists: each standalone story link with the heading of its list (module
    docstring), in page order, one entry per heading and story, and the elements used.

    ``clean``: the text layer's ``clean_text`` (a link's block is read only in part when that
    settles it: ``_block_standalone`` relies on its cleaning being character by character).
    ``nodes``, ``order``: every node under ``root`` in page order and node -> its place in it
    (``dom.PageTree``), if already made."""
    if nodes is None:
        nodes = list(root.iter())
    if order is None:  # page order of every node (only compared: comments and unread elements have one too)
        order = {el: k for k, el in enumerate(nodes)}
    # What an element inherits from its ancestors, as sets of descendants: below an element that
    # is never page text (NO_TEXT: unread), below an excluded region, below a navigating link.
    # lxml's iter(tag...) picks the few elements each needs in C; page order is kept throughout.
    unread = _unread_elements(root)
    excluded = _excluded_regions(exclude_roots, unread, order)
    excluded_below, barriers, holds_excluded = excluded.below, excluded.barriers, excluded.holders
    page_links = _collect_links(root, base_url, self_urls, is_related_url, join, unread, excluded_below,
                                exclude_roots, order)
    title_links = _section_title_links(page_links.navigating, page_links.story_url,
                                       [pos for pos, _, _ in page_links.stories], order)
    # Elements that may be headings (judged further below, when asked), in page order.
    candidates = _heading_candidates(root, headings, unread, excluded_below, exclude_roots, page_links,
                                     title_links, order)
    # (label element, target string); an outlet that declares its headings declares no tabs
    targets = tab_targets(root, candidates, page_links.toggles, order) if headings is None else []

    stories = _standalone_story_links(page_links.stories, clean)
    stories_below = _stories_below(stories)
    holds_nav_link = _add_ancestors(page_links.navigating, set())  # (never a heading)

    # Labels inside a link's own block ("اقرأ أيضا: <a>", "اقتصاد: <a>") are item labels, not
    # headings of what follows. They head their own link, unless the sibling items carry
    # different labels (then they are categories and the list's heading applies).
    blocks = {story.block: story.label for story in stories}
    item_labels, item_label_of = _item_labels(candidates, blocks, stories_below, holds_nav_link, holds_excluded,
                                              clean, order)

    judge = _heading_judge(stories_below, holds_nav_link, holds_excluded, item_labels, clean, max_chars, order)
    heads = _Headings(candidates, order, judge)
    panels = target_panels(root, targets, heads, nodes, order, unread)  # panel -> (label, its text)
    tab_runs(heads, stories, panels)

    for block, label in blocks.items():  # a block's own label, where no candidate labels it
        if label and block not in item_label_of:
            item_label_of[block] = label
    by_list, list_of = _group_by_list(blocks, stories_below)
    _drop_category_labels(by_list, item_label_of)

    controls = set(page_links.toggles)
    controls.update(root.iter("button"))
    finder = _HeadingFinder(heads, order, barriers, max_levels, controls, sorted(story.position for story in stories),
                            cards, panels, item_label_of)
    collector = _RelatedCollector()
    for story in stories:
        heading = finder.heading_of(story)
        if heading is None:
            continue
        if story.url in self_urls and len(by_list.get(list_of.get(story.block), ())) < 2:
            continue  # a lone link to the page itself (a tag, a date, a comment count)
        collector.add(heading, story)
    return collector.finish()


def _unread_elements(root) -> set:
    """Every element below one that is never page text (``NO_TEXT``: a script, a style ...)."""
    unread: set = set()
    for el in root.iter(*NO_TEXT):
        if len(el) and el not in unread:
            unread.update(el.iterdescendants())
    return unread


def _add_ancestors(elements, into: set) -> set:
    """Add the ancestors of each element to ``into`` (going up from each until one already there:
    so are its own); return ``into``."""
    for el in elements:
        node = el.getparent()
        while node is not None and node not in into:
            into.add(node)
            node = node.getparent()
    return into


@dataclass
class _ExcludedRegions:
    """The navigation regions never searched (``related_exclude``) that are page text, the
    outermost of nested ones."""

    below: set = field(default_factory=set)  # every element inside one
    barriers: list = field(default_factory=list)  # their page order: a heading does not reach across one
    holders: set = field(default_factory=set)  # elements containing one (never a heading)


def _excluded_regions(exclude_roots: set, unread: set, order: dict) -> _ExcludedRegions:
    """The excluded regions that are page text, an inner one inside an outer one skipped."""
    regions = _ExcludedRegions()
    for el in sorted(exclude_roots, key=order.__getitem__):
        if el in regions.below or el in unread or el.tag in NO_TEXT:
            continue
        regions.barriers.append(order[el])
        _add_ancestors((el,), regions.holders)
        if len(el):
            regions.below.update(el.iterdescendants())
    return regions


@dataclass
class _PageLinks:
    """The page's readable links (none below an unread element), sorted by what they do."""

    # (page order, link, story URL) of the links to the outlet's articles
    stories: list = field(default_factory=list)
    # links that lead somewhere (their containers are never headings)
    navigating: list = field(default_factory=list)
    # links that lead nowhere (href="#id", "javascript:..."): maybe tab labels
    toggles: list = field(default_factory=list)
    inside_navigating: set = field(default_factory=set)  # every element inside a navigating link
    # href -> the story URL it links to, or None (a page links many stories twice)
    story_url: dict = field(default_factory=dict)


def _collect_links(root, base_url: str, self_urls: set[str], is_related_url: Callable[[str], bool],
                   join: Callable[[str, str], str], unread: set, excluded_below: set, exclude_roots: set,
                   order: dict) -> _PageLinks:
    """Every link of the page in page order: navigating or a toggle, and a story link when it
    leads to an article of the outlet from outside the excluded regions (a link to this very page
    only without a fragment: "#comments" is not a story)."""
    found = _PageLinks()
    # the lists as locals: this loop reads every link of the page
    stories, navigating, toggles = found.stories, found.navigating, found.toggles
    inside_navigating, story_url = found.inside_navigating, found.story_url
    for el in root.iter("a"):
        if el in unread:
            continue
        href = el.get("href")
        if href is None:
            continue
        stripped = href.strip()
        if stripped and not stripped.startswith(_NOT_NAVIGATING):  # a link that leads somewhere
            navigating.append(el)
            if len(el) and el not in inside_navigating:
                inside_navigating.update(el.iterdescendants())
        else:
            toggles.append(el)
        if not href or stripped[:1] == "#" or el in excluded_below or el in exclude_roots:
            continue
        try:
            url = story_url[stripped]
        except KeyError:
            url, _, fragment = join(base_url, stripped).partition("#")
            if not is_related_url(url) or (fragment and url in self_urls):
                url = None
            story_url[stripped] = url
        if url is not None:
            stories.append((order[el], el, url))
    return found


def _heading_candidates(root, declared: set | None, unread: set, excluded_below: set, exclude_roots: set,
                        page_links: _PageLinks, title_links: set, order: dict) -> list:
    """The elements that may be headings, in page order: the outlet's declared ones (a heading
    even as a section link), else every element of a ``HEADING_TAGS`` tag not inside a link that
    leads somewhere, and not such a link unless it titles a section. None in an unread element
    or an excluded region."""
    if declared is not None:
        return sorted((el for el in declared if el not in unread and el.tag not in NO_TEXT
                       and el not in excluded_below and el not in exclude_roots), key=order.__getitem__)
    navigating = set(page_links.navigating)
    link_below = page_links.inside_navigating
    return [el for el in root.iter(*HEADING_TAGS)
            if el not in unread and el not in excluded_below and el not in exclude_roots
            and el not in link_below and (el not in navigating or el in title_links)]


class _StoryLink(NamedTuple):
    """A story link that stands alone in its block, with what the list reading needs of it."""

    position: int  # page order
    link: object  # the <a> element
    url: str
    title: str
    block: object  # the block it stands alone in (itself when it is in none)
    label: str | None  # the short label beside it in its block ("اقرأ أيضا:"), if any
    weak: bool  # the title is the image's alt text or the link's title attribute, not its text


# _StoryLink(...) is a Python call (a page has hundreds of story links): the tuple made in C.
_new_story_link = tuple.__new__


def _link_title(a, clean: Callable[[str], str]) -> tuple[str, bool]:
    """(title, weak): the link's text, else (weak) its images' alt text, else its title attribute."""
    title = clean(text_of(a))
    weak = not title
    if weak:
        title = clean(" ".join(img.get("alt") or img.get("title") or "" for img in a.iter("img"))) \
            or clean(a.get("title") or "")
    return title, weak


def _standalone_story_links(links: list, clean: Callable[[str], str]) -> list[_StoryLink]:
    """The story links (page order, element, url) with a title of letters that is not a date,
    standing alone in their block (not inside a sentence), in page order."""
    kept: list[_StoryLink] = []
    standalone: dict = {}  # block -> what _standalone found (a card's image and title link share one)
    for pos, a, url in links:
        title, weak = _link_title(a, clean)
        if not title or not _LETTER.search(title) or _date_only(title):
            continue
        block, label = _standalone(a, clean, standalone)
        if block is None:
            continue  # a link inside a sentence
        kept.append(_new_story_link(_StoryLink, (pos, a, url, title, block, label, weak)))
    return kept


def _stories_below(stories: list[_StoryLink]) -> dict:
    """Element -> (page order of the first story link in it, its url, links to several stories?)
    for every story link and each of its ancestors."""
    stories_below: dict = {}
    for story in stories:
        pos, url = story.position, story.url
        node = story.link
        while node is not None:
            info = stories_below.get(node)
            if info is None:
                stories_below[node] = (pos, url, False)
            elif info[2]:
                break  # holds several stories already, and so does every ancestor
            elif info[1] != url:
                stories_below[node] = (info[0], info[1], True)
            node = node.getparent()
    return stories_below


# How far above an item label its link's block may be (a label wrapped in a few inline elements).
_ITEM_LABEL_MAX_LEVELS = 8


def _item_labels(candidates: list, blocks: dict, stories_below: dict, holds_nav_link: set, holds_excluded: set,
                 clean: Callable[[str], str], order: dict) -> tuple[set, dict]:
    """(the candidates that are item labels: inside a link's block, so never headings;
    block -> the text of its first item label that is not a date)."""
    item_label_of: dict = {}
    in_block: set = set()  # the link blocks and everything in them (an item label is in one)
    for block in sorted(blocks, key=lambda b: order.get(b, -1)):
        if block not in in_block:  # an outer block added it already
            in_block.add(block)
            in_block.update(block.iterdescendants())
    item_labels: set = set()
    if in_block:
        for el in candidates:
            if el not in in_block or el in stories_below or el in holds_nav_link or el in holds_excluded:
                continue
            owner, node, depth = None, el, 0
            while node is not None and depth < _ITEM_LABEL_MAX_LEVELS:
                if node in blocks:
                    owner = node
                    break
                node, depth = node.getparent(), depth + 1
            if owner is not None:
                item_labels.add(el)
                text = clean(text_of(el))
                if text and not _DATE_LIKE.search(text) and owner not in item_label_of:
                    item_label_of[owner] = text
    return item_labels, item_label_of


# A heading's raw text may be this many times its cleaned length limit (markup indentation,
# entities, hidden bits) before it is too long to be worth cleaning.
_HEADING_RAW_PER_CHAR = 20


def _heading_judge(stories_below: dict, holds_nav_link: set, holds_excluded: set, item_labels: set,
                   clean: Callable[[str], str], max_chars: int, order: dict) -> Callable[[object], str | None]:
    """The judge of heading candidates: element -> its cleaned text if it is a heading (short,
    visible, of letters, not a date, byline, period filter, lone control or a card's trailing
    text; holding no story or navigating link, no excluded region; not an item label), else None.
    It reads each element's hidden state once (a page asks about many elements' parents)."""
    limit = max(_HEADING_MAX_RAW, _HEADING_RAW_PER_CHAR * max_chars)
    hidden = _HiddenCache()

    def judge(el) -> str | None:
        """The text of a candidate if it is a heading, else None."""
        if el in stories_below or el in holds_nav_link or el in holds_excluded or el in item_labels:
            return None
        parent = el.getparent()
        if hidden(el) or (parent is not None and hidden(parent)) or el.get("itemprop") is not None:
            return None
        if len(el):
            # a region, not a heading (and a deep nest's text is not read level by level): at
            # least _HEADING_MAX_ELEMENTS descendants, told by the last one's place in page order
            last, steps = el, 0
            while len(last) and steps <= _HEADING_MAX_ELEMENTS:
                last, steps = last[-1], steps + 1
            if len(last) or order[last] - order[el] > _HEADING_MAX_ELEMENTS:
                return None
            text = _visible_text(el, hidden, limit=limit)
        else:
            text = el.text or ""
        if len(text) > limit:
            return None  # far too long to be a heading: not cleaned (a 1 MB text node, once per level)
        text = clean(text)
        if not text or len(text) > max_chars or not _LETTER.search(text) or _DATE_LIKE.search(text) \
                or _NOT_A_HEADING.search(text):
            return None
        if byline_line(text) is not None:
            return None  # a byline ("كتبت أسماء نصار") credits the story, it heads no list
        if _PERIOD.match(text):
            return None  # a most-read period filter ("24 ساعة", "7 أيام", "شهر"), not a title
        if el.tag == "button" and not tab_button(el):
            return None  # a control ("Copy", a close button), not a list's title
        info = stories_below.get(parent) if parent is not None else None
        if info is not None and info[0] < order[el] and not info[2]:
            return None  # trailing text of a one-link card (a date, a label): not a heading
        return text

    return judge


# What _stories_below gives an element it never reached: treated as holding several stories.
_SEVERAL_STORIES = (0, "", True)


def _group_by_list(blocks: dict, stories_below: dict) -> tuple[dict, dict]:
    """(list element -> its link blocks, block -> its list): a block's item is its largest
    ancestor holding this one story only, and the item's parent is the list."""
    by_list: dict = {}
    list_of: dict = {}
    for block in blocks:
        item = block
        node = block.getparent()
        while node is not None and not stories_below.get(node, _SEVERAL_STORIES)[2]:
            item, node = node, node.getparent()
        by_list.setdefault(item.getparent(), []).append(block)
        list_of[block] = item.getparent()
    return by_list, list_of


def _drop_category_labels(by_list: dict, item_label_of: dict) -> None:
    """Forget the item labels of a list whose items carry different ones (or some none): they are
    categories ("اقتصاد:", "رياضة:"), and the list's heading applies."""
    for siblings in by_list.values():
        labels = {item_label_of.get(b) for b in siblings}
        if len(siblings) > 1 and len(labels) > 1:
            for b in siblings:
                item_label_of.pop(b, None)


# A link looks back past at most this many headings too far up the tree from it: a list's heading
# is among the nearest few, further back are other lists' headings.
_HEADING_MAX_SKIPPED = 3


class _HeadingFinder:
    """The heading of each story link, by the rules of the module's docstring, in their order:
    its tab panel's label, its own item label, "" in a headless related card, the nearest
    heading before it close enough in the tree (or the title of the bar that heading is a
    control of)."""

    def __init__(self, heads: "_Headings", order: dict, barriers: list, max_levels: int, controls: set,
                 link_orders: list, cards: set, panels: dict, item_label_of: dict):
        self.heads = heads
        self.order = order
        self.barriers = barriers  # page order of excluded regions
        self.max_levels = max_levels
        self.controls = controls  # toggles and buttons: their heading may be a title bar's title
        self.link_orders = link_orders  # page order of the story links, sorted
        self.cards = cards
        self.panels = panels  # panel -> (tab label, its text)
        self.item_label_of = item_label_of  # block -> its item label

    def heading_of(self, story: _StoryLink) -> tuple | None:
        """(heading element or None for an item label, heading text), or None when the link is in
        no headed list."""
        a = story.link
        if self.panels:
            for anc in a.iterancestors():
                if anc in self.panels:
                    return self.panels[anc]
        if self.item_label_of.get(story.block):
            return None, self.item_label_of[story.block]
        if self.cards:
            for anc in a.iterancestors():
                if anc in self.cards:
                    return anc, ""  # a related card with no heading
        return self._nearest_heading(story.position, a)

    def _nearest_heading(self, pos: int, a) -> tuple | None:
        """The nearest heading before page position ``pos`` at most ``max_levels`` above its
        common ancestor with link ``a``, no excluded region between (a title bar's control gives
        way to the bar's title); None past _HEADING_MAX_SKIPPED headings too far up."""
        heads, barriers = self.heads, self.barriers
        skipped = 0
        for k in heads.before(pos):
            if skipped >= _HEADING_MAX_SKIPPED:
                break
            el = heads.elements[k]
            b = bisect.bisect_right(barriers, self.order[el])
            if b < len(barriers) and barriers[b] < pos:
                break  # a menu, form or footer lies between: not this list's heading
            if _levels_to_common(el, a) <= self.max_levels:
                heading = (el, heads.text(k))
                if el in self.controls or any(anc in self.controls for anc in el.iterancestors()):
                    heading = _title_bar_heading(heads, el, self.link_orders) or heading
                return heading
            skipped += 1
        return None


class _RelatedCollector:
    """The result in link order: one entry per (heading text, url). A repeat adds only its block,
    except that the first repeat's link text replaces a title taken from an image's alt text
    (the alt-text mark is dropped at the first repeat, whichever title it has). Every heading
    and link block used is recorded."""

    def __init__(self):
        self.result = RelatedResult()
        self._index: dict = {}  # (heading text, url) -> position in result.related

    def add(self, heading: tuple, story: _StoryLink) -> None:
        """Record the story link under ``heading`` ((element or None, text))."""
        el, text = heading
        result = self.result
        key = (text, story.url)
        if key in self._index:
            entry = result.related[self._index[key]]
            if entry.pop("_weak", False) and not story.weak:
                entry["title"] = story.title  # the link text beats the image's alt text
            result.used.add(story.block)
            return
        self._index[key] = len(result.related)
        entry = {"block": text, "title": story.title, "url": story.url}
        if story.weak:
            entry["_weak"] = True
        result.related.append(entry)
        result.used.add(story.block)
        if el is not None:
            result.used.add(el)

    def finish(self) -> RelatedResult:
        """The result, without the alt-text marks."""
        for entry in self.result.related:
            entry.pop("_weak", None)
        return self.result


class _Headings:
    """The candidates of a page, judged lazily: a candidate is read only when a link, a tab label
    or a neighbouring heading asks about it (most of a page's elements never are). Indices are
    positions in ``elements`` (page order); ``text(i)`` is the heading's text or None.

    Of an element and the next heading inside it with the same text (``<h3><span>Title``), only
    the inner one is a heading.
    """

    def __init__(self, elements: list, order: dict, judge: Callable[[object], str | None]):
        self.elements = elements
        self.orders = [order[el] for el in elements]
        self._order = order
        self._judge = judge
        self._index: dict | None = None
        self._judged: dict = {}  # index -> judge(element)
        self._texts: dict = {}  # index -> text, the nesting rule applied
        self._previous: dict = {}  # index -> the nearest heading at or before it (-1: none)
        self._next: dict = {}  # index -> the nearest heading after it (len: none)

    def _judge_at(self, i: int) -> str | None:
        try:
            return self._judged[i]
        except KeyError:
            text = self._judged[i] = self._judge(self.elements[i])
            return text

    def text(self, i: int) -> str | None:
        try:
            return self._texts[i]
        except KeyError:
            pass
        text = self._judge_at(i)
        el = self.elements[i]
        if text is not None and len(el):
            # the next heading inside it, if any: its descendants follow it in page order, up to
            # its last one (a heading has at most _HEADING_MAX_ELEMENTS of them)
            last = el
            while len(last):
                last = last[-1]
            end = self._order[last]
            j = i + 1
            while j < len(self.elements) and self.orders[j] <= end:
                inner = self._judge_at(j)
                if inner is not None:
                    if inner == text:
                        text = None
                    break
                j += 1
        self._texts[i] = text
        return text

    def text_for(self, el) -> str | None:
        if self._index is None:
            self._index = {e: i for i, e in enumerate(self.elements)}
        i = self._index.get(el)
        return None if i is None else self.text(i)

    def _nearest(self, i: int, step: int, known: dict) -> int:
        """The first heading index from ``i`` on, going by ``step`` (-1 or 1); -1 or
        ``len(elements)`` if there is none. Each index passed on the way remembers where it led,
        so no candidate is passed twice in a page."""
        path = []
        end = len(self.elements)
        while 0 <= i < end:
            found = known.get(i)
            if found is not None:
                i = found
                break
            if self.text(i) is not None:
                break
            path.append(i)
            i += step
        for k in path:
            known[k] = i
        return i

    def before(self, position: int):
        """Indices of the headings before a page position, the nearest first."""
        i = self._nearest(bisect.bisect_left(self.orders, position) - 1, -1, self._previous)
        while i >= 0:
            yield i
            i = self._nearest(i - 1, -1, self._previous)

    def following(self, i: int) -> int | None:
        """Index of the first heading after index ``i``, or None."""
        j = self._nearest(i + 1, 1, self._next)
        return j if j < len(self.elements) else None


_HIDDEN_CLASS = re.compile(r"(?:^|\s)(?:d-none|hidden|hide|hideMe|sr-only|visually-hidden|screen-reader-text)(?:\s|$)")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")


def _hidden(el) -> bool:
    """Hidden from the reader by its class or style (a heading must be visible)."""
    if el is None:
        return False
    return bool(_HIDDEN_CLASS.search(el.get("class") or "") or _HIDDEN_STYLE.search(el.get("style") or "")
                or el.get("hidden") is not None or el.get("aria-hidden") == "true")


def _text_upto(el, limit: int) -> str:
    """``text_within(el, limit=limit)`` of an element with no ``NO_TEXT`` element in it: its text
    pieces as lxml reads them (comments give none), until more than ``limit`` characters."""
    parts: list[str] = []
    size = 0
    for piece in el.itertext():
        parts.append(piece)
        size += len(piece)
        if size > limit:
            break
    return "".join(parts)


class _HiddenCache(dict):
    """``_hidden`` of elements, each asked once per page."""

    def __call__(self, el) -> bool:
        answer = self.get(el)
        if answer is None:
            answer = self[el] = _hidden(el)
        return answer


def _visible_text(el, hidden: Callable[[object], bool] = _hidden, limit: int | None = None) -> str:
    """``text_of`` without the text of hidden descendants (a heading's hidden "more" link);
    with ``limit``, only enough of it to tell that it is longer (``dom.text_within``)."""
    if el.tag in NO_TEXT:
        return ""
    unread = False
    for d in el.iterdescendants():
        tag = d.tag
        if tag.__class__ is str:
            if hidden(d):
                return text_within(el, lambda node: not hidden(node), limit=limit)
            if tag in NO_TEXT:
                unread = True
    # nothing hidden: all its text; lxml reads it when no NO_TEXT element is in it either
    return text_within(el, limit=limit) if unread else _text_upto(el, limit)


def _standalone(a, clean, seen: dict | None = None):
    """The link's block if the link stands alone in it (with at most a short label), else None.
    ``seen``: the answers for blocks already read (the answer is the block's, not the link's)."""
    block = a
    for anc in a.iterancestors():
        if anc.tag in BLOCK:
            block = anc
            break
    if block is a:
        return a, None
    if seen is None:
        return _block_standalone(block, clean)
    answer = seen.get(block)
    if answer is None:
        answer = seen[block] = _block_standalone(block, clean)
    return answer


# A block's text is read this far first: most blocks holding a link in a sentence are long.
_BLOCK_READ = 200


def _not_a_link(node) -> bool:
    return node.tag != "a"


def _block_standalone(block, clean):
    # the block's text without the text of its links
    raw = text_within(block, _not_a_link, limit=_BLOCK_READ)
    if len(raw) > _BLOCK_READ:
        # Read in part: with no markup or entity in it, cleaning (clean_text) maps that part
        # character by character, so the whole text has at least the letters the part has; past
        # the label's length it is a sentence whatever follows (no date form has that many).
        if "<" not in raw and "&" not in raw and len(_PUNCT.sub("", clean(raw))) > _INLINE_LABEL_MAX:
            return None, None
        raw = text_within(block, _not_a_link)
    return _block_answer(block, clean(raw))


def _block_answer(block, rest: str):
    """(block, label or None) if what the block holds besides its links (``rest``, cleaned) is at
    most a short label or a date, else (None, None): the link is inside a sentence."""
    letters = _PUNCT.sub("", rest)
    if not letters or _DATE_LIKE.fullmatch(rest.strip()) or _date_only(rest):
        return block, None
    if len(letters) <= _INLINE_LABEL_MAX:
        return block, rest.strip(" -–—|") or None
    return None, None


_HEADING_ELEMENTS = frozenset({"h2", "h3", "h4", "h5", "h6"})
# How far a title bar's heading and a control beside it may be from the element they share.
_TITLE_BAR_LEVELS = 4
# How many headings a title bar may hold before the control (its title, period filters ...).
_TITLE_BAR_MAX_ITEMS = 5


def _title_bar_heading(heads: "_Headings", control, link_orders: list) -> tuple | None:
    """The title of the title bar a control sits in (a "more" link, period filters, a close
    button: links that lead nowhere), when the nearest heading before a list is such a control:
    of the headings just before it in the same bar (close to it, no story link between), the one
    in a heading element (h2-h6), else, for controls that point at nothing, the bar's first text;
    None otherwise (a control with a target is a tab label: tabs are controls too)."""
    if any(node.tag in _HEADING_ELEMENTS for node in (control, *control.iterancestors())):
        return None  # a control in a heading element is the title itself (<h2><a href="#">)
    bar = []
    holders = set(control.iterancestors())
    for k in heads.before(heads._order[control]):
        el = heads.elements[k]
        if el in holders:
            continue  # the bar itself (its title and the control together), not its title
        first_link = bisect.bisect_right(link_orders, heads._order[el])
        if first_link < len(link_orders) and link_orders[first_link] < heads._order[control]:
            break  # a list of its own lies between
        if _levels_to_common(el, control) > _TITLE_BAR_LEVELS or len(bar) >= _TITLE_BAR_MAX_ITEMS:
            break
        bar.append((el, heads.text(k)))
    for el, text in bar:
        if any(node.tag in _HEADING_ELEMENTS for node in (el, *el.iterancestors())):
            return el, text
    if bar and _untargeted_controls(control):
        return bar[-1]  # controls (a "more" link, filters) after the bar's title: its first text
    return None


# A title bar holds its title, maybe a "more" link and filters: a few links, not a menu's many.
_TITLE_BAR_MAX_LINKS = 3


def _section_title_links(nav_links: list, story_url: dict, story_orders: list, order: dict) -> set:
    """Links that title a list by linking to its whole page (``<a href="/popular">الأكثر
    قراءة</a>`` ... ``<a href="/popular">المزيد</a>``): a link to a page that is no story,
    followed close by (in a bar of at most ``_TITLE_BAR_MAX_LINKS`` links, no story between)
    another link to the same page. A menu links each section once; such a link is a heading."""
    by_href: dict = {}
    for a in nav_links:
        href = (a.get("href") or "").strip()
        if href and story_url.get(href) is None:
            by_href.setdefault(href, []).append(a)
    titles = set()
    for same in by_href.values():
        for first, second in zip(same, same[1:]):
            if _levels_to_common(first, second) > _TITLE_BAR_LEVELS:
                continue
            between = bisect.bisect_right(story_orders, order[first])
            if between < len(story_orders) and story_orders[between] < order[second]:
                continue  # a list lies between
            bar = next(anc for anc in second.iterancestors() if first in anc.iterdescendants())
            if sum(1 for _ in bar.iter("a")) <= _TITLE_BAR_MAX_LINKS:
                titles.add(first)
    return titles


def _untargeted_controls(control) -> bool:
    """A control, and every link or button beside it in its parent, pointing at nothing on the
    page (``javascript:``, a bare ``#``): a "more" link or a row of filters (24 ساعة / 7 أيام),
    not tab labels (a tab points at its panel: ``#id``, ``.class``, ``data-toggle``; tabs whose
    panels were found never come here)."""
    parent = control.getparent()
    if parent is None:
        return False
    for el in parent.iter("a", "button"):
        href = (el.get("href") or "").strip()
        if len(href) > 1 and href[0] in "#." or any(el.get(a) is not None for a in TAB_ATTRIBUTES):
            return False
        if el.tag == "a" and href and not href.startswith(_NOT_NAVIGATING):
            return False  # a link that leads somewhere
    return True


# A date line has at most this many letters besides its digits (month and day names, "محدث").
_DATE_LINE_MAX_LETTERS = 20


def _date_only(text: str) -> bool:
    """A remainder that is only a printed date (a card's date line)."""
    return bool(_DATE_LIKE.search(text)) and len(_PUNCT.sub("", text)) <= _DATE_LINE_MAX_LETTERS


# The levels given for elements of different trees: more than any limit they are compared with.
_NO_COMMON_ANCESTOR = 1_000_000


def _levels_to_common(heading, link) -> int:
    """How many levels above ``heading`` its lowest common ancestor with ``link`` is."""
    link_ancestors = set(link.iterancestors())
    levels = 0
    for anc in heading.iterancestors():
        levels += 1
        if anc in link_ancestors:
            return levels
    return _NO_COMMON_ANCESTOR
