"""akhbar.text.clean: SCHEMA.md "Text" cleaning (spelling kept) and the search key."""

import json

import pytest
from shared import CORPUS_DIR

from akhbar.text.clean import clean_text, search_key


@pytest.mark.parametrize(
    "raw, cleaned",
    [
        (None, ""),
        ("", ""),
        ("  \u00a0 ", ""),
        # no-break spaces (a youm7 trailing &nbsp;), narrow no-break space, tabs and line breaks
        ("الرئيس\u00a0الروسى&nbsp;", "الرئيس الروسى"),
        ("وزير\u202fالخارجية\t\n  الروسي", "وزير الخارجية الروسي"),
        # zero-width characters, bidi marks, embeddings, isolates, soft hyphen, BOM
        ("\ufeffالقطار\u200b الكهربائى\u200c \u200fLRT\u200e", "القطار الكهربائى LRT"),
        ("\u202bموسكو\u202c (\u2067أ ش أ\u2069)", "موسكو (أ ش أ)"),
        ("الإمارا\u00adت\u061c", "الإمارات"),
        # presentation forms folded to base letters; the lam-alef ligature gives two letters
        ("\ufefb\ufe8e\ufeea", "لاإله"[:2] + "اه"),
        ("بسم \ufdf2", "بسم الله"),
        ("\ufe8d\ufedf\ufed8\ufe8e\ufeeb\ufeae\ufe93", "القاهرة"),
        # tatweel removed, as in the CNN and LBCI expected items
        ('وعلى صلة بـ"الجيش الحر"', 'وعلى صلة ب"الجيش الحر"'),
        ("الـــــدوحة", "الدوحة"),
        # tags removed, entities decoded, a line-breaking tag does not glue words
        ("<p>كتب <b>سيد</b> الخلفاوى</p>", "كتب سيد الخلفاوى"),
        ("الأولى<br>الثانية", "الأولى الثانية"),
        ("&#8220;انستجرام&#8221; &amp; &quot;فيسبوك&quot;", "“انستجرام” & \"فيسبوك\""),
        ("&lt;b&gt; نص", "<b> نص"),
        # spelling kept as printed: ى/ي, ة/ه, hamza forms, diacritics
        ("الروسى الأمريكي مسئولين إطلاق آذار", "الروسى الأمريكي مسئولين إطلاق آذار"),
        ("وجُرح عُمان شَعر", "وجُرح عُمان شَعر"),
        ("محافظة قنا ٢٠٢٠ 2020", "محافظة قنا ٢٠٢٠ 2020"),
    ],
)
def test_clean_text(raw, cleaned):
    assert clean_text(raw) == cleaned


def test_clean_text_keeps_the_lam_alef_letters():
    # U+FEFB ARABIC LIGATURE LAM WITH ALEF ISOLATED FORM
    assert clean_text("\ufefb") == "لا"
    assert clean_text("\ufef7") == "لأ"


def test_clean_text_is_idempotent_on_expected_items():
    """The hand-annotated items' text is already clean: cleaning it again changes nothing."""
    expected_dir = CORPUS_DIR / "expected"
    if not expected_dir.exists():
        pytest.skip(f"third-party corpus not found: {expected_dir} (set AKHBAR_SHARED)")
    files = sorted(expected_dir.glob("*/*.json"))
    assert files
    for path in files:
        item = json.loads(path.read_text(encoding="utf-8"))
        for text in [item["headline"], *item["body"], *item["authors"]]:
            assert clean_text(text) == text, path.name


@pytest.mark.parametrize(
    "raw, key",
    [
        (None, ""),
        ("أحمد إبراهيم آمال ٱلله", "احمد ابراهيم امال الله"),
        ("الروسى", "الروسي"),
        ("القاهرة", "القاهره"),
        ("وجُرح عُمانَ", "وجرح عمان"),
        ("الرحمٰن", "الرحمن"),
        ("كتب\u00a0سيد\u200f الخلفاوى", "كتب سيد الخلفاوي"),
        ("Google News", "google news"),
        ("هلسنكى", "هلسنكي"),
    ],
)
def test_search_key(raw, key):
    assert search_key(raw) == key


def test_search_key_matches_spelling_variants():
    assert search_key("مسئولين الأوسط") != search_key("مسؤولين الاوسط")  # ئ/ؤ are not alef forms
    assert search_key("الشرق الأوسط") == search_key("الشرق الاوسط")
    assert search_key("أبوظبى") == search_key("ابوظبي")


def test_clean_text_removes_control_characters():
    """NUL, ESC, DEL and C1 controls (mojibake, binary debris) are no text; NUL would not even
    store in PostgreSQL. White-space controls collapse like any space."""
    assert clean_text("القاهرة\x00 (أ ش أ)\x1b\x7f\x9f") == "القاهرة (أ ش أ)"
    assert clean_text("سطر\x85سطر\x1cآخر\x0b") == "سطر سطر آخر"
