"""Agency attribution and dateline of an article's opening/closing lines.

An opening line is read as a run of short segments split by punctuation: places, dates,
agencies, and the odd reporter or outlet name (``غزة/ محمد ماجد/ الأناضول-``,
``الرياض، الكويت - "الحياة"، رويترز -``), then the body. An agency name only counts as an
attribution in that position and set off by punctuation (or right after the place), so a
source quoted in a sentence (``وذكرت وكالة رويترز أن``, ``وبحسب "أ.ف.ب" قال``) is never one:
a false attribution is worse than a missed one. A place is recognised from a gazetteer, since
the same ``X - Y`` shape carries place, outlet or reporter names (``موسكو - المغرب اليوم``,
``هوية بريس – وكالات``, ``الرباط - كمال العلمي``).
"""

import json
import re
from dataclasses import dataclass, field
from importlib.resources import files

from akhbar.text.agencies import find_agencies
from akhbar.text.clean import clean_text, search_key


@dataclass
class Attribution:
    agencies: list[str] = field(default_factory=list)  # SCHEMA.md codes, in printed order
    agency_raw: str | None = None  # as printed, e.g. "أ ش أ"
    dateline: str | None = None  # place, e.g. "موسكو"
    remainder: str = ""  # the text of the line after the attribution ("" when it stood alone)


# Dateline places (data/places.json): capitals, big cities and countries as Arabic outlets print
# them, compared by search_key, so hamza, ى/ي and ة/ه variants need no entry.
_PLACES = json.loads(files("akhbar").joinpath("data/places.json").read_text("utf-8"))["places"]
_PLACE_KEYS = frozenset(search_key(p) for p in _PLACES)



def is_place(text: str | None) -> bool:
    """Whether text is a place of the dateline gazetteer (any hamza/ى/ة spelling)."""
    return search_key(text) in _PLACE_KEYS


# Words that make up a printed date next to a place ("المنامة في 08 أبريل", "بكين 4 يناير 2021").
_DATE_WORDS = frozenset(
    search_key(w)
    for w in """في من م هـ اليوم أمس الأول الثاني كانون تشرين يناير فبراير مارس أبريل إبريل مايو يونيو يونيه
    يوليو يوليه أغسطس سبتمبر أكتوبر نوفمبر ديسمبر شباط آذار نيسان أيار حزيران تموز آب أيلول جانفي فيفري أفريل
    ماي جوان جويلية أوت السبت الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة""".split()
)

# Punctuation that sets off the parts of an attribution. Quotes split segments too but do
# not license an agency: وبحسب "أ.ف.ب" قال is a quoted source.
_HARD = "-–—_/|:;؛()[]{}،,٫*•+"
_QUOTES = "\"“”«»'‘’„"
_PIECE = re.compile(rf"(?P<sep>[{re.escape(_HARD + _QUOTES)}]+)|(?P<word>[^\s{re.escape(_HARD + _QUOTES)}]+)")
_EDGE = f" {_HARD}{_QUOTES}."

# Labels printed where a wire dateline would stand: "عاجل (أ ش أ)" has no place.
_NOT_PLACES = frozenset(
    search_key(w) for w in "عاجل خاص حصري كتب كتبت متابعة تقرير المصدر فيديو بالفيديو بالصور صور تحديث".split()
)

_MAX_SHORT = 4  # words of a name/outlet segment; a longer one is body text
_MAX_WORDS_BEFORE = 8  # words of head (names, outlet, byline) before the first agency
_MAX_ADJACENT = 12  # how far into a line "بكين سانا" (a headline glued on) is looked for


@dataclass
class _Seg:
    start: int
    end: int
    text: str
    hard_before: bool  # set off from the previous segment by punctuation (or line start)
    code: str | None = None  # an agency
    place: str | None = None  # the place as printed (a segment may add a date to it)
    is_date: bool = False
    words: int = 0  # words without digits

    @property
    def attributive(self) -> bool:
        return bool(self.code or self.place or self.is_date)


def _is_date_word(word: str) -> bool:
    return any(c.isdigit() for c in word) or search_key(word) in _DATE_WORDS


def _place_of(text: str) -> str | None:
    """The place a segment starts with, when the rest of it is a date (or nothing)."""
    words = text.split()
    for n in (3, 2, 1):
        if len(words) >= n and is_place(" ".join(words[:n])):
            if all(_is_date_word(w) for w in words[n:]):
                return " ".join(words[:n])
    return None


def _word_seg(line: str, start: int, end: int, hard_before: bool) -> _Seg:
    text = line[start:end]
    words = text.split()
    seg = _Seg(start, end, text, hard_before, words=sum(not any(c.isdigit() for c in w) for w in words))
    seg.place = _place_of(text)
    # a date, not a lone preposition: "15 يناير كانون الثاني", "الأحد 10-01-2021"
    seg.is_date = not seg.place and all(map(_is_date_word, words)) and any(search_key(w) not in {"في", "من"} for w in words)
    return seg


def _segments(line: str) -> list[_Seg]:
    """The line cut at punctuation and around agency names, with offsets into it."""
    segs: list[_Seg] = []
    pos, hard = 0, True
    word_start = word_end = None

    def close_words():
        nonlocal word_start, hard
        if word_start is not None:
            segs.append(_word_seg(line, word_start, word_end, hard))
            word_start, hard = None, False

    def scan(gap_start: int, gap_end: int):
        nonlocal word_start, word_end, hard
        for m in _PIECE.finditer(line, gap_start, gap_end):
            if m["sep"]:
                close_words()
                hard = hard or any(c in _HARD for c in m["sep"])
            else:
                word_start = m.start() if word_start is None else word_start
                word_end = m.end()

    for ag in find_agencies(line):
        scan(pos, ag.start)
        # A name that is both place and agency (قنا: Qena, Qatar News Agency) opening the
        # line is the Egyptian dateline ("قنا - كتب ..."); QNA prints "الدوحة - قنا".
        if not segs and word_start is None and is_place(ag.text):
            word_start, word_end = ag.start, ag.end
        else:
            close_words()
            segs.append(_Seg(ag.start, ag.end, ag.text, hard, code=ag.code))
            hard = False
        pos = ag.end
    scan(pos, len(line))
    close_words()
    return segs


@dataclass
class _Head:
    segs: list[_Seg]  # the attribution part of the line
    agencies: list[_Seg]
    complete: bool  # the whole line was attribution (no body text on it)


def _set_off(prev: _Seg | None, seg: _Seg) -> bool:
    """An agency name stands apart as an attribution: first, after punctuation, or right
    after its place or date ("دمشق سانا", "بكين 4 يناير 2021 (شينخوا)")."""
    return prev is None or seg.hard_before or prev.place is not None or prev.is_date


def _read_head(line: str) -> _Head:
    segs = _segments(line)
    head: list[_Seg] = []
    agencies: list[_Seg] = []
    words_before = 0
    for seg in segs:
        prev = head[-1] if head else None
        if seg.code:
            if not _set_off(prev, seg) or words_before > _MAX_WORDS_BEFORE:
                break  # an agency named inside a sentence: a quoted source
            agencies.append(seg)
        elif agencies and not seg.attributive:
            break  # after the agency, only its place or date ("رويترز (واشنطن)") belongs to it
        elif not seg.place and seg.words > _MAX_SHORT:
            break  # body text
        else:
            words_before += seg.words
        head.append(seg)
    return _Head(head, agencies, complete=len(head) == len(segs))


def _dateline(line: str, head: _Head) -> str | None:
    """The first place of the head, with a place list printed as one ("دمشق، سوريا")."""
    words = 0
    for i, seg in enumerate(head.segs):
        if seg.place and words <= 6:
            start, end = seg.start, seg.start + len(seg.place)
            for nxt in head.segs[i + 1 :]:
                if nxt.place == nxt.text and line[end : nxt.start].strip() in ("،", ","):
                    end = nxt.end
                else:
                    break
            return line[start:end]
        words += seg.words
    # "هلسنكى(أ ش أ)": a name before a bracketed agency is the place even when the
    # gazetteer lacks it (wire style); a date there is not ("15 يناير (رويترز)").
    if head.agencies and head.segs.index(head.agencies[0]) == 1:
        first, ag = head.segs[0], head.agencies[0]
        if (
            "(" in line[first.end : ag.start]
            and len(first.text.split()) <= 2
            and not any(c.isdigit() for c in first.text)
            and search_key(first.text) not in _NOT_PLACES
        ):
            return first.text
    return None


def _agency_raw(line: str, agencies: list[_Seg]) -> str | None:
    # Several agencies are kept as printed from the first to the last: "رويترز، أ ف ب".
    return line[agencies[0].start : agencies[-1].end] if agencies else None


# A lone tatweel is a dash ("مسقط ـ العمانية:"); clean_text would drop it, gluing the parts.
_LONE_TATWEEL = re.compile(r"(?<!\S)\u0640+(?!\S)")


def _lines(text: str | None) -> list[str]:
    lines = (clean_text(_LONE_TATWEEL.sub("-", line)) for line in (text or "").splitlines())
    return [line for line in lines if line]


def _glued_dateline(line: str) -> int | None:
    """Where a place printed right before an agency name starts, near the start of a line with
    a headline glued on ("... أمام العالم بكين سانا أكد الرئيس ...")."""
    for ag in find_agencies(line):
        prefix = line[: ag.start].rstrip(" -–—_")
        words = prefix.split()  # clean text: single spaces, so the words' tail is the printed one
        if len(words) > _MAX_ADJACENT:
            break
        for n in (3, 2, 1):
            if len(words) >= n and is_place(place := " ".join(words[-n:])):
                return len(prefix) - len(place)
    return None


# An attribution head or a source field is a few words: a longer text is read no further than
# this (a 1 MB paragraph costs no more than a short one).
_MAX_HEAD_CHARS = 1000


def _probe(line: str) -> str:
    """The start of a long line, cut at a space: where an opening attribution can be."""
    if len(line) <= _MAX_HEAD_CHARS:
        return line
    cut = line.rfind(" ", 0, _MAX_HEAD_CHARS)
    return line[: cut if cut > 0 else _MAX_HEAD_CHARS]


def parse_opening(text: str | None) -> Attribution:
    """Agencies, dateline and the rest of the text from an article's opening (one or more lines).

    >>> parse_opening("القاهرة - (أ ش أ) - افتتح وزير الإسكان محطة جديدة.")
    Attribution(agencies=['MENA'], agency_raw='أ ش أ', dateline='القاهرة', remainder='افتتح وزير الإسكان محطة جديدة.')

    An agency quoted inside a sentence is no attribution:

    >>> parse_opening("وذكرت وكالة رويترز أن المحادثات انتهت.").agencies
    []
    """
    lines = _lines(text)
    if not lines:
        return Attribution()
    line, rest = lines[0], lines[1:]
    head = _read_head(_probe(line))
    if not head.agencies and (start := _glued_dateline(_probe(line))) is not None:
        line = line[start:]
        head = _read_head(_probe(line))
    head.complete = head.complete and len(_probe(line)) == len(line)
    dateline = _dateline(line, head)
    if not head.agencies and not dateline:
        return Attribution(remainder="\n".join(lines))
    if head.complete:
        remainder_lines = rest
    else:
        after = line[head.segs[-1].end :].lstrip(_EDGE)
        remainder_lines = [after, *rest] if after else rest
    return Attribution(
        agencies=[seg.code for seg in head.agencies],
        agency_raw=_agency_raw(line, head.agencies),
        dateline=dateline,
        remainder="\n".join(remainder_lines),
    )


def _tag(text: str) -> Attribution | None:
    """text read as a bare attribution tag: only agencies, places and dates, at least one agency."""
    head = _read_head(text)
    if not head.complete or not head.agencies or not all(seg.attributive for seg in head.segs):
        return None
    return Attribution([seg.code for seg in head.agencies], _agency_raw(text, head.agencies), _dateline(text, head))


_SENTENCE_END = set(".!?؟»\"”…")
_TRAILING_TAG = re.compile(r"(?:\(([^()]{1,60})\)|\[([^\[\]]{1,60})\]|/([^/]{1,60})/)\s*\.?$")


def parse_closing(text: str | None) -> Attribution:
    r"""The agency tag at the end of a body ("(رويترز)", "(طهران- د ب أ)", "#سونا"), and the body without it.

    >>> parse_closing("وتوقعت الهيئة استمرار الطقس الحار. (أ ف ب)")
    Attribution(agencies=['AFP'], agency_raw='أ ف ب', dateline=None, remainder='وتوقعت الهيئة استمرار الطقس الحار.')
    >>> found = parse_closing("واختتم الاجتماع أعماله مساء اليوم.\n(طهران - د ب أ)")
    >>> found.agencies, found.dateline, found.remainder
    (['DPA'], 'طهران', 'واختتم الاجتماع أعماله مساء اليوم.')
    """
    lines = _lines(text)
    if not lines:
        return Attribution()
    last, before = lines[-1], lines[:-1]
    words = last.split()
    if all(w.startswith("#") for w in words):  # a hashtag line: "#سونا #السودان"
        tags = [ag for ag in find_agencies(last) if ag.text.startswith("#")]
        if tags:
            raw = last[tags[0].start : tags[-1].end]
            return Attribution([ag.code for ag in tags], raw, None, "\n".join(before))
    if len(words) <= 8 and (found := _tag(last.strip(_EDGE + "#"))):
        found.remainder = "\n".join(before)
        return found
    m = _TRAILING_TAG.search(last)
    # Only after a finished sentence: in "تحدث إلى (رويترز)" or "ذكرت الوكالة ذلك (وفا)" the
    # brackets are part of the sentence.
    body = last[: m.start()].rstrip() if m else ""
    if m and body[-1:] in _SENTENCE_END and (found := _tag(next(g for g in m.groups() if g).strip(_EDGE))):
        found.remainder = "\n".join([*before, body])
        return found
    return Attribution(remainder="\n".join(lines))


_SOURCE_LABEL = re.compile(r"^(?:المصدر|المصادر|مصدر الخبر|نقلا عن|كتب|كتبت|source)\s*[:：\-–]?\s*", re.I)


def parse_source(text: str | None) -> Attribution:
    """A byline or "source" field ("المصدر: أ ف ب", "وكالات", "المصدر: (أبوظبي - البيان)").
    remainder keeps what else it names (an outlet, a reporter)."""
    source = _SOURCE_LABEL.sub("", clean_text(text)).strip(_EDGE)
    if not source:
        return Attribution()
    if len(source) > _MAX_HEAD_CHARS:
        return Attribution(remainder=source)  # a text, not a source field
    segs = _segments(source)
    for prev, seg in zip([None, *segs], segs):
        if (seg.code and not _set_off(prev, seg)) or (not seg.attributive and seg.words > _MAX_SHORT):
            return Attribution(remainder=source)  # a sentence, not a source field
    agencies = [seg for seg in segs if seg.code]
    dateline = _dateline(source, _Head(segs, agencies, complete=True))
    others = " - ".join(seg.text for seg in segs if not seg.attributive)
    return Attribution([seg.code for seg in agencies], _agency_raw(source, agencies), dateline, others)
