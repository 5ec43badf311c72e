"""akhbar.text.lines: a line that is only a printed date, only a byline, or a bare label.

Hand-written cases take their expected values from the calendar and the IANA zone rules
(Cairo: no DST 2015-2022, summer time from 26 April 2024); the corpus cases read every
expected item of ../shared/corpus at test time.
"""

import json
from datetime import date, datetime

import pytest
from shared import CORPUS_DIR, require_shared

from akhbar.text import (
    byline_label_line,
    byline_line,
    date_label_line,
    date_line,
    parse_date,
    source_label_line,
)
from akhbar.text.lines import PUBLISHED, UPDATED

CAIRO, BEIRUT, DUBAI, RIYADH, CASABLANCA = "Africa/Cairo", "Asia/Beirut", "Asia/Dubai", "Asia/Riyadh", "Africa/Casablanca"
NOW = datetime.fromisoformat("2024-05-13T12:00:00+03:00")


def stamps(line, tz=CAIRO):
    found = date_line(line, tz, now=NOW)
    return None if found is None else [(s.raw, s.value.isoformat(), s.is_update) for s in found.stamps]


# --------------------------------------------------------------------------- date lines

@pytest.mark.parametrize(
    "line, tz, expected",
    [
        # real forms
        ("الإثنين، 24 أغسطس 2020 09:23 ص", CAIRO, "2020-08-24T09:23:00+02:00"),
        ("25 ديسمبر 2020 | 2:01 ص", CAIRO, "2020-12-25T02:01:00+02:00"),
        ("الأربعاء، 07 أكتوبر 2020 - 12:09 م", CAIRO, "2020-10-07T12:09:00+02:00"),
        ("٠٢:٠٠ الثلاثاء ١ / ١٢ / ٢٠٢٠", RIYADH, "2020-12-01T02:00:00+03:00"),
        ("2026-01-08 | 12:42", BEIRUT, "2026-01-08T12:42:00+02:00"),
        ("GMT 17:27 17.03.2020", "UTC", "2020-03-17T17:27:00+00:00"),
        ("2020/12/25 - 1:59 صباحًا", CAIRO, "2020-12-25T01:59:00+02:00"),
        ("03 يونيو 2020", DUBAI, "2020-06-03"),
        # hand-written: weekday, era, seconds, numeric, Hijri beside the Gregorian date
        ("الجمعة 5 مايو 2023م", CAIRO, "2023-05-05"),
        ("13/05/2024 - 10:15:30", CAIRO, "2024-05-13T10:15:30+03:00"),
        ("11 شوال 1441 هـ - 03 يونيو 2020 م", DUBAI, "2020-06-03"),
        ("الثلاثاء 17 آذار/مارس 2020 - 15:30", BEIRUT, "2020-03-17T15:30:00+02:00"),
        ("ديسمبر 24، 2020 | 10:00 م", CAIRO, "2020-12-24T22:00:00+02:00"),
        ("الإثنين 13 مايو 2024 الساعة 06:00 صباحا", CAIRO, "2024-05-13T06:00:00+03:00"),
        ("الخميس، 5 مارس 2020 - 10:15 صباحًا بتوقيت القاهرة", CAIRO, "2020-03-05T10:15:00+02:00"),
        ("الثلاثاء 1 دجنبر 2020 - 12:00", CASABLANCA, "2020-12-01T12:00:00+01:00"),
        ("منذ 3 ساعات", CAIRO, "2024-05-13T09:00:00+03:00"),
        ("أمس 10:30 م", CAIRO, "2024-05-12T22:30:00+03:00"),
    ],
)
def test_unlabelled_date_lines(line, tz, expected):
    printed = line.replace("هـ", "ه")  # the raw is cleaned text: tatweel removed
    assert stamps(line, tz) == [(printed, expected, False)]


@pytest.mark.parametrize(
    "line, raw, expected, is_update",
    [
        ("تم نشره الخميس 5 آذار / مارس 2020 10:15 صباحاً", "الخميس 5 آذار / مارس 2020 10:15 صباحاً",
         "2020-03-05T10:15:00+02:00", False),
        ("نشر في 24 أغسطس 2020", "24 أغسطس 2020", "2020-08-24", False),
        ("نشر في: الإثنين، 24 أغسطس 2020 - 09:23 ص", "الإثنين، 24 أغسطس 2020 - 09:23 ص", "2020-08-24T09:23:00+02:00", False),
        ("نشر بتاريخ 13 نيسان 2021 - 10:00", "13 نيسان 2021 - 10:00", "2021-04-13T10:00:00+02:00", False),
        ("بتاريخ 5 ماي 2021", "5 ماي 2021", "2021-05-05", False),
        ("الخميس بتاريخ 5/3/2020", "الخميس بتاريخ 5/3/2020", "2020-03-05", False),
        ("تاريخ النشر: 12 غشت 2021", "12 غشت 2021", "2021-08-12", False),
        ("Published: 13/05/2024 10:00 AM", "13/05/2024 10:00 AM", "2024-05-13T10:00:00+03:00", False),
        ("آخر تحديث: 5 يوليوز 2021 10:00", "5 يوليوز 2021 10:00", "2021-07-05T10:00:00+02:00", True),
        ("تحديث 14 مايو 2024 - 11:00 ص", "14 مايو 2024 - 11:00 ص", "2024-05-14T11:00:00+03:00", True),
        ("تاريخ التحديث: 2024-05-14", "2024-05-14", "2024-05-14", True),
        # a label in brackets around the stamp, and a printed zone converted to the outlet's
        ("(محدثة GMT 17:49 17.03.2020)", "GMT 17:49 17.03.2020", "2020-03-17T19:49:00+02:00", True),
    ],
)
def test_labelled_date_lines(line, raw, expected, is_update):
    assert stamps(line) == [(raw, expected, is_update)]


def test_publication_and_update_stamps_on_one_line():
    found = date_line("نشر في 13 مايو 2024 10:00 ص آخر تحديث 14 مايو 2024 11:00 ص", CAIRO)
    assert found.published.raw == "13 مايو 2024 10:00 ص"
    assert found.published.value.isoformat() == "2024-05-13T10:00:00+03:00"
    assert found.modified.raw == "14 مايو 2024 11:00 ص"
    assert found.modified.value.isoformat() == "2024-05-14T11:00:00+03:00"
    assert (found.raw, found.is_update) == ("13 مايو 2024 10:00 ص", False)


def test_update_time_on_the_same_day():
    # The update gives a time only: it is on the publication's date.
    assert stamps("نشر في 13 مايو 2024 10:00 ص | تحديث 11:30 ص") == [
        ("13 مايو 2024 10:00 ص", "2024-05-13T10:00:00+03:00", False),
        ("11:30 ص", "2024-05-13T11:30:00+03:00", True),
    ]


def test_update_time_completing_a_date_is_one_update_stamp():
    # The date has no time of its own; the time printed after "آخر تحديث" completes it, so
    # the whole stamp is the update (and the page's only printed date).
    line = "الأربعاء، 28 آب/اغسطس 2013، آخر تحديث 14:00 (GMT+0400)"
    found = date_line(line, DUBAI)
    assert [(s.raw, s.value.isoformat(), s.is_update) for s in found.stamps] == [
        (line, "2013-08-28T14:00:00+04:00", True)
    ]
    assert found.published is None and found.modified.raw == line


def test_cleaned_line_and_bare_date():
    found = date_line("\u200f الإثنين،\u00a013 مايو 2024  ", CAIRO)
    assert found.text == found.raw == "الإثنين، 13 مايو 2024"
    assert found.date.value == date(2024, 5, 13) and not found.date.has_time


@pytest.mark.parametrize(
    "line",
    [
        None, "", "12:42", "2024", "الخميس", "نشر في", "آخر تحديث", "اليوم", "مارس 2020",
        # sentences that contain a date
        "وتوفيت في 23 أبريل 1966 بعد رحلة طويلة مع المرض",
        "ولدت نعيمة عاكف في 7 أكتوبر 1929",
        "أعلنت الوزارة اليوم 13 مايو 2024 عن تسجيل 30 حالة جديدة",
        "منذ 3 ساعات أعلنت الوزارة",
        # a headline with a number, a date with a place (the page's header clock)
        "10 أسباب تجعلك تزور مصر في 2024",
        "القاهرة: الأربعاء، 07 أكتوبر 2020 12:19 م",
        "موسكو 17.03.2020",
        # a date range, a byline with its date, a broken clock
        "1 مايو 2024 - 5 مايو 2024",
        "الأحد 10-01-2021 07:53 | كتب: رويترز",
        "13 مايو 2024 25:00",
        "x" * 300,
    ],
)
def test_not_date_lines(line):
    assert date_line(line, CAIRO, now=NOW) is None


@pytest.mark.parametrize(
    "line, label",
    [
        ("نشر في", PUBLISHED), ("نشر بتاريخ:", PUBLISHED), ("بتاريخ", PUBLISHED), ("تاريخ النشر:", PUBLISHED),
        ("تم نشره", PUBLISHED), ("آخر تحديث", UPDATED), ("تحديث:", UPDATED), ("Last updated", UPDATED),
        ("في", None), ("نشر في القاهرة", None), ("نشر في 24 أغسطس 2020", None), ("", None), (None, None),
    ],
)
def test_date_label_lines(line, label):
    assert date_label_line(line) == label


# --------------------------------------------------------------------------- bylines

@pytest.mark.parametrize(
    "line, names",
    [
        # real forms
        ("كتبت أسماء نصار", ["أسماء نصار"]),
        ("كتب - محمد سامي:", ["محمد سامي"]),
        ("حسام أبو العلا - القاهرة", ["حسام أبو العلا"]),
        # every credit label
        ("كتب سيد الخلفاوى", ["سيد الخلفاوى"]),
        ("حوار: محمد علي حسن", ["محمد علي حسن"]),
        ("بقلم د. منى حسن", ["د. منى حسن"]),
        ("بقلم الدكتور أحمد زويل", ["الدكتور أحمد زويل"]),
        ("متابعة: سارة محمد", ["سارة محمد"]),
        ("تقرير: محمود عبد الراضي", ["محمود عبد الراضي"]),
        ("إعداد: سارة محمد و أحمد سمير", ["سارة محمد", "أحمد سمير"]),
        ("ترجمة: أحمد علي", ["أحمد علي"]),
        ("ترجمة وإعداد: أحمد علي", ["أحمد علي"]),
        ("تحقيق: منى زكي ومحمد حسن", ["منى زكي", "محمد حسن"]),
        ("تحرير: هبة عبد الله", ["هبة عبد الله"]),
        ("بواسطة أحمد علي", ["أحمد علي"]),
        ("By John Smith", ["John Smith"]),
        ("خالد صلاح يكتب:", ["خالد صلاح"]),
        # names with places, agencies, dates, several names
        ("كتب أحمد علي ومحمد حسن - القاهرة", ["أحمد علي", "محمد حسن"]),
        ("محمد اسماعيل - القاهرة - كتب- محمد سامي:", ["محمد اسماعيل", "محمد سامي"]),
        ("كتب محمد علي - أ ش أ", ["محمد علي"]),
        ("الرياض / كتب: فهد العتيبي", ["فهد العتيبي"]),
        ("كتب أحمد وحيد", ["أحمد وحيد"]),
        # the text's author, not the photographer
        ("كتب محمد علي - تصوير أحمد حسن", ["محمد علي"]),
        ("تصوير أحمد علي - كتب محمد حسن", ["محمد حسن"]),
        # credit lines with no author: remove from the body, no name
        ("تصوير: أحمد حسن", []),
        ("كتب: رويترز", []),
        ("تقرير - وكالات", []),
        ("كتب المحرر", []),
        ('كتب - "الحياة"', []),
        ("الأحد 10-01-2021 07:53 | كتب: رويترز |", []),
    ],
)
def test_byline_lines(line, names):
    assert byline_line(line) == names


@pytest.mark.parametrize(
    "line",
    [
        None, "", "كتب", "تصوير", "بقلم:",
        # sentences starting with a credit word
        "كتب الرئيس على حسابه في تويتر أن الانتخابات ستجري في موعدها",
        "تقرير البنك الدولي الصادر اليوم يؤكد تراجع النمو",
        "كتب الرئيس الأمريكي ترامب",
        "كتبت صحيفة نيويورك تايمز:",
        "كتب أنه لن يترشح مرة أخرى",
        "تقرير يرصد أهم الأحداث",
        "متابعة الحدث لحظة بلحظة",
        "حوار مع الفنان محمد منير",
        "ترجمة الكتاب إلى العربية",
        "كتب محمد علي: إن الحكومة قررت",
        "كتب محمد علي. وقال إن الأمر انتهى",
        "بقلم: من هو الكاتب؟",
        "كتبت «الأهرام» عن القضية",
        # a headline with a number, a place and a sentence, a bare name, too many names
        "10 أسباب لزيارة مصر",
        "القاهرة - أكد الرئيس",
        "حسام أبو العلا",
        "كتب محمد علي ومحمد حسن وأحمد سمير ومنى زكي وسارة محمد",
        # a date line is no byline
        "الإثنين، 24 أغسطس 2020 09:23 ص",
    ],
)
def test_not_byline_lines(line):
    assert byline_line(line) is None


@pytest.mark.parametrize(
    "line, bare",
    [("كتب:", True), ("بقلم", True), ("تصوير", True), ("إعداد -", True), ("كتب محمد", False), ("", False)],
)
def test_byline_label_lines(line, bare):
    assert byline_label_line(line) is bare


# --------------------------------------------------------------------------- source labels

@pytest.mark.parametrize(
    "line, bare",
    [
        ("المصدر:", True), ("المصدر", True), (" المصدر : ", True), ("المصادر:", True), ("مصدر الخبر", True),
        ("نقلا عن:", True), ("Source:", True),
        ("المصدر: (أبوظبي - البيان)", False), ("المصدر: رويترز", False), ("المصدر الحكومي", False),
        ("قال المصدر:", False), ("", False), (None, False),
    ],
)
def test_source_label_lines(line, bare):
    assert source_label_line(line) is bare


# --------------------------------------------------------------------------- corpus

# Each outlet's clock (the country's zone; Sputnik and CNN print theirs, which wins).
OUTLET_ZONES = {
    "www.youm7.com": CAIRO, "akhbarelyom.com": CAIRO, "elbaladtv.net": CAIRO, "www.albayan.ae": DUBAI,
    "www.alyaum.com": RIYADH, "arabic.sputniknews.com": "Europe/Moscow", "www.lbcgroup.tv": BEIRUT,
    "arabic.cnn.com": DUBAI,
}


def _expected_items(having: str | None = None):
    """The corpus's expected items; with ``having``, those where that field is not empty."""
    items = sorted((CORPUS_DIR / "expected").glob("*/*.json")) if CORPUS_DIR.is_dir() else []
    if having:
        items = [p for p in items if json.loads(p.read_text(encoding="utf-8")).get(having)]
    return items


def _local_date(value, tz):
    from zoneinfo import ZoneInfo

    if len(value) == 10:
        return date.fromisoformat(value)
    return datetime.fromisoformat(value).astimezone(ZoneInfo(tz)).date()


def test_corpus_is_read():
    require_shared()
    assert _expected_items(), f"no expected items under {CORPUS_DIR / 'expected'}"


@pytest.mark.parametrize("path", _expected_items("published_at_raw"), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_corpus_printed_dates_are_date_lines(path):
    require_shared()
    item = json.loads(path.read_text(encoding="utf-8"))
    raw = item["published_at_raw"]
    tz = OUTLET_ZONES[path.parent.name]
    found = date_line(raw, tz)
    assert found is not None, raw
    assert len(found.stamps) == 1 and found.raw == raw
    assert found.date == parse_date(raw, tz)
    # The stamp is an update when its date is the expected modified_at's, not published_at's.
    printed_day = found.date.value if not found.date.has_time else found.date.value.date()
    published_day = _local_date(item["published_at"], tz)
    modified_day = _local_date(item["modified_at"], tz) if item.get("modified_at") else None
    assert printed_day in (published_day, modified_day)
    assert found.is_update is (printed_day != published_day)


@pytest.mark.parametrize("path", _expected_items("authors"), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_corpus_authors_read_back_from_a_byline(path):
    require_shared()
    authors = json.loads(path.read_text(encoding="utf-8"))["authors"]
    assert byline_line("كتب " + "، ".join(authors)) == authors
    assert byline_line("كتب: " + " و".join(authors)) == authors
    assert byline_line("بقلم " + " - ".join(authors)) == authors
