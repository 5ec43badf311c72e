"""Lines that are only a printed date, only a byline, or only a label, told by their shape.

On a page whose layout is unknown (or whose classes were renamed) the article's printed date
and byline are not found by a selector: they are lines of the text, the first lines of the
body or short blocks around the headline. These functions say whether one such line is a
date line, a byline, or a bare label belonging to the next line, without any markup.

They answer "is this line ONLY that?": a sentence that contains a date or starts with a credit
verb (``وتوفيت في 23 أبريل 1966 بعد ...``, ``كتب الرئيس على حسابه ...``) is not one. A missed
date or byline costs one field; a body paragraph taken for one costs a paragraph, so the
shapes are strict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from akhbar.text.attribution import is_place
from akhbar.text.bylines import LABEL_PATTERN as _CREDIT_WORD, byline_parts, parse_byline
from akhbar.text.clean import clean_text, search_key
from akhbar.text.dates import (
    LABEL_WORDS,
    PUBLISHED_WORDS,
    UPDATED_WORDS,
    ParsedDate,
    date_residue,
    fold,
    parse_date,
)

# --------------------------------------------------------------------------- date lines

_MAX_DATE_LINE_CHARS = 150  # a stamp with its labels, weekday, time and zone fits in this
_MAX_STAMPS = 2  # "نشر في ... آخر تحديث ...": publication and update
_EDGE = " :|-–—،,؛;/•*"
# "بتوقيت القاهرة", "بتوقيت مكة المكرمة": the clock's place is part of the stamp.
_ZONE_PLACE = re.compile(r"(?:ب?توقيت)\s+((?:\S+\s*){1,3})$")


@dataclass(frozen=True)
class DateStamp:
    raw: str  # the stamp as printed, its leading label removed ("13 مايو 2024 06:00 ص")
    value: ParsedDate  # parse_date of the stamp, in the outlet's zone
    is_update: bool  # labelled as an update (آخر تحديث, محدثة, updated) rather than publication


@dataclass(frozen=True)
class DateLine:
    """A line that is only a printed date: one stamp, or two (publication and update).

    ``raw``, ``date`` and ``is_update`` are those of the first stamp; ``published`` and
    ``modified`` pick the stamp by its label (a stamp with no label is a publication)."""

    text: str  # the whole line, cleaned
    stamps: tuple[DateStamp, ...]

    @property
    def raw(self) -> str:
        return self.stamps[0].raw

    @property
    def date(self) -> ParsedDate:
        return self.stamps[0].value

    @property
    def is_update(self) -> bool:
        return self.stamps[0].is_update

    @property
    def published(self) -> DateStamp | None:
        return next((s for s in self.stamps if not s.is_update), None)

    @property
    def modified(self) -> DateStamp | None:
        return next((s for s in self.stamps if s.is_update), None)


def _key(word: str) -> str:
    return fold(word).strip(_EDGE + "()[].")


def _drop_zone_place(line: str) -> str:
    """The line without the place of "بتوقيت <place>" at its end (a place is no date word)."""
    m = _ZONE_PLACE.search(line)
    return line[: m.start(1)] if m and is_place(m[1].strip(_EDGE + "()")) else line


@dataclass
class _Segment:
    start: int  # index of its first word in the line
    end: int
    is_update: bool
    label_words: int = 0  # how many of its leading words are label words


def _segments(words: list[str]) -> list[_Segment]:
    """The line cut where a second label starts a new stamp ("... آخر تحديث ..."): a label
    word after some digits (a date, a time) opens a segment, with the label words just
    before it ("آخر", "تم")."""
    keys = [_key(w) for w in words]
    segments: list[_Segment] = []
    start, content, update = 0, False, False
    for i, key in enumerate(keys):
        trigger = key in PUBLISHED_WORDS or key in UPDATED_WORDS
        if trigger and content:
            cut = i
            while cut > start and keys[cut - 1] in LABEL_WORDS:
                cut -= 1
            segments.append(_Segment(start, cut, update))
            start, content, update = cut, False, False
        if trigger:
            update = update or key in UPDATED_WORDS  # "تاريخ التحديث", "آخر تحديث"
        elif any(c.isdigit() for c in key):  # a date or a time (a weekday alone opens none)
            content = True
    segments.append(_Segment(start, len(words), update))
    for seg in segments:
        n = seg.start
        while n < seg.end and ((k := keys[n]) in LABEL_WORDS or k in PUBLISHED_WORDS or k in UPDATED_WORDS or not k):
            n += 1
        seg.label_words = n - seg.start
    return segments


def _strip_edges(text: str) -> str:
    text = text.strip(_EDGE)
    # A bracket the stamp opened or closed outside itself: "(محدثة GMT 17:49 17.03.2020)".
    if text.count("(") < text.count(")") and text.endswith(")"):
        text = text[:-1].rstrip(_EDGE)
    if text.count("(") > text.count(")") and text.startswith("("):
        text = text[1:].lstrip(_EDGE)
    return text


def date_line(text: str | None, timezone: str, *, now: datetime | None = None) -> DateLine | None:
    """The printed date(s) of a line that is nothing but a date, read in the outlet's zone.

    Allowed around the date: label words (تم نشره، نشر في، نشر بتاريخ، بتاريخ، تاريخ النشر،
    آخر تحديث، تحديث، محدثة ...), a weekday, ``| - ، /`` separators, a time with its AM/PM
    word, a printed zone (GMT, بتوقيت القاهرة), a Hijri date beside the Gregorian one. Any
    other word (a place, a verb, a headline) and the line is not a date line: None.
    A second label starts a second stamp (``نشر في ... آخر تحديث ...``); a label followed by
    a time only (``28 آب 2013، آخر تحديث 14:00``) completes the date before it, and the
    whole is one stamp carrying the later label. `now` is for relative forms, as in
    ``parse_date``.
    """
    line = clean_text(text)
    if not line or len(line) > _MAX_DATE_LINE_CHARS:
        return None
    residue = date_residue(_drop_zone_place(line))
    if residue.words or residue.broken or not (residue.dates or residue.relative or residue.times):
        return None

    words = line.split()  # clean text: " ".join(words) is the line
    stamps: list[DateStamp] = []
    date_of_last: str | None = None  # the folded calendar date of the last stamp
    last_has_time = False
    last_raw_start = 0  # word index where the last stamp's raw text starts
    for seg in _segments(words):
        raw_start = seg.start + seg.label_words
        raw = _strip_edges(" ".join(words[raw_start : seg.end]))
        part = date_residue(_drop_zone_place(raw)) if raw else None
        if part is None:
            return None  # a label with no date after it
        if part.dates or part.relative:
            if len(part.dates) > 1:
                return None  # a range or a list of dates, not a stamp
            value = parse_date(raw, timezone, now=now)
            date_of_last = part.dates[0] if part.dates else None
            last_has_time, last_raw_start = bool(part.times), raw_start
        elif part.times and date_of_last and not last_has_time:
            # "28 آب/اغسطس 2013، آخر تحديث 14:00 (GMT+0400)": the time completes that date,
            # and the stamp, label included, is the later label's
            value = parse_date(f"{date_of_last} {raw}", timezone, now=now)
            raw = _strip_edges(" ".join(words[last_raw_start : seg.end]))
            stamps.pop()
            last_has_time = True
        elif part.times and date_of_last:
            # "... 10:00 تحديث 11:30": a second stamp later the same day
            value = parse_date(f"{date_of_last} {raw}", timezone, now=now)
        elif part.times:
            value = parse_date(raw, timezone, now=now)  # "أمس 10:30 م"
            date_of_last, last_has_time, last_raw_start = None, True, raw_start
        else:
            return None
        if value is None:
            return None
        stamps.append(DateStamp(raw, value, seg.is_update))
    if not stamps or len(stamps) > _MAX_STAMPS:
        return None
    return DateLine(line, tuple(stamps))


PUBLISHED, UPDATED = "published", "updated"


def date_label_line(text: str | None) -> str | None:
    """A line that is only a date label (``نشر في``, ``تاريخ النشر:``, ``آخر تحديث``) whose
    date is on the next line: ``PUBLISHED`` or ``UPDATED``; None for anything else."""
    line = clean_text(text)
    keys = [k for k in (_key(w) for w in line.split()) if k]
    if not keys or len(line) > _MAX_DATE_LINE_CHARS:
        return None
    if not all(k in LABEL_WORDS or k in PUBLISHED_WORDS or k in UPDATED_WORDS for k in keys):
        return None
    if any(k in UPDATED_WORDS for k in keys):
        return UPDATED
    if any(k in PUBLISHED_WORDS for k in keys):
        return PUBLISHED
    return None  # "في", "آخر": label words that announce nothing on their own


# --------------------------------------------------------------------------- bylines

_MAX_BYLINE_CHARS = 120
_MAX_BYLINE_WORDS = 16
_MAX_NAMES = 4  # reporters credited on one line; more is a list in a sentence
_MAX_NAME_WORDS = 5  # "محمد عبد الرحمن أبو العلا"; titles not counted
# A question, an exclamation or a quotation: a sentence.
_SENTENCE_MARKS = re.compile(r"[؟?!«»“”]")
# A full stop after a word of three letters or more, text following: two sentences. After
# one or two letters it is an abbreviation (د. م. أ.د.).
_SENTENCE_STOP = re.compile(r"[^\W\d_]{3,}\.\s*\S")
_COLUMNIST_LINE = re.compile(r"^(.+?)\s+(?:يكتب|تكتب)\s*:?$")

# Titles printed before a name; a name itself does not start with the article "ال".
_TITLES = frozenset(
    search_key(w)
    for w in """د د. دكتور الدكتور الدكتورة أ أ. أ.د. الأستاذ الأستاذة الاستاذ م م. المهندس المهندسة
    المستشار المستشارة اللواء العميد السفير السفيرة الشيخ السيد السيدة الكاتب الكاتبة الصحفي الصحفية
    الإعلامي الإعلامية الزميل الزميلة الباحث الباحثة الناقد الناقدة""".split()
)
# Words no person name contains: prepositions, conjunctions, pronouns, common reporting
# verbs, and nouns that open a sentence about an institution ("كتبت صحيفة ..."). Compared
# by search_key, so a word that folds onto a name is left out: على = علي, أمام = إمام.
_NOT_NAME_WORDS = frozenset(
    search_key(w)
    for w in """في من إلى الى عن أن ان إن أنه أنها إنه إنها التي الذي الذين اللذين هذا هذه ذلك تلك
    هو هي هم نحن أنا كان كانت يكون قد لقد لا لم لن ما ماذا لماذا كيف هل مع حول بعد قبل خلال بين
    عند حتى أو ثم كل عبر ضد منذ لدى إلا أي اليوم أمس غدا الآن عام سنة يوم شهر حين بينما كما
    قال قالت يقول تقول أكد أكدت يؤكد تؤكد أعلن أعلنت يعلن تعلن كشف كشفت يكشف تكشف أوضح أوضحت
    ذكر ذكرت يذكر أفاد أفادت أشار أشارت يشير تشير يرصد ترصد يتناول تتناول يستعرض تستعرض يرى ترى
    صحيفة وكالة موقع مجلة قناة شبكة تلفزيون إذاعة وزارة وزير رئيس مصدر مصادر""".split()
)
_NOT_NAME_PREFIX = ("ال",)  # a common noun, unless a title (above) or a staff credit


def _name_shaped(part: str) -> bool:
    """Whether a part of a byline can be person names (joined by و): no digits, no words of
    a sentence, and not opening on a common noun."""
    words = [search_key(w) for w in part.split()]
    if not words or any(c.isdigit() for c in part):
        return False
    if any(w in _NOT_NAME_WORDS or (w.startswith("و") and w[1:] in _NOT_NAME_WORDS) for w in words):
        return False
    return not (words[0].startswith(_NOT_NAME_PREFIX) and words[0] not in _TITLES)


def _name_words(name: str) -> int:
    words = name.split()
    while words and search_key(words[0]) in _TITLES:
        words = words[1:]
    return len(words)


# What every byline shape has: a credit label, or a separator between name and place/outlet,
# or the columnist's verb. A line with none of them is not read further (headings, titles).
_BYLINE_SHAPE = re.compile(rf"{_CREDIT_WORD}|[-–—/|،,:：()]|(?<!\w)(?:يكتب|تكتب)(?!\w)", re.I)


def byline_line(text: str | None) -> list[str] | None:
    """The author names of a line that is only a byline; None for any other line.

    A byline is a credit label (كتب، كتبت، بقلم، حوار، متابعة، تقرير، إعداد، ترجمة، تحقيق،
    تحرير، بواسطة ...) and 1-4 person names, optionally with a place, an agency, the outlet (in
    quotes), a date, set off by ``-``, ``/``, ``،``, ``:``, ``|``; or, with no label, exactly
    "name - place". Contract of the result:

    * ``None``: not a byline; keep the line.
    * ``[]``: a credit line with no author: photos only (``تصوير: أحمد علي``), an agency
      (``كتب: رويترز``), the newsroom (``كتب المحرر``). Remove it from the body, no author.
    * names: the authors, as ``parse_byline`` reads them (photographers left out).
    """
    line = clean_text(text)
    if not line or len(line) > _MAX_BYLINE_CHARS or len(line.split()) > _MAX_BYLINE_WORDS:
        return None
    if not _BYLINE_SHAPE.search(line):
        return None  # no label, no separator, no columnist verb: no byline (the cheap test first)
    if _SENTENCE_MARKS.search(line) or _SENTENCE_STOP.search(line):
        return None
    columnist = _COLUMNIST_LINE.match(line)
    if columnist:
        return [columnist[1]] if _name_shaped(columnist[1]) and _name_words(columnist[1]) <= _MAX_NAME_WORDS else None

    all_parts = byline_parts(line)
    parts = [p for p in all_parts if p.kind != "empty"]
    if not parts:
        return None  # a bare label ("كتب:"): see byline_label_line
    kinds = [p.kind for p in parts]
    for part in parts:
        if part.kind == "names" and not _name_shaped(part.text):
            return None
    if not any(p.labelled for p in all_parts):
        # "حسام أبو العلا - القاهرة": a reporter and the place filed from, nothing else
        if kinds != ["names", "place"] or not 2 <= _name_words(parts[0].text) <= _MAX_NAME_WORDS:
            return None
    names = parse_byline(line)
    if len(names) > _MAX_NAMES or any(_name_words(n) > _MAX_NAME_WORDS for n in names):
        return None
    return names


_BARE_CREDIT = re.compile(
    r"^(?:كتب|كتبت|بقلم|إعداد|اعداد|تقرير|تحرير|متابعة|ترجمة|حوار|تحقيق|بواسطة|تصوير|by)\s*[:：\-–—]?$", re.I
)


def byline_label_line(text: str | None) -> bool:
    """A line that is only a credit label (``بقلم:``, ``كتب``, ``تصوير``) whose names are on
    the next line."""
    return bool(_BARE_CREDIT.match(clean_text(text)))


# --------------------------------------------------------------------------- source labels

_BARE_SOURCE = re.compile(r"^(?:المصدر|المصادر|مصدر الخبر|نقلا عن|نقلاً عن|sources?)\s*[:：\-–—]?$", re.I)


def source_label_line(text: str | None) -> bool:
    """A line that is only a source label (``المصدر:``, ``المصدر``, ``نقلا عن``) with no
    content: it belongs to the next line, which ``parse_source`` reads
    (``(أبوظبي - البيان)``)."""
    return bool(_BARE_SOURCE.match(clean_text(text)))


__all__ = [
    "PUBLISHED",
    "UPDATED",
    "DateLine",
    "DateStamp",
    "byline_label_line",
    "byline_line",
    "date_label_line",
    "date_line",
    "source_label_line",
]
