"""`scrapy genoutlet` derives the outlet's story-URL pattern from the URLs it is given: ids,
dates and slugs generalised, fixed words kept; the pattern it derives from one real story URL
finds the stories of the outlet's real home page that the hand-written spider finds."""

import json
import os
import re
from urllib.parse import urljoin

import pytest
from lxml import html

from akhbar.commands.genoutlet import article_url_pattern
from shared import CORPUS_DIR, require_shared

os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "akhbar.settings")


@pytest.mark.parametrize("urls,pattern", [
    (["https://www.example.jo/article/123-some-slug"], r"^/article/\d+-[^/]+/?$"),
    (["https://www.example.jo/article/4567890-%D9%85%D8%B5%D8%B1"], r"^/article/\d+-[^/]+/?$"),
    (["https://example.com/news/2024/05/13/slug"], r"^/news/\d{4}/\d{1,2}/\d{1,2}/[^/]+/?$"),
    (["https://example.com/story/2024/5/13/عنوان-الخبر/6573469"], r"^/story/\d{4}/\d{1,2}/\d{1,2}/[^/]+/\d+/?$"),
    # a one- or two-digit number opening a slug is a word of the title, not an id
    (["https://example.com/a/36-%D8%B9%D8%A7%D9%85%D8%A7"], r"^/a/[^/]+/?$"),
    (["https://example.com/news/some-long-slug-123456.html"], r"^/news/[^/]+-\d+\.html/?$"),
    (["https://example.com/2020-06-03-1.3874341"], r"^/\d{4}-\d{1,2}-\d{1,2}-\d{1,2}\.\d+/?$"),
    # tracking parameters are no part of the story's URL; the others are kept by name
    (["https://example.com/Details.aspx?ID=123&utm_source=fb"], r"^/Details\.aspx\?ID=\d+$"),
    # several URLs: a segment that differs between them is any segment, one they share is fixed
    (["https://example.com/politics/123456-a-b/ar", "https://example.com/sports/654321-c/ar"],
     r"^/[^/]+/\d+-[^/]+/ar/?$"),
    # URLs of two shapes: one pattern each (a word before any id or date is fixed)
    (["https://example.com/x/123456-a", "https://example.com/v/2024/1/2/abc"],
     r"^(?:/x/\d+-[^/]+/?|/v/\d{4}/\d{1,2}/\d{1,2}/[^/]+/?)$"),
    (["https://example.com/"], None),
])
def test_derived_pattern(urls, pattern):
    assert article_url_pattern(urls) == pattern


# Share of the hand-written spider's story links on a real home page the derived pattern must find
# (akhbarelyom's links differ in case from its article page: /News/NewDetails/).
MIN_STORIES_FOUND = 0.9


def test_pattern_from_one_story_finds_the_home_page_stories():
    require_shared()
    from akhbar.registry import spider_for_url

    listings = sorted((CORPUS_DIR / "listing").glob("*-home-*.html"))
    assert listings
    for listing in listings:
        home = "https://" + listing.name.split("-home-")[0] + "/"
        spider = spider_for_url(home)
        story_urls = [json.loads(path.read_text(encoding="utf-8"))["url"]
                      for path in sorted((CORPUS_DIR / "expected").glob("*/*.json"))]
        story_urls = [url for url in story_urls if spider_for_url(url) is spider]
        tree = html.fromstring(listing.read_bytes())
        links = {urljoin(home, a.get("href").strip()) for a in tree.iter("a") if a.get("href")}
        stories = {url for url in links if spider.is_article_url(url)}
        for story_url in story_urls:
            derived = article_url_pattern([story_url])
            found = spider.url_test(derived)
            assert re.compile(derived)
            hits = {url for url in links if found(url)}
            assert hits <= stories, (listing.name, derived, sorted(hits - stories)[:3])
            assert len(hits) >= MIN_STORIES_FOUND * len(stories), (listing.name, derived, len(hits), len(stories))
