"""A source line read as a byline, `(PLACE - AGENCY)`, gives both the agency and the place."""

import pytest
from scrapy.http import HtmlResponse

from akhbar.extraction import extract_article
from akhbar.spiders.base import NewsSpider

PAGE = """<html><head><meta charset="utf-8"><title>افتتاح معرض للكتاب</title></head><body>
<article><h1>افتتاح معرض للكتاب في المدينة</h1>
<div class="source">{source}</div>
<div class="text"><p>افتتح المعرض أبوابه صباح اليوم أمام الزوار بمشاركة عشرات من دور النشر.</p>
<p>ويستمر المعرض أسبوعين، وتقام على هامشه ندوات وأمسيات شعرية.</p></div></article>
</body></html>"""


class SourceLineSpider(NewsSpider):
    name = "source_line_test"
    allowed_domains = ["news.example"]
    timezone = "Asia/Dubai"
    selectors = {"headline": "h1", "byline": "div.source", "body": "div.text p"}


@pytest.mark.parametrize("source, agencies, dateline", [
    ("(دبي - وام)", ["WAM"], "دبي"),
    ("(القاهرة - أ ش أ)", ["MENA"], "القاهرة"),
    ("(وام)", ["WAM"], None),
])
def test_place_and_agency_of_a_source_line(source, agencies, dateline):
    body = PAGE.format(source=source).encode("utf-8")
    item = extract_article(HtmlResponse("https://news.example/a/1", body=body), SourceLineSpider())
    assert item["agencies"] == agencies
    assert item["dateline"] == dateline
    assert item["authors"] == []
