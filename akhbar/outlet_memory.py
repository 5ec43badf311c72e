"""What one crawl teaches about an outlet: its boilerplate lines and its site name.

An outlet with no spider of its own (the generic spider) has no list of its boilerplate, but
boilerplate shows itself: a newsletter prompt, a copyright line, "follow us on ...", a fixed
disclaimer are the same line on many of the outlet's article pages, while a story's paragraphs
are its own. Likewise its ``<title>`` / ``og:title`` ends (or starts) with the same part on
every page, ``<headline> - <site>`` or ``<site> | <headline>``: that part is the site's name.
``OutletMemory`` counts both as the crawl goes, per host, in bounded memory. Pure Python, no
Scrapy; not thread-safe (Scrapy runs the callbacks in one thread).

Contract for the engine (a spider with ``learns_from_crawl = True``, the generic spider), per
article page, with ``host`` the page's host (``urlsplit(url).hostname``; case and a leading
``www.`` do not matter, so ``www.x.com`` and ``x.com`` are one outlet)::

    memory.learn(host, body, title)          # body: the cleaned paragraphs; title: the
                                             # metadata title (og:title or <title>), or None
    boiler = memory.boilerplate(host)        # a frozenset of lines exactly as learn() got them
    body = [p for p in body if p not in boiler]   # (or memory.is_boilerplate(host, p))
    headline = memory.strip_site_name(host, headline)   # only a headline read from a title

One ``OutletMemory`` per crawl (per spider instance): it must outlive the pages. ``body`` is the
body as it will be yielded, after the opening/closing agency and dateline lines were read and
removed: an agency line that opens most of an outlet's stories (``(أ ش أ)``) would otherwise
look like furniture and be dropped before its attribution is read. Pages that are no article
(dropped) should not be learned: they would lower every line's share.

What the memory knows, and when:

- **Warm-up.** ``boilerplate()`` returns nothing and ``site_name()`` returns None until the host
  has ``warm_up`` distinct pages (default ``WARM_UP_PAGES``): the first items of a feed are often
  follow-ups of one breaking story that share a background paragraph or a title prefix, and a
  few pages cannot tell that apart from furniture. **Items yielded before the memory knows a
  line keep it** (the warm-up pages, and any page before a line's evidence is complete): the
  memory never goes back. ``warm_up=0`` lets the thresholds alone decide from the first pages.
- **A page is counted once per distinct title.** The same article re-served (another URL, a
  print or AMP version with the same title) is not new evidence: ``learn()`` ignores a page
  whose title (or, with no title, whose lines) the host has already shown; a line's count is
  the number of distinct articles it was on. (A title forgotten by the bounded title memory,
  ``MAX_TITLES``, counts again; a different article under an identical title counts once.)
- **Boilerplate** is a line on at least ``MIN_PAGES`` distinct pages of the host and on at least
  ``MIN_SHARE`` of its distinct pages so far; a long line (``LONG_LINE_WORDS`` words or more: a
  real sentence run, more likely a background paragraph that several stories reuse) needs
  ``LONG_MIN_PAGES`` and ``LONG_MIN_SHARE``. The share is over all pages so far, so a line can
  stop being boilerplate when the crawl moves to a section where it does not appear.
- **Site name**: the part of the title before its first separator or after its last one
  (``SEPARATORS``), the same at the same end on at least ``MIN_PAGES`` distinct titles and on
  more than ``SITE_NAME_SHARE`` of them; the end with more titles wins. ``strip_site_name``
  removes it, with its separator, from a title that starts or ends with it (never leaving an
  empty title).

Bounds: at most ``max_hosts`` hosts (the least recently learned is forgotten whole); per host at
most ``max_lines`` distinct line keys counted (a space-saving counter, Metwally et al. 2005: a
new line replaces the least counted one and inherits its count as a possible error, so a line
on a steady share of the pages outcounts the churn of the stories' own lines and stays;
decisions use the guaranteed count, count minus error); lines longer than ``HASH_ABOVE_CHARS``
are keyed by a 16-byte digest, and the text of a line is kept only while it qualifies as
boilerplate (at most ``MAX_BOILERPLATE_TEXTS`` per host); lines
longer than ``MAX_LINE_CHARS`` are not counted at all; at most ``MAX_TITLE_PARTS`` title parts
per end and ``MAX_TITLES`` title digests per host. ``footprint()`` counts every entry held.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field

# Distinct pages a line must be on to be boilerplate: two articles can share a quoted line or a
# crosshead by chance, three or four sharing the same line verbatim is the page's furniture.
MIN_PAGES = 4
# ... and the share of the host's pages: furniture is on most pages of a section; 0.4 keeps a
# prompt that only one of two sections shows, and drops a line that a handful of stories share.
MIN_SHARE = 0.4
# A line of this many words or more is a sentence run (a short prompt or a copyright line has a
# dozen words at most; a story paragraph has 20 to 60): it may be a background paragraph that
# follow-up stories reuse verbatim, real content, so it needs more evidence.
LONG_LINE_WORDS = 20
LONG_MIN_PAGES = 6
LONG_MIN_SHARE = 0.6
# Distinct pages of a host before boilerplate()/site_name() answer: the first items of a feed
# are often follow-ups of one story; by 8 articles a coincidence must hold on half of them.
WARM_UP_PAGES = 8
# The site name: on more than half of the distinct titles (a few titles may come without it, an
# og:title that drops it), at the same end.
SITE_NAME_SHARE = 0.5
# Title separators, spaced on both sides (an unspaced "-" or ":" is inside a headline's words).
SEPARATORS = (" - ", " | ", " :: ", " — ", " – ", " : ")
# A site name is a name, not a sentence: a longer title part is never one (and is not counted).
MAX_SITE_NAME_CHARS = 80
MAX_SITE_NAME_WORDS = 8

# Hosts remembered: a generic crawl reads the few hosts its feeds and sitemaps name.
MAX_HOSTS = 32
# Line keys counted per host: an article page has 10 to 40 lines, furniture a handful; 2000 keys
# hold the lines of the last ~50-200 pages besides the furniture, which the counter never drops.
MAX_LINES = 2000
# Lines up to this length are their own key (a prompt, a copyright line: readable, no hashing);
# longer ones are keyed by a digest, so a key costs at most ~100 bytes whatever the paragraph.
HASH_ABOVE_CHARS = 100
DIGEST_BYTES = 16  # 128 bits: no two lines of a crawl collide
# Longer than this is a whole story in one line (a page without paragraph breaks): never
# furniture, not counted.
MAX_LINE_CHARS = 2000
# Texts of digest-keyed lines kept while they qualify: furniture is a handful of lines per page,
# and at MIN_SHARE at most 1/MIN_SHARE pages' worth of lines can qualify at once.
MAX_BOILERPLATE_TEXTS = 100
# Title parts counted per end of the title (the site name is on most titles: never dropped).
MAX_TITLE_PARTS = 64
# Titles remembered per host to tell a re-served article from a new one (8-byte digests).
MAX_TITLES = 4096
TITLE_DIGEST_BYTES = 8

_SEPARATOR_RE = re.compile("|".join(re.escape(s) for s in SEPARATORS))


class SpaceSavingCounter:
    """At most ``capacity`` keys counted (Metwally, Agrawal, El Abbadi 2005, "stream summary").

    A key already counted gains 1; a new key, when the counter is full, replaces a key with the
    least count (the oldest among them) and starts at that count + 1 with that count as its
    possible error. Any key seen more often than (keys seen) / capacity times stays, and
    ``guaranteed(key)`` (count - error) never exceeds the key's true count. Every operation is
    O(1): keys are kept in buckets by count, with the least count tracked.
    """

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self._entries: dict[object, list[int]] = {}  # key -> [count, error]
        self._buckets: dict[int, dict[object, None]] = {}  # count -> keys, oldest first
        self._min = 0

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def guaranteed(self, key: object) -> int:
        entry = self._entries.get(key)
        return entry[0] - entry[1] if entry else 0

    def keys(self) -> Iterable[object]:
        return self._entries.keys()

    def items(self) -> Iterable[tuple[object, int]]:
        """(key, guaranteed count) of every key held."""
        return ((k, c - e) for k, (c, e) in self._entries.items())

    def _move(self, key: object, old: int, new: int) -> None:
        bucket = self._buckets[old]
        del bucket[key]
        if not bucket:
            del self._buckets[old]
            if old == self._min:
                self._min = new  # the others count at least old, and none is left at old
        self._buckets.setdefault(new, {})[key] = None

    def add(self, key: object) -> object | None:
        """Count one sighting of ``key``; returns the key it pushed out, if any."""
        entry = self._entries.get(key)
        if entry is not None:
            entry[0] += 1
            self._move(key, entry[0] - 1, entry[0])
            return None
        evicted = None
        if len(self._entries) < self.capacity:
            count, error = 1, 0
            self._min = 1
        else:
            floor = self._min
            bucket = self._buckets[floor]
            evicted = next(iter(bucket))
            del bucket[evicted]
            del self._entries[evicted]
            if not bucket:
                del self._buckets[floor]
                self._min = floor + 1  # the new key lands there
            count, error = floor + 1, floor
        self._entries[key] = [count, error]
        self._buckets.setdefault(count, {})[key] = None
        return evicted


def _words(text: str) -> int:
    return len(text.split())


_UNCOLLAPSED_SPACE = re.compile(r"\s\s|[^\S ]|^\s|\s$")


def _line_key(line: str) -> str | bytes:
    if _UNCOLLAPSED_SPACE.search(line):  # cleaned lines (clean_text) have none: skip the split
        line = " ".join(line.split())
    if len(line) <= HASH_ABOVE_CHARS:
        return line
    return hashlib.blake2b(line.encode("utf-8"), digest_size=DIGEST_BYTES).digest()


def _host_key(host: str) -> str:
    host = (host or "").strip().lower().rstrip(".")
    return host.removeprefix("www.")


def title_parts(title: str) -> tuple[str | None, str | None]:
    """(the part before the first separator, the part after the last one) of a title, or
    (None, None) without a separator; a part too long to be a name is None."""
    title = " ".join((title or "").split())
    pieces = _SEPARATOR_RE.split(title)
    if len(pieces) < 2:
        return None, None

    def name_like(part: str) -> str | None:
        part = part.strip()
        if not part or len(part) > MAX_SITE_NAME_CHARS or _words(part) > MAX_SITE_NAME_WORDS:
            return None
        return part

    return name_like(pieces[0]), name_like(pieces[-1])


@dataclass
class _HostMemory:
    max_lines: int
    pages: int = 0
    lines: SpaceSavingCounter = field(init=False)
    starts: SpaceSavingCounter = field(init=False)
    ends: SpaceSavingCounter = field(init=False)
    titles: OrderedDict = field(default_factory=OrderedDict)  # digest -> None, oldest first
    texts: dict = field(default_factory=dict)  # key -> the line as learn() got it, while it qualifies
    cached: frozenset | None = None

    def __post_init__(self) -> None:
        self.lines = SpaceSavingCounter(self.max_lines)
        self.starts = SpaceSavingCounter(MAX_TITLE_PARTS)
        self.ends = SpaceSavingCounter(MAX_TITLE_PARTS)


class OutletMemory:
    """Boilerplate lines and site names of the hosts of one crawl (see the module docstring)."""

    def __init__(self, *, max_hosts: int = MAX_HOSTS, max_lines: int = MAX_LINES,
                 warm_up: int = WARM_UP_PAGES) -> None:
        self.max_hosts = max_hosts
        self.max_lines = max_lines
        self.warm_up = warm_up
        self._hosts: OrderedDict[str, _HostMemory] = OrderedDict()

    # --- learning --------------------------------------------------------------------------
    def learn(self, host: str, lines: Iterable[str], title: str | None) -> bool:
        """Record one article page of ``host``; False when the page was not new evidence (its
        title, or without one its lines, already learned for the host)."""
        key = _host_key(host)
        memory = self._hosts.get(key)
        if memory is None:
            memory = self._hosts[key] = _HostMemory(self.max_lines)
            while len(self._hosts) > self.max_hosts:
                self._hosts.popitem(last=False)
        self._hosts.move_to_end(key)

        page_lines: dict[str | bytes, str] = {}  # a line repeated on one page counts once
        for line in lines:
            if line and len(line) <= MAX_LINE_CHARS:
                page_lines.setdefault(_line_key(line), line)
        title = " ".join((title or "").split())
        identity = title or "\n".join(sorted(k if isinstance(k, str) else k.hex() for k in page_lines))
        digest = hashlib.blake2b(identity.encode("utf-8"), digest_size=TITLE_DIGEST_BYTES).digest()
        if digest in memory.titles:
            memory.titles.move_to_end(digest)
            return False
        memory.titles[digest] = None
        if len(memory.titles) > MAX_TITLES:
            memory.titles.popitem(last=False)

        memory.pages += 1
        memory.cached = None
        for line_key, line in page_lines.items():
            evicted = memory.lines.add(line_key)
            if evicted is not None:
                memory.texts.pop(evicted, None)
            if self._qualifies(memory, line_key, line):  # only a sighting can make a line qualify
                memory.texts.pop(line_key, None)
                memory.texts[line_key] = line  # newest last: the oldest goes when full
        for line_key in [k for k, line in memory.texts.items() if not self._qualifies(memory, k, line)]:
            del memory.texts[line_key]
        while len(memory.texts) > MAX_BOILERPLATE_TEXTS:
            del memory.texts[next(iter(memory.texts))]

        if title:
            start, end = title_parts(title)
            if start:
                memory.starts.add(start)
            if end:
                memory.ends.add(end)
        return True

    @staticmethod
    def _qualifies(memory: _HostMemory, line_key: object, line: str) -> bool:
        count = memory.lines.guaranteed(line_key)
        if count < MIN_PAGES:  # most lines: decided without counting words
            return False
        if _words(line) >= LONG_LINE_WORDS:
            return count >= LONG_MIN_PAGES and count >= LONG_MIN_SHARE * memory.pages
        return count >= MIN_PAGES and count >= MIN_SHARE * memory.pages

    # --- what it knows ---------------------------------------------------------------------
    def _known(self, host: str) -> _HostMemory | None:
        memory = self._hosts.get(_host_key(host))
        if memory is None or memory.pages < max(self.warm_up, 1):
            return None
        return memory

    def boilerplate(self, host: str) -> frozenset[str]:
        """The host's boilerplate lines, exactly as ``learn`` got them (empty during warm-up)."""
        memory = self._known(host)
        if memory is None:
            return frozenset()
        if memory.cached is None:
            memory.cached = frozenset(line for key, line in memory.texts.items()
                                      if self._qualifies(memory, key, line))
        return memory.cached

    def is_boilerplate(self, host: str, line: str) -> bool:
        """``line in boilerplate(host)``, whatever its white space."""
        memory = self._known(host)
        if memory is None or not line or len(line) > MAX_LINE_CHARS:
            return False
        key = _line_key(line)
        return key in memory.texts and self._qualifies(memory, key, line)

    def site_name(self, host: str) -> str | None:
        """The title part the host's titles carry at the same end (None during warm-up or when no
        part is on enough titles)."""
        memory = self._known(host)
        if memory is None:
            return None
        titles = memory.pages
        best: tuple[int, int, str] | None = None
        for rank, counter in enumerate((memory.starts, memory.ends)):  # a tie goes to the end
            for part, count in counter.items():
                if count >= MIN_PAGES and count > SITE_NAME_SHARE * titles:
                    if best is None or (count, rank) > best[:2]:
                        best = (count, rank, part)
        return best[2] if best else None

    def strip_site_name(self, host: str, title: str) -> str:
        """``title`` without the host's site name and its separator, at either end; unchanged
        when the name is unknown or absent, or when nothing would remain."""
        name = self.site_name(host)
        if not name or not title:
            return title
        text = " ".join(title.split())
        for separator in SEPARATORS:
            if text.endswith(separator + name):
                rest = text[: -len(separator + name)].strip()
                if rest:
                    return rest
            if text.startswith(name + separator):
                rest = text[len(name + separator):].strip()
                if rest:
                    return rest
        return title

    # --- bounds ----------------------------------------------------------------------------
    def footprint(self) -> dict[str, int]:
        """Every entry held, summed over hosts: the bounds made visible (tests, stats)."""
        hosts = self._hosts.values()
        return {
            "hosts": len(self._hosts),
            "line_keys": sum(len(m.lines) for m in hosts),
            "max_line_keys_per_host": max((len(m.lines) for m in hosts), default=0),
            "boilerplate_texts": sum(len(m.texts) for m in hosts),
            "title_parts": sum(len(m.starts) + len(m.ends) for m in hosts),
            "title_part_chars": sum(len(k) for m in hosts for c in (m.starts, m.ends) for k in c.keys()),
            "titles": sum(len(m.titles) for m in hosts),
            "text_chars": sum(len(k) for m in hosts for k in m.lines.keys() if isinstance(k, str))
                          + sum(len(t) for m in hosts for t in m.texts.values()),
        }

    def hosts(self) -> list[str]:
        """The hosts remembered, least recently learned first."""
        return list(self._hosts)
