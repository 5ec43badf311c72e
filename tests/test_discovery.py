"""Discovery: feeds, sitemaps, daily sitemaps, listing pages -> article requests only.

The feed and sitemap documents are written here in the standard formats (no real one was
saved anywhere public); the listing page is the real 2018 Youm7 home page of the corpus.
"""

import gzip


import pytest
from scrapy.http import HtmlResponse, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from akhbar.spiders.base import NewsSpider
from shared import CORPUS_DIR, require_shared


class ExampleSpider(NewsSpider):
    name = "example"
    allowed_domains = ["example.com"]
    article_url = r"^/story/\d{4}/\d{1,2}/\d{1,2}/[^/]+/\d+$"
    daily_sitemap = "https://www.example.com/Sitemap/{y}/{m}/{d}"
    feeds = ["https://www.example.com/rss/1", "https://www.example.com/rss/2"]
    listing_pages = ["https://www.example.com/"]


def spider(cls=ExampleSpider, **kwargs):
    return get_crawler(cls)._create_spider(**kwargs)


def urls(requests):
    return [r.url for r in requests]


STORY = "https://www.example.com/story/2024/5/13/{slug}/{id}"

RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>t</title>
<item><title>a</title><link>{STORY.format(slug="a", id=1)}</link></item>
<item><title>b</title><link> {STORY.format(slug="b", id=2)} </link></item>
<item><title>section</title><link>https://www.example.com/Section/x/97</link></item>
<item><title>elsewhere</title><link>https://other.org/story/2024/5/13/c/3</link></item>
</channel></rss>""".encode()

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><title>a</title><link rel="alternate" href="{STORY.format(slug="a", id=4)}"/></entry>
<entry><title>a</title><link href="{STORY.format(slug="a", id=5)}"/></entry>
</feed>""".encode()

URLSET = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{STORY.format(slug="s", id=6)}</loc><lastmod>2024-05-13</lastmod></url>
<url><loc>https://www.example.com/Section/y/12</loc></url>
</urlset>""".encode()

INDEX = """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://www.example.com/sitemap-1.xml.gz</loc></sitemap>
</sitemapindex>""".encode()


def test_default_discovery_reads_feeds_and_listing_pages():
    assert urls(spider().discovery_requests()) == [*ExampleSpider.feeds, *ExampleSpider.listing_pages]


def test_rss_feed_gives_only_article_urls_of_the_outlet():
    s = spider()
    got = urls(s.parse_discovery(XmlResponse("https://www.example.com/rss/1", body=RSS)))
    assert got == [STORY.format(slug="a", id=1), STORY.format(slug="b", id=2)]
    assert s.crawler.stats.get_value("akhbar/discovery/skipped_non_article") == 2


def test_atom_feed_served_as_text_html_is_still_read_as_a_feed():
    got = urls(spider().parse_discovery(HtmlResponse("https://www.example.com/rss/2", body=ATOM)))
    assert got == [STORY.format(slug="a", id=4), STORY.format(slug="a", id=5)]


def test_sitemap_index_and_gzipped_urlset():
    s = spider()
    index = list(s.parse_discovery(XmlResponse("https://www.example.com/sitemap.xml", body=INDEX)))
    assert urls(index) == ["https://www.example.com/sitemap-1.xml.gz"]
    assert index[0].callback == s.parse_discovery
    got = list(s.parse_discovery(TextResponse("https://www.example.com/sitemap-1.xml.gz", body=gzip.compress(URLSET))))
    assert urls(got) == [STORY.format(slug="s", id=6)]
    assert got[0].callback == s.parse_article


def test_backfill_requests_one_daily_sitemap_per_day():
    s = spider(since="2024-02-28", until="2024-03-01")
    assert urls(s.discovery_requests()) == [
        "https://www.example.com/Sitemap/2024/2/28",
        "https://www.example.com/Sitemap/2024/2/29",
        "https://www.example.com/Sitemap/2024/3/1",
    ]


@pytest.mark.parametrize("kwargs, message", [
    ({"since": "2024-13-01"}, "expected a date as YYYY-MM-DD"),
    ({"until": "2024-01-01"}, "needs -a since"),
    ({"since": "2024-03-02", "until": "2024-03-01"}, "before"),
])
def test_bad_backfill_arguments_are_clear_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        list(spider(**kwargs).discovery_requests())


def test_an_outlet_without_daily_archive_refuses_backfill():
    class NoArchive(ExampleSpider):
        name = "noarchive"
        daily_sitemap = None

    with pytest.raises(ValueError, match="no daily archive"):
        spider(NoArchive, since="2024-01-01")


def test_urls_argument_parses_exactly_those_pages():
    s = spider(urls=f"{STORY.format(slug='a', id=1)}, {STORY.format(slug='b', id=2)}")
    requests = list(s.discovery_requests())
    assert urls(requests) == [STORY.format(slug="a", id=1), STORY.format(slug="b", id=2)]
    assert all(r.callback == s.parse_article for r in requests)


def test_real_home_page_links_to_stories():
    """The 2018 Youm7 home page: every story link is routed to parse_article, nothing else."""
    require_shared()
    from akhbar.spiders.youm7 import Youm7Spider

    page = CORPUS_DIR / "listing" / "www.youm7.com-home-2018-03-17.html"
    s = spider(Youm7Spider)
    requests = list(s.parse_discovery(HtmlResponse("https://www.youm7.com/", body=page.read_bytes())))
    articles = [r for r in requests if r.callback == s.parse_article]
    # Read off the page: its story links all have the /story/<y>/<m>/<d>/<slug>/<id> shape.
    story_links = {r.url for r in articles}
    assert len(story_links) >= 50
    assert all("/story/20" in url for url in story_links)
    assert s.crawler.stats.get_value("akhbar/discovery/skipped_non_article") > 0


def test_day_arithmetic_is_calendar_correct():
    s = spider(since="2023-12-31", until="2024-01-01")
    assert [r.url.rsplit("/Sitemap/", 1)[1] for r in s.discovery_requests()] == ["2023/12/31", "2024/1/1"]
