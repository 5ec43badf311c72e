"""Dates as printed by Arabic outlets, in the outlet's time zone.

Two entry points:

* ``parse_date``: a date as printed on a page (``الإثنين، 13 مايو 2024 06:00 ص``,
  ``٠٢:٠٠ الثلاثاء ١ / ١٢ / ٢٠٢٠``, ``منذ 3 ساعات`` ...), read as the outlet's wall clock.
* ``parse_metadata_date``: an ISO 8601 value from a meta tag or JSON-LD.

Both return a ``ParsedDate`` holding an aware datetime in the outlet's IANA zone (so its
offset is the one in force there on that date: zoneinfo, not a fixed offset) or a bare
``date`` when no time is given; ``None`` for anything they cannot read (never an exception).

dateparser is correct but slow (milliseconds a call) and weak on regional month names, so
the printed shapes seen on real pages go through precompiled regexes and month tables;
dateparser is only the fallback for whatever the regexes do not recognise.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone
from functools import lru_cache
from zoneinfo import ZoneInfo


@dataclass
class ParsedDate:
    value: datetime | date  # aware datetime in the outlet's zone, or a bare date
    has_time: bool

    def isoformat(self) -> str:
        return self.value.isoformat()


# --------------------------------------------------------------------------- normalising
# Matching runs on a folded copy of the text: digits made ASCII, diacritics/tatweel/bidi
# marks dropped, alef/yeh/teh-marbuta variants folded, so one table entry covers the
# spellings outlets actually use (أبريل/ابريل/إبريل, يونيه/يونية, صباحًا/صباحا, مساءً ...).

_TRANSLATE = str.maketrans(
    {
        **{0x0660 + i: str(i) for i in range(10)},  # Arabic-Indic ٠-٩
        **{0x06F0 + i: str(i) for i in range(10)},  # Persian ۰-۹
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
        "ى": "ي", "ة": "ه",
        "،": ",", "٫": ".", "٬": ",",
        "ـ": None,  # tatweel
        **{c: None for c in range(0x064B, 0x0660)},  # harakat, tanween, shadda, sukun
        0x0670: None,  # superscript alef
        **{c: None for c in (0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0xFEFF, 0x061C)},
        **{c: None for c in range(0x202A, 0x202F)},
        **{c: None for c in range(0x2066, 0x206A)},
    }
)


def _fold(text: str) -> str:
    # NFKC folds presentation forms (ﻣﺎﺭﺱ) and no-break spaces before the table runs.
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return " ".join(text.split()).lower()


# --------------------------------------------------------------------------- month tables

_MONTH_NAMES = {
    # Egyptian / standard (Gulf, Egypt, Sudan ...)
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "إبريل": 4, "مايو": 5,
    "يونيو": 6, "يونيه": 6, "يونية": 6, "يوليو": 7, "يوليه": 7, "يولية": 7,
    "أغسطس": 8, "سبتمبر": 9, "أكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
    # Levantine / Iraqi (Syriac names)
    "كانون الثاني": 1, "كانون ثاني": 1, "شباط": 2, "آذار": 3, "نيسان": 4, "أيار": 5,
    "حزيران": 6, "تموز": 7, "آب": 8, "أيلول": 9, "تشرين الأول": 10, "تشرين أول": 10,
    "تشرين الثاني": 11, "تشرين ثاني": 11, "كانون الأول": 12, "كانون أول": 12,
    # Maghrebi: Algeria/Tunisia (French-derived) and Morocco
    "جانفي": 1, "فيفري": 2, "أفريل": 4, "ماي": 5, "جوان": 6, "جويلية": 7, "أوت": 8,
    "يوليوز": 7, "غشت": 8, "شتنبر": 9, "نونبر": 11, "دجنبر": 12,
}
_MONTHS = {_fold(name): num for name, num in _MONTH_NAMES.items()}

# Longest first, so "مايو" is not cut to "ماي"; inner spaces match any run of spaces.
_MONTH_RE = "|".join(
    re.escape(name).replace(r"\ ", r"\s+") for name in sorted(_MONTHS, key=len, reverse=True)
)
_NOT_LETTER = r"(?![^\W\d_])"  # end of an Arabic/Latin word (a digit may follow)
# One month, or a doubled form like "آذار/مارس" or "مارس/ آذار" (first one is used).
_MONTH_GROUP = rf"(?P<month>{_MONTH_RE}){_NOT_LETTER}(?:\s*/\s*(?:{_MONTH_RE}){_NOT_LETTER})?"

_DATE_PATTERNS = [
    # 13 مايو 2024 · 28 آب/اغسطس 2013 · 03 يونيو 2020م
    re.compile(rf"(?<!\d)(?P<day>\d{{1,2}})\s*-?\s*{_MONTH_GROUP}\s*[,-]?\s*(?P<year>\d{{4}})(?!\d)"),
    # ديسمبر 24, 2020 (WordPress "F j, Y")
    re.compile(rf"(?<![^\W\d_]){_MONTH_GROUP}\s+(?P<day>\d{{1,2}})\s*,?\s*(?P<year>\d{{4}})(?!\d)"),
    # 2020/12/25 · 2026-01-08 · 2020.3.17
    re.compile(r"(?<![\d.])(?P<year>\d{4})\s*(?P<sep>[/.-])\s*(?P<month>\d{1,2})\s*(?P=sep)\s*(?P<day>\d{1,2})(?![\d])"),
    # 17.03.2020 · 13-05-2024 · 1 / 12 / 2020 · 8/24/2020 (month first when day > 12)
    _DMY := re.compile(r"(?<![\d.])(?P<day>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<month>\d{1,2})\s*(?P=sep)\s*(?P<year>\d{4})(?!\d)"),
]

# --------------------------------------------------------------------------- times

_AM = {"ص", "صباحا", "صباح", "فجرا", "am", "a.m."}
_PM = {"م", "مساء", "مساءا", "عصرا", "pm", "p.m."}
_NOON = {"ظهرا"}  # 12 ظهرا = 12:00, 1 ظهرا = 13:00, 11 ظهرا = 11:00
_MERIDIEM_RE = "|".join(re.escape(w) for w in sorted(_AM | _PM | _NOON, key=len, reverse=True))
_TIME = re.compile(
    rf"(?<![\d:])(?P<h>\d{{1,2}}):(?P<m>\d{{2}})(?::(?P<s>\d{{2}}))?(?![\d:])"
    rf"(?:\s*(?P<mer>{_MERIDIEM_RE}){_NOT_LETTER})?"
)
# A printed zone: "GMT", "(GMT+0400)", "GMT+3", "UTC", "بتوقيت غرينتش".
_ZONE = re.compile(
    r"\b(?:gmt|utc)\b(?:\s*(?P<sign>[+-])\s*(?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?)?"
    r"|(?:غرينتش|جرينتش|غرينيتش|جرينيتش)"
)

# --------------------------------------------------------------------------- relative forms

_UNITS = {  # folded word -> (unit, count implied by the word; None = plural, needs a number)
    "ثانيه": ("seconds", 1), "ثواني": ("seconds", None), "ثوان": ("seconds", None),
    "ثانيتين": ("seconds", 2), "ثانيتان": ("seconds", 2),
    "دقيقه": ("minutes", 1), "دقائق": ("minutes", None), "دقايق": ("minutes", None),
    "دقيقتين": ("minutes", 2), "دقيقتان": ("minutes", 2),
    "ساعه": ("hours", 1), "ساعات": ("hours", None), "ساعتين": ("hours", 2), "ساعتان": ("hours", 2),
    "يوم": ("days", 1), "ايام": ("days", None), "يومين": ("days", 2), "يومان": ("days", 2),
    "اسبوع": ("weeks", 1), "اسابيع": ("weeks", None), "اسبوعين": ("weeks", 2), "اسبوعان": ("weeks", 2),
    "شهر": ("months", 1), "اشهر": ("months", None), "شهور": ("months", None),
    "شهرين": ("months", 2), "شهران": ("months", 2),
    "سنه": ("years", 1), "سنوات": ("years", None), "سنين": ("years", None),
    "سنتين": ("years", 2), "سنتان": ("years", 2),
    "عام": ("years", 1), "اعوام": ("years", None), "عامين": ("years", 2), "عامان": ("years", 2),
}
_UNIT_RE = "|".join(sorted(_UNITS, key=len, reverse=True))
_AGO = re.compile(rf"(?:منذ|قبل)\s*(?P<n>\d+)?\s*(?P<unit>{_UNIT_RE}){_NOT_LETTER}")
_DAY_WORDS = {"اليوم": 0, "امس": 1, "البارحه": 1, "اول امس": 2, "اول من امس": 2}
_FILLER = re.compile(r"[\s,.:\-|/()]+|\bالساعه\b|\bفي\b")


# --------------------------------------------------------------------------- helpers

@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _local(naive: datetime, tz: ZoneInfo) -> datetime:
    # Attaching the zone picks the offset in force on that date. A wall time skipped by a
    # spring-forward gap keeps the pre-transition offset (fold=0), as zoneinfo does.
    return naive.replace(tzinfo=tz, microsecond=0)


def _now_in(tz: ZoneInfo, now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(tz)
    # A naive `now` is taken as the outlet's wall clock.
    return now.astimezone(tz) if now.tzinfo else now.replace(tzinfo=tz)


def _offset(m: re.Match) -> dt_timezone:
    if not m.group("sign"):
        return dt_timezone.utc
    minutes = int(m.group("oh")) * 60 + int(m.group("om") or 0)
    return dt_timezone(timedelta(minutes=-minutes if m.group("sign") == "-" else minutes))


def _find_date(s: str) -> tuple[date, tuple[int, int]] | None:
    """The first valid calendar date in `s` (earliest position over all patterns)."""
    best = None
    for pat in _DATE_PATTERNS:
        for m in pat.finditer(s):
            if best and best[1][0] <= m.start():
                break
            day, month, year = int(m["day"]), m["month"], int(m["year"])
            if month.isdigit():
                month = int(month)
                if pat is _DMY and month > 12 >= day:
                    day, month = month, day  # US order, e.g. Youm7's hidden "8/24/2020 9:23:13 AM"
            else:
                month = _MONTHS[" ".join(month.split())]
            if not 1900 <= year <= 2100:
                continue
            try:
                best = (date(year, month, day), m.span())
            except ValueError:
                continue
            break
    return best


def _find_time(s: str) -> tuple[int, int, int, tuple[int, int]] | None | bool:
    """(h, m, s, span); None if no time is printed, False if the printed one is impossible."""
    m = _TIME.search(s)
    if not m:
        return None
    h, mi, sec = int(m.group("h")), int(m.group("m")), int(m.group("s") or 0)
    mer = m.group("mer")
    if mer in _PM and h < 12:
        h += 12
    elif mer in _AM and h == 12:
        h = 0
    elif mer in _NOON and 1 <= h <= 5:
        h += 12
    if h > 23 or mi > 59 or sec > 59:
        return False
    return h, mi, sec, m.span()


def _cut(s: str, span: tuple[int, int]) -> str:
    return s[: span[0]] + " " + s[span[1]:]


# --------------------------------------------------------------------------- date residue

def fold(text: str) -> str:
    """The form dates are matched in: ASCII digits, no diacritics/tatweel/bidi marks, alef,
    yeh and teh-marbuta variants folded, single spaces, lower case (``صباحاً`` -> ``صباحا``)."""
    return _fold(text)


# Words printed around a date that say nothing else: labels, weekdays, the calendar era,
# clock words, a Hijri date printed beside the Gregorian one. The label words are grouped by
# what they announce, for readers that tell a publication stamp from an update.
PUBLISHED_WORDS = frozenset(_fold(w) for w in "نشر نشره نشرت النشر منشور بتاريخ التاريخ published posted".split())
UPDATED_WORDS = frozenset(
    _fold(w) for w in "تحديث التحديث تحديثه محدث محدثة تعديل التعديل updated update modified".split()
)
LABEL_WORDS = frozenset(_fold(w) for w in "تم آخر أخر اخر في تاريخ على الموافق last on at".split())
_WEEKDAYS = "السبت الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة يوم".split()
# The weekday names as `fold` writes them (a byline running on into its date ends at one).
WEEKDAYS = frozenset(_fold(w) for w in _WEEKDAYS if w != "يوم")
_CLOCK_WORDS = "الساعة ساعة بتوقيت توقيت هـ ه".split()  # هـ: Hijri era ("1442 هـ"); م is in _PM
_HIJRI_MONTH_WORDS = "محرم صفر ربيع الأول الآخر الثاني جمادى الأولى الآخرة الثانية رجب شعبان رمضان شوال ذو ذي القعدة الحجة".split()
_HIJRI_MONTHS = frozenset(_fold(w) for w in _HIJRI_MONTH_WORDS) - {_fold(w) for w in "الأول الآخر الثاني الأولى الآخرة الثانية ذو ذي".split()}
_DATE_VOCABULARY = (
    PUBLISHED_WORDS | UPDATED_WORDS | LABEL_WORDS | _AM | _PM | _NOON | frozenset(_DAY_WORDS)
    | frozenset(_fold(w) for w in _WEEKDAYS + _CLOCK_WORDS + _HIJRI_MONTH_WORDS)
)
_HIJRI_NUMBER = re.compile(r"\d+ه?")  # "1442هـ" folds to "1442ه"
_TOKEN_SEPARATORS = re.compile(r"[\s,.:;؛|/\\()\[\]\-–—_•*]+")


@dataclass
class DateResidue:
    """What a text holds besides its date parts (see ``date_residue``)."""

    rest: str  # the folded text with every date part cut out
    words: list[str]  # the words of `rest` that are no date vocabulary (a sentence's words)
    dates: list[str]  # the calendar dates found, folded, in printed order
    times: int  # clock times (with their AM/PM word)
    relative: int  # "منذ 3 ساعات" forms
    broken: bool  # a printed time is impossible ("25:00"): not a date at all


def date_residue(text: str) -> DateResidue:
    """Cut every calendar date, clock time, printed zone and relative form out of `text`.

    Whether a line is only a date is decided on what is left: label and weekday words
    only, or the words of a sentence.
    """
    s = _fold(text)

    def blank(span: tuple[int, int]) -> str:  # same length: earlier offsets stay valid
        return s[: span[0]] + " " * (span[1] - span[0]) + s[span[1] :]

    dates: list[tuple[int, str]] = []
    while found := _find_date(s):
        start, end = found[1]
        dates.append((start, s[start:end]))
        s = blank(found[1])
    times = 0
    while t := _find_time(s):
        times += 1
        s = blank(t[3])
    relative = 0
    while m := _AGO.search(s):
        relative += 1
        s = blank(m.span())
    s = " ".join(_ZONE.sub(" ", s).split())
    tokens = [w for w in _TOKEN_SEPARATORS.split(s) if w]
    words = [w for w in tokens if w not in _DATE_VOCABULARY]
    if any(w in _HIJRI_MONTHS for w in tokens):  # "20 ربيع الأول 1442 هـ": its day and year
        words = [w for w in words if not _HIJRI_NUMBER.fullmatch(w)]
    return DateResidue(s, words, [d for _, d in sorted(dates)], times, relative, t is False)


# --------------------------------------------------------------------------- parse_date

def parse_date(text: str | None, timezone: str, *, now: datetime | None = None) -> ParsedDate | None:
    """A date as printed on a page, as wall-clock time in the outlet's zone `timezone`.

    A zone printed with it (``GMT 17:27 17.03.2020``, ``(GMT+0400)``) is honoured and the
    instant converted to the outlet's zone. Relative forms are computed against `now`
    (default: the current time; a naive `now` is the outlet's wall clock).

    The offset is the one in force in the zone on that date (Cairo keeps summer time since 2023):

    >>> parse_date("الأحد، 12 يناير 2025 09:30 ص", "Africa/Cairo").isoformat()
    '2025-01-12T09:30:00+02:00'
    >>> parse_date("الأحد، 20 يوليو 2025 06:45 م", "Africa/Cairo").isoformat()
    '2025-07-20T18:45:00+03:00'

    No time printed: a bare date. Eastern Arabic digits and relative forms are read too:

    >>> found = parse_date("١ / ١٢ / ٢٠٢٠", "Asia/Riyadh")
    >>> found.isoformat(), found.has_time
    ('2020-12-01', False)
    >>> from datetime import datetime
    >>> parse_date("منذ 3 ساعات", "Africa/Cairo", now=datetime(2025, 1, 12, 12, 0)).isoformat()
    '2025-01-12T09:00:00+02:00'
    >>> parse_date("", "Africa/Cairo") is None
    True
    """
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        tz = _zone(timezone)
        iso = _parse_iso(text, tz, clock_is_local=False)
        if iso:
            return iso
        s = _fold(text)
        return _fast(s, tz, now) or _fallback(text, tz, now)
    except Exception:  # garbage in -> None; a bad zone name too
        return None


def _fast(s: str, tz: ZoneInfo, now: datetime | None) -> ParsedDate | None:
    found = _find_date(s)
    if found:
        day, span = found
        rest = _cut(s, span)
        t = _find_time(rest)
        if t is False:
            return None  # "13 مايو 2024 25:00": a broken stamp, not a bare date
        if t is None:
            return ParsedDate(day, False)
        h, mi, sec, _ = t
        wall = datetime(day.year, day.month, day.day, h, mi, sec)
        zm = _ZONE.search(rest)
        if zm:  # the page states its clock's zone: same instant, in the outlet's zone
            return ParsedDate(wall.replace(tzinfo=_offset(zm)).astimezone(tz), True)
        return ParsedDate(_local(wall, tz), True)

    m = _AGO.search(s)
    if m:
        unit, implied = _UNITS[m.group("unit")]
        n = int(m.group("n")) if m.group("n") else implied
        if n is None:
            return None  # "منذ ساعات": no number, no date
        base = _now_in(tz, now)
        if unit in ("seconds", "minutes", "hours"):
            # Subtract in UTC: wall-clock arithmetic would be off by an hour across DST.
            at = (base.astimezone(dt_timezone.utc) - timedelta(**{unit: n})).astimezone(tz)
            return ParsedDate(at.replace(microsecond=0), True)
        # A day or more ago: the time of day is not known, only the date.
        d = base.date()
        if unit in ("days", "weeks"):
            return ParsedDate(d - timedelta(**{unit: n}), False)
        months = d.year * 12 + d.month - 1 - (n if unit == "months" else 12 * n)
        y, mo = divmod(months, 12)
        mo += 1
        last = (date(y + mo // 12, mo % 12 + 1, 1) - timedelta(days=1)).day
        return ParsedDate(date(y, mo, min(d.day, last)), False)

    # "أمس" / "اليوم" / "أمس 10:30 م": the text must be only the day word (and a time);
    # "اليوم" is also part of outlet names such as "اليوم السابع".
    t = _find_time(s)
    if t is False:
        return None
    rest = _cut(s, t[3]) if t else s
    word = " ".join(w for w in _FILLER.split(rest) if w)
    if word in _DAY_WORDS:
        d = _now_in(tz, now).date() - timedelta(days=_DAY_WORDS[word])
        if not t:
            return ParsedDate(d, False)
        return ParsedDate(_local(datetime(d.year, d.month, d.day, *t[:3]), tz), True)
    return None


# dateparser knows the Levantine and Maghrebi month names only under regional locales, and
# a DateDataParser refuses two regions of one language, so each gets its own parser.
_FALLBACK_LOCALES = ("ar", "ar-SY", "ar-DZ", "ar-MA", "en")  # en: "Mar 17, 2020"
_FALLBACK_MAX_LEN = 120  # a paragraph is not a date; dateparser gets slow on long text


@lru_cache(maxsize=64)
def _dateparser(locale: str, timezone: str, base: datetime):
    from dateparser.date import DateDataParser  # imported late: ~0.2 s the first time

    settings = {
        "TIMEZONE": timezone,
        "RETURN_AS_TIMEZONE_AWARE": False,  # naive outlet wall clock; zoneinfo attached below
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "past",
        "DATE_ORDER": "DMY",
        "RETURN_TIME_AS_PERIOD": True,
        "REQUIRE_PARTS": ["day", "month", "year"],  # "12" or "مارس 2020" is not a date
    }
    return DateDataParser(locales=[locale], settings=settings, try_previous_locales=False)


def _fallback(text: str, tz: ZoneInfo, now: datetime | None) -> ParsedDate | None:
    text = " ".join(text.split())
    if len(text) > _FALLBACK_MAX_LEN or not re.search(r"[0-9٠-٩۰-۹]|[^\W\d_]{2}", text):
        return None
    # Truncated to the minute so the cached parsers are reused within a minute.
    base = _now_in(tz, now).replace(tzinfo=None, second=0, microsecond=0)
    for locale in _FALLBACK_LOCALES:
        data = _dateparser(locale, tz.key, base).get_date_data(text)
        if data and data.date_obj:
            dt = data.date_obj
            if data.period == "time":
                return ParsedDate(_local(dt.replace(tzinfo=None), tz), True)
            if data.period == "day":
                return ParsedDate(dt.date(), False)
            return None
    return None


# --------------------------------------------------------------------------- metadata

_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})"
    r"(?:[T ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<z>Z|[+-]\d{2}(?::?\d{2})?)?(?:\s*(?P<abbr>[A-Za-z]{2,5}))?)?"
)


def _parse_iso(value: str, tz: ZoneInfo, *, clock_is_local: bool) -> ParsedDate | None:
    m = _ISO.fullmatch(value.strip())
    if not m:
        return None
    d = date(int(m["y"]), int(m["mo"]), int(m["d"]))
    if m["h"] is None:
        return ParsedDate(d, False)
    wall = datetime(d.year, d.month, d.day, int(m["h"]), int(m["mi"]), int(m["s"] or 0))
    z, abbr = m["z"], (m["abbr"] or "").upper()
    if z is None and abbr in ("UTC", "GMT"):
        z = "Z"
    # Other abbreviations ("GST" on Al Bayan) are the outlet's own zone: wall clock.
    if z is None or clock_is_local:
        return ParsedDate(_local(wall, tz), True)
    if z == "Z":
        off = dt_timezone.utc
    else:
        minutes = int(z[1:3]) * 60 + int(z[-2:] if len(z) > 3 else 0)
        off = dt_timezone(timedelta(minutes=-minutes if z[0] == "-" else minutes))
    return ParsedDate(wall.replace(tzinfo=off).astimezone(tz), True)


def parse_metadata_date(value: str | None, timezone: str, *, clock_is_local: bool = False) -> ParsedDate | None:
    """An ISO 8601 value from a meta tag or JSON-LD, in the outlet's zone `timezone`.

    An explicit offset is honoured (same instant, shown in the outlet's zone), unless
    `clock_is_local`: the outlet writes its local clock with a fake ``Z``/offset (Youm7), so
    the wall clock is kept and the zone's real offset for that date attached. Naive values
    are the local wall clock. Values that are not ISO (some outlets put the printed Arabic
    date in ``article:published_time``) go through ``parse_date``.

    >>> parse_metadata_date("2024-05-13T03:00:00Z", "Africa/Cairo").isoformat()
    '2024-05-13T06:00:00+03:00'
    >>> parse_metadata_date("2024-05-13T03:00:00Z", "Africa/Cairo", clock_is_local=True).isoformat()
    '2024-05-13T03:00:00+03:00'
    """
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        tz = _zone(timezone)
        return _parse_iso(value, tz, clock_is_local=clock_is_local) or parse_date(value, timezone)
    except Exception:
        return None
