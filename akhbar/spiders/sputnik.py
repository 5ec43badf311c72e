"""Sputnik Arabic (سبوتنيك عربي), Russia: arabic.sputniknews.com, sputnikarabic.ae since 2022.

Layout: the Sputnik CMS article template (``b-article__*`` classes), 2020.

Time zone: the page prints its clock in GMT, saying so (``<span>GMT</span> 17:27 17.03.2020``),
and its ``pubdate`` / ``lastmod`` metas are the same instants with ``Z``. The Arabic service has
no single local clock (Moscow desk, bureaus across the Arab world) and states GMT on every page,
so GMT is the zone it prints dates in: ``timezone = "UTC"`` keeps the printed clock and gives
``+00:00``. The metas are trusted for their seconds (``metadata_clock_is_local = False``).
"""

from akhbar.spiders.base import NewsSpider


class SputnikSpider(NewsSpider):
    name = "sputnik"
    allowed_domains = ["arabic.sputniknews.com", "sputnikarabic.ae"]
    country = "RU"
    timezone = "UTC"
    # The Sputnik CMS "all news" feed (feed-urls.tsv); the post-2022 domain first.
    feeds = [
        "https://sputnikarabic.ae/export/rss2/archive/index.xml",
        "https://arabic.sputniknews.com/export/rss2/archive/index.xml",
    ]
    listing_pages = ["https://sputnikarabic.ae/"]
    # Until 2022: /arab_world/202003171044893040-<slug>/ (rubric, then yyyymmdd + article id).
    # Since (sputnikarabic.ae, the CMS of sputnikglobe.com / sputniknews.com.tr):
    # /20230419/<slug>-1069888460.html (yyyymmdd, then the slug ending in the article id).
    article_url = r"^/(?:[a-z_]+/\d{15,}-[^/]*/?|\d{8}/[^/]+-\d{7,}\.html)$"
    metadata_clock_is_local = False

    selectors = {
        "headline": ["div.b-article h1[itemprop='headline']", "h1[itemprop='headline']"],
        "section": ["a.b-article__refs-rubric", "[itemprop='articleSection']"],
        "published_at": ["time.b-article__refs-date"],
        "published_meta": ["meta[name='pubdate']::attr(content)"],
        "modified_at": ["time.b-article__refs-date-upd"],
        "modified_meta": ["meta[name='lastmod']::attr(content)"],
        # The bold lead is the story's first paragraph, then the text.
        "body": ["div.b-article__lead, div.b-article__text"],
        "lead_image": ["div.b-article__header > img", "div.b-article__header img"],
        # The header image's description is its title/alt; the line under it is only the credit.
        "lead_caption": ["div.b-article__header > img::attr(title)", "div.b-article__header > img::attr(alt)"],
        "tags": ["div.b-article__refs-tags a"],
        "related_card": ["div.b-inject.m-inject-min"],
    }
