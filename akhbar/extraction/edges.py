"""The lines at the edges of a story that are not its text: printed dates, bylines, labels.

A body read without the outlet's selectors (the class-independent reading, a redesign) starts
with what the page prints around the story: the headline or kicker again, the date line
(``الإثنين، 24 أغسطس 2020 09:23 ص``), the byline (``كتبت أسماء نصار``), a source label and its
line (``المصدر:`` / ``(أبوظبي - البيان)``); a byline or a date may close it too. They leave the
body here and are handed to the date, byline and dateline readers (``StoryEdges``). The line
shapes are the text layer's (``akhbar.text.lines``: a line that is ONLY a date, ONLY a byline);
only leading and trailing lines are looked at, and the first line that is none of these ends
the head (a story paragraph never leaves the body).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from akhbar.text import parse_source
from akhbar.text.attribution import Attribution
from akhbar.text.lines import (DateLine, byline_label_line, byline_line, date_label_line, date_line,
                               source_label_line)

# How many leading lines may be the story's head (headline, kicker, date, byline, labels), and
# how many trailing lines a closing byline or date: a story's own paragraphs come after/before.
MAX_HEAD_LINES = 8
MAX_TAIL_LINES = 2


@dataclass
class StoryEdges:
    dates: list[DateLine] = field(default_factory=list)  # date lines, in page order
    bylines: list[str] = field(default_factory=list)  # byline lines that name authors
    sources: list[Attribution] = field(default_factory=list)  # source lines after a label

    def __bool__(self) -> bool:
        return bool(self.dates or self.bylines or self.sources)


def strip_edges(body: list[str], timezone: str, titles: set[str] = frozenset()) -> tuple[list[str], StoryEdges]:
    """(the body without its head and tail lines, what those lines said). ``titles``: the
    headline and kicker, dropped when repeated at the top."""
    edges = StoryEdges()
    start = 0
    while start < min(len(body), MAX_HEAD_LINES):
        taken = _edge_line(body, start, timezone, titles, edges)
        if not taken:
            break
        start += taken
    end = len(body)
    while end > start and len(body) - end < MAX_TAIL_LINES:
        line = body[end - 1]
        found = date_line(line, timezone)
        if found is not None:
            edges.dates.append(found)
        else:
            names = byline_line(line)
            if names is None:
                break
            if names:
                edges.bylines.append(line)
        end -= 1
    return body[start:end], edges


def _edge_line(body: list[str], i: int, timezone: str, titles: set[str], edges: StoryEdges) -> int:
    """How many lines from ``i`` on are one edge item (0: line ``i`` is the story's)."""
    line = body[i]
    following = body[i + 1] if i + 1 < len(body) else None
    if line in titles:
        return 1
    found = date_line(line, timezone)
    if found is not None:
        edges.dates.append(found)
        return 1
    if date_label_line(line) and following is not None:
        found = date_line(following, timezone)
        if found is not None:
            edges.dates.append(found)
            return 2
        return 1
    names = byline_line(line)
    if names is not None:
        if names:
            edges.bylines.append(line)
        return 1
    if byline_label_line(line) and following is not None:
        credited = f"{line} {following}"
        names = byline_line(credited)
        if names:
            edges.bylines.append(credited)
            return 2
        return 1 if names is not None else 0
    if source_label_line(line):
        if following is not None:
            source = parse_source(following.strip(" -–—"))
            if source is not None and (source.dateline or source.agencies) and len(following) <= _MAX_SOURCE_CHARS:
                edges.sources.append(source)
                return 2
        return 1
    return 0


_MAX_SOURCE_CHARS = 80  # a source line names a place and an outlet or agency, not a sentence


# The headline's neighbourhood, in page order: how many elements after and before the h1 are
# read for a printed date or a byline (an article header holds a few dozen elements at most).
HEADER_NODES_AFTER = 80
HEADER_NODES_BEFORE = 30
_HEADER_LINE_MAX_CHARS = 150  # a date or byline line with its labels; longer is a paragraph
_PARAGRAPH_CHARS = 200  # a block this long is the story's text: the header ends there
_LINE_TAGS = frozenset({"p", "div", "span", "time", "li", "h2", "h3", "h4", "h5", "h6", "small", "em", "b",
                        "strong", "font", "address", "header", "section", "td", "dd", "label"})


def header_lines(nodes: list, order: dict, h1, skip, clean, text_of) -> list[str]:
    """The short texts of the elements around the headline, nearest first: those after the
    ``h1`` up to the story's first paragraph, then those before it. Elements inside a link or
    for which ``skip(el)`` is true (related lists, excluded regions) are left out: a date in a
    story card is that story's. ``text_of(el, limit=N)``: an element's text, read only about N
    characters far (``dom.text_within``: a region's whole text is never needed)."""
    if h1 is None or h1 not in order:
        return []
    at = order[h1]
    h1_nodes = set(h1.iter())
    lines: list[str] = []
    seen: set[str] = set()

    def read(el) -> bool:
        """Adds the element's text if it is a line; False when the story's text begins."""
        if not isinstance(el.tag, str) or el.tag not in _LINE_TAGS or el in h1_nodes:
            return True
        if skip(el) or any(anc.tag == "a" or skip(anc) for anc in el.iterancestors()):
            return True
        raw = text_of(el, limit=_PARAGRAPH_CHARS * 2)  # a region's whole text is not needed
        if len(raw) > _PARAGRAPH_CHARS * 2:
            return el.tag != "p"  # a long paragraph: the story's text begins
        text = clean(raw)
        if len(text) > _PARAGRAPH_CHARS and el.tag == "p":
            return False
        if text and len(text) <= _HEADER_LINE_MAX_CHARS and text not in seen:
            seen.add(text)
            lines.append(text)
        return True

    for el in nodes[at + 1: at + 1 + HEADER_NODES_AFTER]:
        if not read(el):
            break
    for el in reversed(nodes[max(0, at - HEADER_NODES_BEFORE): at]):
        if el in h1_nodes or any(anc is el for anc in h1.iterancestors()):
            continue  # the h1's own containers hold the whole header
        read(el)
    return lines


def header_dates(lines: list[str], timezone: str) -> list[DateLine]:
    """The header's lines that are only a printed date, nearest the headline first."""
    return [found for found in (date_line(line, timezone) for line in lines) if found is not None]


def header_bylines(lines: list[str]) -> list[str]:
    """The header's lines that are only a byline naming authors (the first one)."""
    for line in lines:
        names = byline_line(line)
        if names:
            return [line]
    return []


# Paths of a site's author pages: a link there from the article's header is its byline.
AUTHOR_PAGE = re.compile(r"(?i)/(?:authors?|writers?|editors?|columnists?|journalists?|reporters?|kottab|"
                         r"الكتاب|كتاب)(?:/|$)")
_AUTHOR_NAME_MAX_WORDS = 5


def header_author_links(nodes: list, order: dict, h1, skip, clean, text_of) -> list[str]:
    """The texts of links to author pages (``/author/...``, ``/Editors/...``) around the
    headline, in the same window as ``header_lines`` (up to the story's text): a byline printed
    as a bare name."""
    if h1 is None or h1 not in order:
        return []
    at = order[h1]
    after = []
    for el in nodes[at + 1: at + 1 + HEADER_NODES_AFTER]:
        if el.tag == "p" and len(clean(text_of(el))) > _PARAGRAPH_CHARS:
            break  # the story's text: the header ends there
        after.append(el)
    names: list[str] = []
    for el in [*after, *reversed(nodes[max(0, at - HEADER_NODES_BEFORE): at])]:
        if not isinstance(el.tag, str) or el.tag != "a" or skip(el):
            continue
        path = urlsplit(el.get("href") or "").path
        if not AUTHOR_PAGE.search(unquote(path)):
            continue
        text = clean(text_of(el) or el.get("title") or "")
        if text and len(text.split()) <= _AUTHOR_NAME_MAX_WORDS and text not in names:
            names.append(text)
    return names
