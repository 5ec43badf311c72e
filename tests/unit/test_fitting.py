"""akhbar.fitting: the ranking of candidate selectors and a fit on pages of a made-up layout.

Every page here is written for the test; every expected value is read from the page by hand."""

import json

import pytest
from scrapy.http import HtmlResponse

from akhbar.extraction import extract
from akhbar.fitting import (DraftNotChecked, Sample, fit, fit_date_declarations, fit_dates, fit_story_links, fitted_selectors,
                            load_sample, looks_generated, narrowed_pattern, rewrite_selectors, with_selectors,
                            write_declarations)
from akhbar.spiders.base import NewsSpider

HEADLINE = "افتتاح جسر جديد فوق النهر"
DATE = "الإثنين، 13 مايو 2024 10:30 ص"
PARAGRAPHS = [
    "افتتح وزير النقل اليوم جسرا جديدا يربط ضفتي النهر بعد عامين من العمل.",
    "وقال الوزير إن الجسر يختصر زمن الرحلة بين المدينتين إلى النصف.",
]


class MadeUpSpider(NewsSpider):
    name = "madeup"
    allowed_domains = ["madeup.example"]
    article_url = r"^/news/\d+$"
    selectors: dict = {}


def _page(body: str, title: str = HEADLINE) -> bytes:
    return (f'<html lang="ar"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="og:type" content="article"></head><body>{body}</body></html>').encode("utf-8")


def _sample(body: str, expected: dict, number: int = 1) -> Sample:
    url = f"https://madeup.example/news/{number}"
    return Sample(url=url, body=_page(body, expected.get("headline") or HEADLINE), expected={"url": url, **expected},
                  name=f"page{number}")


def _story(paragraphs=PARAGRAPHS) -> str:
    return "<div>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</div>"


# --- generated words ---------------------------------------------------------------------------
@pytest.mark.parametrize("word", ["css-1x2y3z", "sc-bdVaJa", "jsx-2138471", "Title_title__3xYz1", "a1b2c3d4",
                                  "e3f9a7", "block-123456"])
def test_build_tool_words_look_generated(word):
    assert looks_generated(word)


@pytest.mark.parametrize("word", ["articleBody", "entry-content", "col-xs-8", "b-article__text",
                                  "post-tags_link", "news-dev8", "jeg_post_tags"])
def test_words_a_person_wrote_do_not(word):
    assert not looks_generated(word)


# --- ranking -----------------------------------------------------------------------------------
def test_a_generated_class_word_loses_to_an_itemprop():
    body = (f'<header><h1 class="css-1x2y3z" itemprop="headline">{HEADLINE}</h1></header>'
            f'<aside><h1 class="css-9q8w7e">الأكثر قراءة</h1></aside>{_story()}')
    result = fit(MadeUpSpider, [_sample(body, {"headline": HEADLINE})], ["headline"])["headline"]
    assert result.selectors == ["[itemprop='headline']"]


def test_a_generated_class_word_ranks_below_a_structural_path():
    # no itemprop, no semantic word: the generated class is the last resort, a path comes first
    body = (f'<main><h1 class="css-1x2y3z">{HEADLINE}</h1></main>'
            f'<aside><h2 class="css-9q8w7e">الأكثر قراءة</h2></aside>{_story()}')
    result = fit(MadeUpSpider, [_sample(body, {"headline": HEADLINE})], ["headline"])["headline"]
    assert result.selectors == ["h1"]


def test_a_path_anchored_on_the_headline_beats_an_absolute_path():
    # the printed date: a bare span right after the h1; another bare span elsewhere on the page
    body = (f'<div><div><span>عاجل</span></div><div><h1>{HEADLINE}</h1><span>{DATE}</span></div></div>'
            f'{_story()}')
    result = fit(MadeUpSpider, [_sample(body, {"headline": HEADLINE, "published_at_raw": DATE})],
                 ["headline", "published_at"])
    assert result["headline"].selectors == ["h1"]
    assert result["published_at"].selectors == ["h1 + span"]


def test_a_semantic_class_beats_a_structural_path():
    kicker = "الجسر يربط ضفتي النهر"
    body = (f'<div><h1>{HEADLINE}</h1><h2 class="kicker">{kicker}</h2></div>'
            f'<div><h2>الأكثر قراءة</h2></div>{_story()}')
    result = fit(MadeUpSpider, [_sample(body, {"headline": HEADLINE, "subheadline": kicker})],
                 ["headline", "subheadline"])
    assert result["subheadline"].selectors == ["h2.kicker"]


def test_a_field_no_element_holds_is_reported_not_guessed():
    body = f"<h1>{HEADLINE}</h1>{_story()}"
    result = fit(MadeUpSpider, [_sample(body, {"headline": HEADLINE, "section": "اقتصاد"})],
                 ["headline", "section"])["section"]
    assert result.selectors is None and "held by no element" in result.reason


def test_a_hand_written_selector_that_gives_the_value_is_kept():
    spider = type("Declared", (MadeUpSpider,), {"selectors": {"headline": ["div.head h1", "h1"]}})
    body = f'<div class="head"><h1>{HEADLINE}</h1></div>{_story()}'
    result = fit(spider, [_sample(body, {"headline": HEADLINE})], ["headline"])["headline"]
    assert result.kept and result.selectors == ["div.head h1", "h1"]


# --- a fit on two pages of one made-up layout ---------------------------------------------------
_LAYOUT = """
<nav class="menu"><a href="/">الرئيسية</a><a href="/economy">اقتصاد</a><a href="/sport">رياضة</a></nav>
<div class="page"><div class="main">
 <div class="story-head">
  <div class="crumbs"><a href="/">الرئيسية</a> <a href="/{section_slug}">{section}</a></div>
  <h1>{headline}</h1>
  <h2 class="kicker">{kicker}</h2>
  <div class="meta"><span class="story-date">{date}</span><span class="author">{byline}</span></div>
 </div>
 <figure class="lead"><img src="{image}"><figcaption>{caption}</figcaption></figure>
 <div class="story-text">{paragraphs}</div>
 <ul class="story-tags">{tags}</ul>
</div>
<div class="side"><h3>الأكثر قراءة</h3><ul><li><a href="/news/99">خبر آخر من الموقع</a></li></ul></div>
</div>
"""


def _layout_page(number: int, **values) -> tuple[Sample, dict]:
    html = _LAYOUT.format(
        paragraphs="".join(f"<p>{p}</p>" for p in values["body"]),
        tags="".join(f'<li><a href="/tag/{i}">{t}</a></li>' for i, t in enumerate(values["tags"])),
        **{k: v for k, v in values.items() if k not in ("body", "tags")})
    expected = {  # read off the page above by hand
        "headline": values["headline"], "subheadline": values["kicker"], "section": values["section"],
        "published_at_raw": values["date"], "authors": values["authors"], "tags": values["tags"],
        "body": values["body"], "images": [{"url": values["image"], "caption": values["caption"]}],
    }
    return _sample(html, expected, number), expected


TWO_PAGES = [
    _layout_page(1, headline=HEADLINE, kicker="الجسر يختصر زمن الرحلة", section="اقتصاد", section_slug="economy",
                 date=DATE, byline="كتب أحمد سمير", authors=["أحمد سمير"],
                 image="https://madeup.example/img/bridge.jpg", caption="الجسر الجديد",
                 body=PARAGRAPHS, tags=["النقل", "الجسور"]),
    _layout_page(2, headline="فوز الفريق المحلي في نهائي الكأس", kicker="هدفان في الشوط الثاني", section="رياضة",
                 section_slug="sport", date="الثلاثاء، 14 مايو 2024 09:15 م", byline="كتبت منى عبد الله",
                 authors=["منى عبد الله"], image="https://madeup.example/img/cup.jpg", caption="لاعبو الفريق",
                 body=["فاز الفريق المحلي بكأس البطولة بعد مباراة صعبة أمام ضيفه.",
                       "وسجل المهاجم هدفي المباراة في الشوط الثاني.",
                       "واحتفل المشجعون في شوارع المدينة حتى الصباح."],
                 tags=["كرة القدم"]),
]


def test_a_fit_on_two_pages_gives_selectors_that_extract_both_items():
    samples = [sample for sample, _ in TWO_PAGES]
    results = fit(MadeUpSpider, samples)
    # these pages have no picture inside the text and no update date: nothing to fit there
    unfitted = {key: result.reason for key, result in results.items() if not result.selectors}
    assert set(unfitted) == {"image_caption", "modified_meta"}, unfitted
    assert all(not result.kept for result in results.values())  # the spider declared none
    fitted = with_selectors(MadeUpSpider, fitted_selectors(MadeUpSpider, results))
    for sample, expected in TWO_PAGES:
        extracted = extract(HtmlResponse(url=sample.url, body=sample.body), fitted)
        item = extracted.item
        for name in ("headline", "subheadline", "section", "published_at_raw", "authors", "tags", "body"):
            assert item[name] == expected[name], name
        assert item["images"][0] == expected["images"][0]
        assert not extracted.fallbacks


def test_the_fitted_selectors_name_the_layout_classes():
    results = fit(MadeUpSpider, [sample for sample, _ in TWO_PAGES])
    assert results["subheadline"].selectors == ["h2.kicker"]
    assert results["published_at"].selectors == ["span.story-date"]
    assert results["byline"].selectors == ["span.author"]
    assert results["body"].selectors == ["div.story-text"]
    # the list item and its link hold the same text: either is the tag, under the list's class
    assert results["tags"].selectors[0] in ("ul.story-tags li", "ul.story-tags a")


# --- samples and writing back --------------------------------------------------------------------
def test_a_draft_still_under_review_is_refused(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(_page(f"<h1>{HEADLINE}</h1>"))
    expected = tmp_path / "page.json"
    expected.write_text(json.dumps({"url": "https://madeup.example/news/1", "headline": HEADLINE,
                                    "review": ["headline"]}), encoding="utf-8")
    with pytest.raises(DraftNotChecked, match="headline"):
        load_sample(page, None, expected)
    expected.write_text(json.dumps({"url": "https://madeup.example/news/1", "headline": HEADLINE,
                                    "review": []}), encoding="utf-8")
    assert load_sample(page, None, expected).expected["headline"] == HEADLINE


SPIDER_SOURCE = '''"""A spider."""

from akhbar.spiders.base import NewsSpider


class OneSpider(NewsSpider):
    name = "one"
    selectors = {
        "headline": ["div.head h1", 'h1'],  # the old layout too
        "body": [],
    }  # the outlet's own
    boilerplate = [r"^x$"]
'''


def test_rewriting_the_selectors_keeps_the_rest_byte_for_byte():
    new = rewrite_selectors(SPIDER_SOURCE, "OneSpider",
                            {"headline": ["div.head h1", "h1"], "body": ["div.story-text"], "tags": ["ul.tags a"]})
    before, after = SPIDER_SOURCE.split("    selectors = {")
    assert new.startswith(before)
    assert new.endswith('    }  # the outlet\'s own\n    boilerplate = [r"^x$"]\n')
    # an unchanged value keeps the text a person wrote; new ones are written one key a line
    assert '        "headline": ["div.head h1", \'h1\'],\n' in new
    assert '        "body": ["div.story-text"],\n        "tags": ["ul.tags a"],\n' in new
    namespace: dict = {}
    exec(compile(new, "one.py", "exec"), namespace)
    assert namespace["OneSpider"].selectors["tags"] == ["ul.tags a"]


# --- the date declarations --------------------------------------------------------------------
# A page whose one printed date is its last update ("آخر تحديث"), with no date metadata: read by
# hand, it has no publication date; the stamp is its update time (the spider's zone is UTC).
UPDATE_STAMP = "آخر تحديث 13 مايو 2024 10:30"
STAMPED = type("Stamped", (MadeUpSpider,), {"selectors": {"published_at": ["span.stamp"]}})


def _stamped_page() -> Sample:
    return _sample(f'<h1>{HEADLINE}</h1><span class="stamp">{UPDATE_STAMP}</span>{_story()}',
                   {"headline": HEADLINE, "published_at_raw": UPDATE_STAMP, "published_at": None,
                    "modified_at": "2024-05-13T10:30:00+00:00"})


def test_a_printed_update_stamp_is_fitted_as_a_declaration():
    sample = _stamped_page()
    assert extract(sample.response(), STAMPED).item.get("modified_at") is None  # no selector can say it
    result = fit_date_declarations(STAMPED, [sample])
    assert result.values == {"printed_date_is_update": True}, result.reason
    item = extract(sample.response(), type("Declared", (STAMPED,), result.values)).item
    assert (item.get("published_at"), item.get("modified_at")) == (None, "2024-05-13T10:30:00+00:00")


def test_declarations_that_already_give_the_dates_are_kept():
    declared = type("Declared", (STAMPED,), {"printed_date_is_update": True})
    result = fit_date_declarations(declared, [_stamped_page()])
    assert result.kept and not result.values


def test_a_printed_clock_the_machine_date_beats_is_fitted_with_its_selector():
    # The page prints 10:30 and its metadata says 11:30Z: read by hand (as an annotator who knows
    # the outlet's printed clock is an hour short), published at 11:30 UTC, printed as shown, no update.
    stamp = "13 مايو 2024 10:30"
    sample = _sample(f'<h1>{HEADLINE}</h1><span class="stamp">{stamp}</span>{_story()}',
                     {"headline": HEADLINE, "published_at_raw": stamp, "published_at": "2024-05-13T11:30:00+00:00",
                      "modified_at": None})
    sample = Sample(sample.url, sample.body.replace(
        b"</head>", b'<meta property="article:published_time" content="2024-05-13T11:30:00Z"></head>'),
        sample.expected, sample.name)
    results = fit(MadeUpSpider, [sample], ["headline", "published_at"])
    assert results["published_at"].selectors is None  # the printed clock wins without a declaration
    dates = fit_dates(MadeUpSpider, [sample], results)
    assert dates.values == {"metadata_date_wins": True}
    assert results["published_at"].selectors == ["span.stamp"]
    fitted = type("Fitted", (MadeUpSpider,), {**dates.values, "selectors": fitted_selectors(MadeUpSpider, results)})
    extracted = extract(sample.response(), fitted)
    assert extracted.item.get("published_at") == "2024-05-13T11:30:00+00:00"
    assert extracted.sources.get("published_at_raw") == "selector"


def test_writing_a_declaration_keeps_the_rest_byte_for_byte():
    new = write_declarations(SPIDER_SOURCE, "OneSpider", {"printed_date_is_update": True, "metadata_date_wins": True})
    before, after = SPIDER_SOURCE.split("    selectors = {")
    head = new[:len(before)]
    assert head == before and new.endswith("    selectors = {" + after)
    added = new[len(before):-len("    selectors = {" + after)]
    assert added.endswith("    printed_date_is_update = True\n    metadata_date_wins = True\n")
    assert added.startswith("    # Fitted by `scrapy fitspider`")
    namespace: dict = {}
    exec(compile(new, "one.py", "exec"), namespace)
    assert namespace["OneSpider"].printed_date_is_update is True
    # declared already: the assignment is replaced, nothing added
    again = write_declarations(new, "OneSpider", {"printed_date_is_update": False})
    assert again == new.replace("printed_date_is_update = True", "printed_date_is_update = False")


# --- related lists: story pattern and headings --------------------------------------------------
def test_a_story_pattern_is_narrowed_by_the_word_every_other_link_has():
    stories = ["https://madeup.example/news/economy/11/a", "https://madeup.example/sport/cup/12/b"]
    others = ["https://madeup.example/news/category/3/c", "https://madeup.example/sport/category/4/d"]
    pattern = narrowed_pattern(r"^/[^/]+/[^/]+/\d+/[^/]+$", stories, others)
    assert pattern == r"^(?!/[^/]+/category(?:/|$))/[^/]+/[^/]+/\d+/[^/]+$"
    import re
    assert all(re.search(pattern, "/" + u.split("/", 3)[3]) for u in stories)
    assert not any(re.search(pattern, "/" + u.split("/", 3)[3]) for u in others)
    # a story with that word there: no narrowing tells them apart
    assert narrowed_pattern(r"^/[^/]+/[^/]+/\d+/[^/]+$", stories + ["https://madeup.example/x/category/5/e"],
                            others) is None


# Two lists, each titled by a link to its section six levels above the element the title shares
# with the list's links: the reading alone finds no heading (a link leading somewhere is none).
_LISTS = {"اخترنا لكم": ["زيارة الوزير إلى المعرض", "مهرجان الربيع في المدينة"],
          "الأكثر قراءة": ["ارتفاع أسعار الخضار", "افتتاح مكتبة عامة جديدة"]}


def _list_box(number: int, heading: str, titles: list[str]) -> str:
    cards = "".join(f'<div class="card"><div><div><a href="/news/{number * 10 + i}">{title}</a></div></div></div>'
                    for i, title in enumerate(titles))
    return (f'<div class="box"><div class="box-top"><div><div><div><div>'
            f'<a class="list-title" href="/section/{number}">{heading}</a></div></div></div></div></div>'
            f'<div class="cards"><div><div>{cards}</div></div></div></div>')


def test_list_headings_far_above_their_links_are_fitted_with_their_levels():
    body = f"<h1>{HEADLINE}</h1>{_story()}" + "".join(
        _list_box(n, heading, titles) for n, (heading, titles) in enumerate(_LISTS.items(), 1))
    related = [{"block": heading, "title": title, "url": f"https://madeup.example/news/{n * 10 + i}"}
               for n, (heading, titles) in enumerate(_LISTS.items(), 1) for i, title in enumerate(titles)]
    sample = _sample(body, {"headline": HEADLINE, "related": related})
    assert extract(sample.response(), MadeUpSpider).item.get("related") != related
    result = fit_story_links(MadeUpSpider, [sample])
    assert result.headings == ["a.list-title"] and result.heading_levels is not None, result.reason
    assert result.pattern is None  # the spider's own story URLs do, with the headings
    fitted = type("Fitted", (MadeUpSpider,), {"selectors": {"related_heading": result.headings},
                                              "related_heading_levels": result.heading_levels})
    assert extract(sample.response(), fitted).item.get("related") == related
