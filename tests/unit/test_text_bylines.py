"""akhbar.text.bylines: person names of a byline.

The corpus cases read each page's byline as printed in its HTML (at test time) and compare
with the hand-annotated authors of its expected item.
"""

import json
import re

import pytest
from shared import CORPUS_DIR

from akhbar.text.bylines import byline_parts, parse_byline
from akhbar.text.clean import clean_text

# Where each page prints its byline (markup, not text, lives here).
BYLINE_MARKUP = {
    "www.youm7.com/2020-08-24-4943459": r'<span class="writeBy">(.*?)</span>',
    "www.youm7.com/2024-05-13-6573469": r'<span class="writeBy">(.*?)</span>',
    "elbaladtv.net/2020-turki-alsheikh": r"<div class=jeg_meta_author>(.*?)</div>",
    "akhbarelyom.com/3126898-amp": r'class="post-meta-author">.*?<h5>(.*?)</h5>',
    "www.alyaum.com/6291787": r'<meta name="author" content="([^"]*)"',
}


@pytest.mark.parametrize("page", sorted(BYLINE_MARKUP))
def test_corpus_bylines(page):
    html_path = CORPUS_DIR / f"{page}.html"
    expected_path = CORPUS_DIR / "expected" / f"{page}.json"
    if not (html_path.exists() and expected_path.exists()):
        pytest.skip(f"third-party corpus page not found: {html_path} (set AKHBAR_SHARED)")
    match = re.search(BYLINE_MARKUP[page], html_path.read_text(encoding="utf-8"), re.S)
    assert match, f"no byline markup in {html_path}"
    expected = json.loads(expected_path.read_text(encoding="utf-8"))["authors"]
    assert expected
    assert parse_byline(match[1]) == expected
    assert parse_byline(clean_text(match[1])) == expected


@pytest.mark.parametrize(
    "byline, names",
    [
        (None, []),
        ("", []),
        ("كتب", []),
        # the verbs and words around the names
        ("كتب - محمد سامي:", ["محمد سامي"]),
        ("بقلم: أحمد علي", ["أحمد علي"]),
        ("بقلم د. منى حسن", ["د. منى حسن"]),
        ("إعداد: سارة محمد", ["سارة محمد"]),
        ("تقرير: محمود عبد الراضي", ["محمود عبد الراضي"]),
        ("كتب\u00a0سيد\u200f الخلفاوى", ["سيد الخلفاوى"]),
        ("<span>كتب</span> <a href='/author/x'>ضحى عرفة</a>", ["ضحى عرفة"]),
        # several names: و, ، and ,
        ("كتب أحمد علي ومحمد حسن", ["أحمد علي", "محمد حسن"]),
        ("إعداد: سارة محمد و أحمد سمير", ["سارة محمد", "أحمد سمير"]),
        ("كتب محمد علي، أحمد حسن, منى زكي", ["محمد علي", "أحمد حسن", "منى زكي"]),
        ("كتب سيد وهبة ومحمد علي", ["سيد وهبة", "محمد علي"]),
        # a given name starting with و is not "and"
        ("كتب أحمد وحيد", ["أحمد وحيد"]),
        ("كتب أحمد محمد وجدي حسن", ["أحمد محمد وجدي حسن"]),
        # reporter and place: the place is the dateline, not a name
        ("محمد اسماعيل - القاهرة - كتب- محمد سامي:", ["محمد اسماعيل", "محمد سامي"]),
        # agencies are not authors
        ("كتب: رويترز", []),
        ("تقرير - وكالات", []),
        ("كتب محمد علي - أ ش أ", ["محمد علي"]),
        ("الأحد 10-01-2021 07:53 | كتب: رويترز |", []),
        # the opinion-page form
        ("خالد صلاح يكتب: عنوان المقال", ["خالد صلاح"]),
    ],
)
def test_parse_byline(byline, names):
    assert parse_byline(byline) == names


@pytest.mark.parametrize(
    "byline, names",
    [
        # a photo credit names the photographer, not an author; the label stays in force
        ("كتب محمد علي - تصوير أحمد حسن", ["محمد علي"]),
        ("تصوير: أحمد حسن", []),
        ("تصوير: أحمد حسن - محمد سامي", []),
        ("تصوير أحمد علي - كتب محمد حسن", ["محمد حسن"]),
        ("عدسة: سارة محمد", []),
        # two labels joined by و
        ("ترجمة وإعداد: أحمد علي", ["أحمد علي"]),
        # a weekday split off its date is no name
        ("الأحد، 10 يناير 2021 | كتب: محمد علي", ["محمد علي"]),
        # the outlet in quotes and the newsroom are no persons
        ('كتب - "الحياة"', []),
        ("الرياض - «الرياض» - كتب محمد علي", ["محمد علي"]),
        ("كتب المحرر", []),
        ("إعداد: قسم الأخبار", []),
        # a given name that is also a Hijri month stays a name inside a full name
        ("كتب محمد رمضان", ["محمد رمضان"]),
    ],
)
def test_parse_byline_credits_that_are_not_authors(byline, names):
    assert parse_byline(byline) == names


def test_byline_parts():
    parts = byline_parts("القاهرة - كتب: محمد علي - تصوير أحمد حسن")
    assert [(p.text, p.labelled, p.photo, p.kind) for p in parts] == [
        ("القاهرة", False, False, "place"),
        ("", True, False, "empty"),
        ("محمد علي", False, False, "names"),
        ("أحمد حسن", True, True, "names"),
    ]


@pytest.mark.parametrize("text, names", [
    # The byline runs on into its date with no separator: the date is not part of a name.
    ("كتبت منى عادل الأحد، 20 يوليو 2025 06:45 م", ["منى عادل"]),
    ("كتب أحمد علي 20 يوليو 2025", ["أحمد علي"]),
    ("كتب أحمد علي - الأحد 20 يوليو 2025", ["أحمد علي"]),
    # A name that is also a date word (علي folds as the preposition على) is kept.
    ("كتب سامي علي 3 مارس 2025", ["سامي علي"]),
])
def test_a_byline_running_on_into_its_date(text, names):
    assert parse_byline(text) == names
