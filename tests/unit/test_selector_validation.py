"""A spider's selectors are checked when it is first used: a selector that is neither valid CSS
nor valid XPath is an error naming the spider, the field and the selector; an XPath starting with
a function call (``normalize-space(//h1)``) is XPath, and its string is the field's value."""

import pytest
from scrapy.http import HtmlResponse
from scrapy.settings import Settings

from akhbar.extraction import extract
from akhbar.extraction.config import ExtractionConfig, validate_selectors
from akhbar.extraction.selecting import InvalidSelector, is_xpath, select, selector_problem
from akhbar.spiderloader import SpiderLoader
from akhbar.spiders.base import NewsSpider

XPATH_STRING_FUNCTIONS = [
    "normalize-space(//h1)", "string(//time/@datetime)", "concat(//h1, ' ', //h2)",
    "substring-after(//p[@class='meta'], '|')", "translate(//h1, 'ab', 'AB')",
]


@pytest.mark.parametrize("selector", XPATH_STRING_FUNCTIONS + ["h1/text()", "descendant::p", "//h1", "(//p)[1]",
                                                               "./p", "re:test(//a/@href, 'x')"])
def test_xpath_is_told_by_trying(selector):
    assert is_xpath(selector)
    assert selector_problem(selector) is None


@pytest.mark.parametrize("selector", ["h1", "div.body", "div.a > p::text", "meta[property='og:title']::attr(content)",
                                      "[itemprop='articleBody'] p", "*"])
def test_valid_css_stays_css(selector):
    """``h1`` and ``div.body`` are valid XPath too: CSS, as documented, wins."""
    assert not is_xpath(selector)
    assert selector_problem(selector) is None


@pytest.mark.parametrize("selector,words", [
    ("time[datetime", "neither valid CSS"),
    ("normalize-space(//h1", "neither valid CSS"),
    ("no-such-function(//h1)", "Unregistered function"),  # compiles, fails when evaluated
    ("//div[@class='a'", "not valid XPath"),
    ("div >> p", "neither valid CSS"),
    ("", "empty"),
])
def test_broken_selectors_say_why(selector, words):
    problem = selector_problem(selector)
    assert problem is not None and words in problem


class _BrokenSpider(NewsSpider):
    """Defining (importing) a spider with a broken selector is allowed; using it is not."""

    name = "made_up_broken"
    allowed_domains = ["example.com"]
    selectors = {"headline": ["h1"], "published_at": ["time.date", "time[datetime"]}


def test_a_broken_selector_names_spider_field_and_selector():
    with pytest.raises(InvalidSelector) as error:
        ExtractionConfig.of(_BrokenSpider)
    message = str(error.value)
    assert "'made_up_broken'" in message and "'published_at'" in message and "'time[datetime'" in message


def test_selectors_outside_the_selectors_dict_are_checked_too():
    class ExcludeTypo(NewsSpider):
        name = "made_up_exclude"
        body_exclude = [".ad", "div[class='share'"]

    with pytest.raises(InvalidSelector, match=r"'made_up_exclude', field 'body_exclude'.*div\[class='share'"):
        validate_selectors(ExcludeTypo)


def test_a_field_declared_with_something_else_is_an_error():
    class NotAList(NewsSpider):
        name = "made_up_dict"
        selectors = {"headline": {"css": "h1"}}

    with pytest.raises(InvalidSelector, match="'made_up_dict', field 'headline'"):
        validate_selectors(NotAList)


def test_extraction_refuses_a_broken_spider():
    response = HtmlResponse(url="https://example.com/news/1", body=_PAGE.encode())
    with pytest.raises(InvalidSelector, match="made_up_broken"):
        extract(response, _BrokenSpider)


def test_every_shipped_spider_validates():
    loader = SpiderLoader.from_settings(Settings({"SPIDER_MODULES": ["akhbar.spiders"]}))
    names = loader.list()
    assert "youm7" in names and "generic" in names
    for name in names:
        validate_selectors(loader.load(name))


def test_the_loader_stops_at_a_broken_spider(tmp_path, monkeypatch):
    package = tmp_path / "made_up_spiders"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "broken.py").write_text(
        "from akhbar.spiders.base import NewsSpider\n\n\n"
        "class Broken(NewsSpider):\n"
        "    name = 'made_up_loaded'\n"
        "    selectors = {'byline': ['normalize-space(//p[@class=\"by\"])', 'p.by::text('], 'headline': 'h1'}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import made_up_spiders.broken  # noqa: F401 - the module itself imports

    with pytest.raises(InvalidSelector) as error:
        SpiderLoader.from_settings(Settings({"SPIDER_MODULES": ["made_up_spiders"]}))
    assert "'made_up_loaded', field 'byline': selector 'p.by::text('" in str(error.value)


_PAGE = """<html><head><meta charset="utf-8"><title>مكتبة</title></head><body><article>
<h1>
   افتتاح   مكتبة عامة
   جديدة
</h1>
<p class="meta">كتب: أحمد علي | الإثنين، 13 مايو 2024 06:00 ص</p>
<div class="story">
<p>افتتحت المحافظة صباح اليوم مكتبة عامة جديدة تضم آلاف الكتب في مختلف المجالات.</p>
<p>وقال مدير المكتبة إن أبوابها ستفتح يوميا أمام الطلاب والباحثين من التاسعة صباحا.</p>
</div>
</article></body></html>"""


class _StringFunctionSpider(NewsSpider):
    name = "made_up_string_functions"
    allowed_domains = ["example.com"]
    timezone = "Asia/Amman"  # UTC+03:00 all year since 2022
    article_url = r"^/news/\d+"
    selectors = {
        # the first finds nothing on this page (an empty string): the next one is tried
        "headline": ["normalize-space(//h2)", "normalize-space(//h1)"],
        "published_at": ["normalize-space(substring-after(//p[@class='meta'], '|'))"],
        "body": ["div.story"],
    }


def test_xpath_string_functions_work_end_to_end():
    response = HtmlResponse(url="https://example.com/news/1", body=_PAGE.encode())
    assert select(response.selector.root, "normalize-space(//h2)") == []
    extracted = extract(response, _StringFunctionSpider)
    item = extracted.item
    assert item["headline"] == "افتتاح مكتبة عامة جديدة"
    assert item["published_at_raw"] == "الإثنين، 13 مايو 2024 06:00 ص"
    assert item["published_at"] == "2024-05-13T06:00:00+03:00"
    assert len(item["body"]) == 2
    assert not {"headline", "published_at", "body"} & set(extracted.fallbacks)  # the selectors gave them
