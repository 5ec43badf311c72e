import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from akhbar.items import FIELDS, Article
from akhbar.pipelines import DeduplicatePipeline, NormalizePipeline, ValidatePipeline


def article(**fields):
    base = {"url": "https://www.youm7.com/story/2025/1/5/x/1", "headline": "عنوان", "body": ["فقرة"]}
    base.update(fields)
    return Article(**base)


def pipelines():
    crawler = get_crawler()
    return crawler.stats, [cls.from_crawler(crawler) for cls in
                           (NormalizePipeline, ValidatePipeline, DeduplicatePipeline)]


def run(pipes, item):
    for pipe in pipes:
        item = pipe.process_item(item)
    return item


def test_normalize_fills_every_field_and_cleans_text():
    stats, pipes = pipelines()
    item = run(pipes, article(headline=" عنوان\u00a0 <b>الخبر</b> ", body=["", "  فقرة\u200f  ", "\u0640"],
                              images=[{"url": "https://img/x.jpg", "caption": "  "}]))
    assert set(FIELDS) <= set(item.keys())
    assert item["headline"] == "عنوان الخبر"
    assert item["body"] == ["فقرة"]
    assert item["images"] == [{"url": "https://img/x.jpg", "caption": None}]
    assert item["tags"] == [] and item["dateline"] is None


@pytest.mark.parametrize("fields, reason", [
    ({"headline": None}, "no_headline"),
    ({"headline": "   "}, "no_headline"),
    ({"body": []}, "no_body"),
    ({"body": ["", " \u200b "]}, "no_body"),
])
def test_validation_drops_with_a_counted_reason(fields, reason):
    stats, pipes = pipelines()
    with pytest.raises(DropItem, match=reason):
        run(pipes, article(**fields))
    assert stats.get_value(f"akhbar/dropped/{reason}") == 1
    assert stats.get_value("akhbar/articles") is None


def test_same_article_under_two_urls_is_kept_once():
    stats, pipes = pipelines()
    canonical = "https://www.youm7.com/story/2025/1/5/x/1"
    run(pipes, article(url=canonical + "?utm_source=fb", canonical_url=canonical))
    with pytest.raises(DropItem, match="duplicate"):
        run(pipes, article(url="https://m.youm7.com/amp/2025/1/5/x/1", canonical_url=canonical))
    assert stats.get_value("akhbar/dropped/duplicate") == 1
    assert stats.get_value("akhbar/articles") == 1
