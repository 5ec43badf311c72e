"""Person names of a byline: "كتب سيد الخلفاوى", "بقلم: أحمد علي ومحمد حسن",
"حسام أبو العلا - القاهرة", "كتب: رويترز" (an agency: no author)."""

import re
from dataclasses import dataclass

from akhbar.text.agencies import lookup
from akhbar.text.attribution import is_place
from akhbar.text.clean import clean_text, search_key
from akhbar.text.dates import WEEKDAYS as _WEEKDAY_KEYS
from akhbar.text.dates import date_residue, fold

# The words around the names. "يكتب/تكتب" is the opinion-page form "خالد صلاح يكتب: ...".
_TEXT_LABEL = r"(?:كتب|كتبت|كتبه|كتبها|بقلم|إعداد|اعداد|تقرير|تحرير|متابعة|ترجمة|حوار|تحقيق|بواسطة|by)"
# A photo credit: the names after it took the pictures, they did not write the text.
_PHOTO_LABEL = r"(?:تصوير|عدسة|photos?)"
_LABEL = rf"(?:{_TEXT_LABEL}|{_PHOTO_LABEL})"
LABEL_PATTERN = _LABEL  # a credit word (text or photos), for the line shapes of akhbar.text.lines
_ONE_LABEL = rf"{_LABEL}(?![\w])\s*[:：\-–—|/]*\s*"
# "ترجمة وإعداد:": a second label joined by و (a line opening on "وكتب" is a sentence).
_LEADING_LABEL = re.compile(rf"^{_ONE_LABEL}(?:(?:و\s?)?{_ONE_LABEL})*", re.I)
_LABEL_WORD = re.compile(rf"{_LABEL}(?![\w])", re.I)
_IS_PHOTO_LABEL = re.compile(rf"{_PHOTO_LABEL}$", re.I)
_COLUMNIST = re.compile(r"^(.+?)\s+(?:يكتب|تكتب)\s*:")
# Parts of a byline: names, a place, the outlet, a date, split at punctuation.
_PARTS = re.compile(r"\s*(?:[\-–—|/:؛()\[\]]|،|,|\s&\s)\s*")
_QUOTES = "\"'“”«»„‘’"

# Credits of the newsroom rather than of a person ("كتب المحرر", "إعداد: قسم الأخبار"):
# a byline, but no author. Compared by search_key on the part's first word.
STAFF_WORDS = frozenset(
    search_key(w) for w in "المحرر المحررة محرر محررة مراسلنا مراسلتنا مراسل فريق قسم هيئة أسرة التحرير الموقع".split()
)


_MAX_CHARS = 1000  # a longer "byline" (a container matched by mistake) is read this far

# Given names that begin with و, so are not "and" + name.
_WAW_NAMES = frozenset("وليد وائل وجدي وجدى وحيد وسام وفاء وداد وهبة وهبه ولاء وئام وديع وصفي وصفى وفيق ورد وردة".split())


def _split_and(part: str) -> list[str]:
    """ "محمد علي وأحمد حسن" -> two names, but "أحمد وحيد" stays one: split at a word
    starting with و only where both sides are at least two words long."""
    words = part.split()
    for i in range(2, len(words) - 1):
        word = words[i]
        if word == "و" or (word.startswith("و") and len(word) > 2 and word not in _WAW_NAMES):
            right = words[i + 1 :] if word == "و" else [word[1:], *words[i + 1 :]]
            if len(right) >= 2:
                return [" ".join(words[:i]), *_split_and(" ".join(right))]
    return [part]


@dataclass
class BylinePart:
    """One punctuation-separated part of a byline, its credit labels removed."""

    text: str  # "" when the part was only a label ("كتب -")
    labelled: bool  # a credit label opened this part
    photo: bool  # the credit in force is a photo credit (تصوير): its names are not authors

    @property
    def kind(self) -> str:
        """What the part names: "empty", "date", "agency", "place", "outlet" (in quotes),
        "staff" (the newsroom) or "names" (person names, or text that is no byline at all)."""
        text = self.text
        if not text:
            return "empty"
        if len(text) > 1 and text[0] in _QUOTES and text[-1] in _QUOTES:
            return "outlet"
        if lookup(text):
            return "agency"
        if is_place(text):
            return "place"
        # Only weekdays, month names and numbers: a date split at its dashes and colons
        # ("الأحد 10-01-2021 07:53" -> "الأحد 10", "01", "2021 07", "53").
        if all(w.isdigit() for w in date_residue(text).words):
            return "date"
        if search_key(text.split()[0]) in STAFF_WORDS:
            return "staff"
        return "names"


def byline_parts(text: str | None) -> list[BylinePart]:
    """The parts of a byline in printed order. A label stays in force for the parts after it
    until the next label (``تصوير: أحمد علي - محمد حسن`` credits two photographers)."""
    photo = False
    parts = []
    for part in _PARTS.split(clean_text(text)):
        label = _LEADING_LABEL.match(part)
        if label:
            photo = bool(_IS_PHOTO_LABEL.match(_LABEL_WORD.findall(label.group())[-1]))
            part = part[label.end() :]
        parts.append(BylinePart(part.strip(" ."), bool(label), photo))
    return parts


def _opens_a_date(word: str) -> bool:
    """A word a printed date can start with: a weekday or a number."""
    return word[:1].isdigit() or fold(word).strip("،,") in _WEEKDAY_KEYS


def _without_a_trailing_weekday(text: str) -> str:
    """A names part whose date was cut off at its comma keeps the weekday: drop it."""
    words = text.split()
    if len(words) > 1 and fold(words[-1]).strip("،,") in _WEEKDAY_KEYS:
        return " ".join(words[:-1])
    return text


def _before_a_date(text: str) -> str:
    """The names of a part that runs on into its date with no separator
    (``منى عادل الأحد، 20 يوليو 2025 06:45 م`` -> ``منى عادل``): the words before the first
    word from which the rest is only a date. A part with no digit is returned as it is (a
    weekday alone dates nothing)."""
    if not any(c.isdigit() for c in text):
        return text
    words = text.split()
    for start in range(1, len(words)):
        if not _opens_a_date(words[start]):  # a name may be a date word too (علي folds as على)
            continue
        rest = " ".join(words[start:])
        residue = date_residue(rest)
        if (residue.dates or residue.times) and all(w.isdigit() for w in residue.words):
            return " ".join(words[:start]).rstrip(" ،,-–—|/")
    return text


def parse_byline(text: str | None) -> list[str]:
    """Person names in printed order. Places, agencies, dates, outlets in quotes, newsroom
    credits, photographers (after تصوير) and the label words are dropped.

    >>> parse_byline("كتب: أحمد علي ومحمد حسن - القاهرة")
    ['أحمد علي', 'محمد حسن']
    >>> parse_byline("كتبت منى عادل - تصوير: سامي فؤاد")
    ['منى عادل']
    >>> parse_byline("كتب: رويترز")
    []
    """
    text = clean_text(text)
    if len(text) > _MAX_CHARS:  # a byline is a line: names are read at its start only
        text = text[: text.rfind(" ", 0, _MAX_CHARS) if " " in text[:_MAX_CHARS] else _MAX_CHARS]
    columnist = _COLUMNIST.match(text)
    if columnist:
        text = columnist[1]
    names: list[str] = []
    parts = byline_parts(text)
    for index, part in enumerate(parts):
        if part.photo or part.kind != "names":
            continue
        part_text = _before_a_date(part.text)
        if index + 1 < len(parts) and parts[index + 1].kind == "date":
            part_text = _without_a_trailing_weekday(part_text)  # "منى عادل الأحد، 20 يوليو ..."
        if any(c.isdigit() for c in part_text):
            continue
        for name in _split_and(part_text):
            if lookup(name) or is_place(name) or name in names:
                continue
            names.append(name)
    return names
