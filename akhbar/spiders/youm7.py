"""Youm7 (اليوم السابع), Egypt. Layouts: 2020, 2024 and the current one (same classes).

Selectors list the article template's classes first, then structural fallbacks; JSON-LD and
meta tags are the engine's own fallbacks. Youm7 writes its Cairo clock time with a ``Z`` in
``article:published_time``: ``metadata_clock_is_local`` says so.
"""

from akhbar.spiders.base import NewsSpider

_SECTION_IDS = (65, 97, 297, 88, 203, 319, 94, 296, 328)  # high-confidence feeds (feed-urls.tsv)


class Youm7Spider(NewsSpider):
    name = "youm7"
    allowed_domains = ["youm7.com"]
    country = "EG"
    timezone = "Africa/Cairo"
    feeds = [f"https://www.youm7.com/rss/SectionRss?SectionID={i}" for i in _SECTION_IDS]
    daily_sitemap = "https://www.youm7.com/Sitemap/{y}/{m}/{d}"
    listing_pages = ["https://www.youm7.com/"]
    # /story/2024/5/13/<slug, Arabic, maybe percent-encoded>/6573469
    article_url = r"^/story/\d{4}/\d{1,2}/\d{1,2}/[^/]+/\d+/?$"
    # related lists also link stories by their short address: https://www.youm7.com/4940961
    related_link = r"^/(?:story/\d{4}/\d{1,2}/\d{1,2}/[^/]+/\d+|\d{5,})/?$"
    section_url = r"^/Section/[^/]+/\d+/\d+/?$"  # /Section/أخبار-عاجلة/65/1
    metadata_clock_is_local = True

    selectors = {
        "headline": ["div.articleHeader h1", "article h1"],
        "subheadline": ["div.articleHeader .subTitle", "div.articleHeader h3"],
        "section": ["div.breadcumb a:last-of-type", "div.breadcrumb a:last-of-type"],
        "published_at": ["span.newsStoryDate", "div.articleHeader [class*='Date']"],
        "byline": ["span.writeBy", "div.articleCont [class*='writeBy']", "[class*='writer']"],
        "body": ["div#articleBody", "div.articleCont [itemprop='articleBody']", "[itemprop='articleBody']"],
        "lead_image": ["div.img-cont > img", "div.articleHeader ~ div.img-cont img", "figure.main-img img"],
        "lead_caption": ["div.img-cont > span.img-cap", "div.img-cont [class*='cap']"],
        "image_caption": [".uplCaption, .img-cap, figcaption, [class*='caption']"],
        "tags": ["div.tags h3 a", "div.tags a"],
    }
    boilerplate = [
        r"^(?:Google News\s*)?تابع آخر أخبار اليوم السابع على Google News$",
    ]
