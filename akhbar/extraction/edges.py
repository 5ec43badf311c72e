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

from dataclasses import dataclass, field

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
