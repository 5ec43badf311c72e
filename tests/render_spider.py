"""A test-only outlet on 127.0.0.1 (tests/js_site, served by tests/test_rendering.py).

/story/js/<id> pages have their article inserted by an inline script, /story/xhr/<id> pages
fetch it (/data/<id>.json) after their load event; /story/plain/<id> pages carry it in the HTML.
The spider renders the first two kinds only (``render_url``), waiting for the body paragraphs
(``render_wait_for``).
Run with ``scrapy runspider tests/render_spider.py -a urls=...``: it is not in SPIDER_MODULES.
"""

from akhbar.spiders.base import NewsSpider


class RenderTestSpider(NewsSpider):
    name = "rendertest"
    allowed_domains = ["127.0.0.1"]
    timezone = "Africa/Cairo"
    article_url = r"^/story/(?:js|xhr|plain)/\d+$"
    render_url = r"^/story/(?:js|xhr)/"
    render_wait_for = "article div.story-body p"
    story_hops = 0
    selectors = {
        "headline": ["article h1"],
        "body": ["article div.story-body"],
    }
