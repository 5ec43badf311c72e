"""akhbar.extraction.edges: the date, byline and label lines at a story's edges, and the short
texts around its headline. Real lines as the corpus pages print them (a renamed layout puts them
in the body's first lines), and hand-written stories around them."""

from lxml import html as lxml_html

from akhbar.extraction.dom import text_within as text_of
from akhbar.extraction.edges import header_bylines, header_dates, header_lines, strip_edges
from akhbar.text import clean_text

STORY = [
    "أعلنت وزارة الصحة اليوم تسجيل حالات جديدة، بحسب بيان رسمي صدر مساء الثلاثاء.",
    "وأوضح المتحدث باسم الوزارة أن الحالات الجديدة من المخالطين.",
]


def test_a_date_line_and_a_byline_leave_the_top_of_the_body():
    body, edges = strip_edges(["الإثنين، 24 أغسطس 2020 09:23 ص", "كتبت أسماء نصار", *STORY], "Africa/Cairo")
    assert body == STORY
    assert [d.text for d in edges.dates] == ["الإثنين، 24 أغسطس 2020 09:23 ص"]
    assert edges.dates[0].date.isoformat() == "2020-08-24T09:23:00+02:00"
    assert edges.bylines == ["كتبت أسماء نصار"]


def test_the_headline_and_kicker_repeated_at_the_top_leave_it():
    body, _ = strip_edges(["عنوان الخبر", "عنوان فرعي للخبر", *STORY], "UTC", {"عنوان الخبر", "عنوان فرعي للخبر"})
    assert body == STORY


def test_a_source_label_and_its_line_give_the_dateline():
    body, edges = strip_edges(["المصدر:", "- (أبوظبي - البيان)", "التاريخ:", "03 يونيو 2020", *STORY], "Asia/Dubai")
    assert body == STORY
    assert [s.dateline for s in edges.sources] == ["أبوظبي"]
    assert [d.text for d in edges.dates] == ["03 يونيو 2020"]


def test_a_closing_byline_leaves_the_bottom():
    body, edges = strip_edges([*STORY, "كتب محمد علي"], "UTC")
    assert body == STORY and edges.bylines == ["كتب محمد علي"]


def test_story_sentences_stay_even_when_they_hold_dates_or_start_with_a_credit_verb():
    story = ["كتب الرئيس على حسابه في تويتر أن الاجتماع سيعقد الأسبوع المقبل.",
             "وتوفيت في 23 أبريل 1966 بعد رحلة مع المرض.", *STORY]
    body, edges = strip_edges(story, "Africa/Cairo")
    assert body == story and not edges


def test_the_head_ends_at_the_first_story_line():
    """A date line below the story's first paragraph is the story's (a quoted stamp), not its head."""
    story = [STORY[0], "الإثنين، 24 أغسطس 2020 09:23 ص", STORY[1]]
    body, edges = strip_edges(story, "Africa/Cairo")
    assert body == story and not edges.dates


PAGE = """<html><body>
<div><a href="/">الرئيسية</a> <a href="/news">أخبار</a></div>
<div class="k1"><h1>افتتاح مكتبة عامة جديدة</h1>
<div><span>الأحد، 05 يناير 2025 02:30 م</span></div><span>كتبت منى عبد الله</span></div>
<p>افتتحت المحافظة اليوم مكتبة عامة جديدة تضم قاعات للقراءة وركنا للأطفال، وقال مديرها إن أبوابها ستفتح يوميا
من التاسعة صباحا حتى التاسعة مساء طوال أيام الأسبوع، وإن الاشتراك فيها مجاني لطلاب المدارس والجامعات.</p>
<ul><li><a href="/story/2"><span>خبر آخر</span> <span>الأحد، 05 يناير 2025 01:00 م</span></a></li></ul>
</body></html>"""


def _lines(page: str) -> list[str]:
    root = lxml_html.document_fromstring(page)
    nodes = list(root.iter())
    order = {n: k for k, n in enumerate(nodes)}
    return header_lines(nodes, order, root.find(".//h1"), lambda el: False, clean_text, text_of)


def test_header_lines_are_the_short_texts_after_the_headline_up_to_the_story():
    lines = _lines(PAGE)
    assert lines[:2] == ["الأحد، 05 يناير 2025 02:30 م", "كتبت منى عبد الله"]
    assert "خبر آخر" not in " ".join(lines)  # the story card after the story's text is not read
    assert [d.text for d in header_dates(lines, "Africa/Cairo")][:1] == ["الأحد، 05 يناير 2025 02:30 م"]
    assert header_bylines(lines) == ["كتبت منى عبد الله"]


def test_a_date_inside_a_link_is_that_story_card_s_not_the_article_s():
    page = PAGE.replace("<div><span>الأحد، 05 يناير 2025 02:30 م</span></div>", "")
    page = page.replace('<div><a href="/">الرئيسية</a>', '<div><a href="/x"><span>الأحد، 05 يناير 2025 01:00 م</span></a>')
    assert header_dates(_lines(page), "Africa/Cairo") == []


def test_a_link_to_an_author_page_beside_the_headline_is_the_byline():
    from akhbar.extraction.edges import header_author_links

    page = PAGE.replace("<span>كتبت منى عبد الله</span>",
                        '<div><i></i><a href="/Editors/EditorNews/689/1/x" title="منى عبد الله"><h5>منى عبد الله</h5></a></div>')
    page = page.replace("</body>", '<div><a href="/author/someone-else">كاتب في الشريط الجانبي</a></div></body>')
    root = lxml_html.document_fromstring(page)
    nodes = list(root.iter())
    order = {n: k for k, n in enumerate(nodes)}
    names = header_author_links(nodes, order, root.find(".//h1"), lambda el: False, clean_text, text_of)
    assert names == ["منى عبد الله"]  # the sidebar's author link, far below the story, is not read
