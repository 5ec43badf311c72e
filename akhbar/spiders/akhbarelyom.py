"""Akhbar El-Yom (بوابة أخبار اليوم), Egypt. Layout: the 2020 desktop template (the corpus page,
filed as "AMP", is this one); the 2018 home page links stories the same way.

``article:published_time`` carries the printed Arabic date, not an ISO value: the printed
``post-meta-date`` is the date (Cairo clock).
"""

from akhbar.spiders.base import NewsSpider


class AkhbarelyomSpider(NewsSpider):
    name = "akhbarelyom"
    allowed_domains = ["akhbarelyom.com"]
    country = "EG"
    timezone = "Africa/Cairo"
    feeds = [
        "https://akhbarelyom.com/RSS/GetSectionNewsRSS/1?SectionID=1",  # latest news (feed-urls.tsv)
        "https://akhbarelyom.com/RSS/GetSectionNewsRSS/1?SectionID=160",  # investigations
        "https://akhbarelyom.com/RSS/GetSectionRSS?JournalID=1",  # the RSS link of the 2020 pages
    ]
    listing_pages = ["https://akhbarelyom.com/"]
    # /news/newdetails/3126898/1/<slug> (2018: /news/NewDetails/2641579/1/<slug>.html)
    article_url = r"(?i)^/news/newdetails/\d+/\d+/[^/]+/?$"
    section_url = r"(?i)^/news/newssection/\d+/\d+/[^/]+/?$"  # /news/newssection/36/1/أخبار-الفن

    selectors = {
        "headline": ["h1.entry-title", "article h1"],
        "subheadline": ["div.entry-title > h2"],
        "section": ["nav.breadcrumb li.active a", "nav.breadcrumb li:last-child a"],
        "published_at": ["div.post-meta-date"],
        "byline": ["div.post-meta-author"],
        "body": ["div.entry-content"],
        "lead_image": ["div.entry-media img"],
        "lead_caption": ["div.entry-media figcaption"],
        "tags": ["div.post-tags a.post-tags_link"],
    }
