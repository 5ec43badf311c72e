"""Sada El Balad TV (قناة صدى البلد), Egypt. Layout: WordPress with the JNews theme (2020).

The printed date has no seconds; JSON-LD ``datePublished`` gives the same minute with them.
JSON-LD ``headline`` carries the channel's name: the headline is the page's h1.
"""

from akhbar.spiders.base import NewsSpider


class ElbaladtvSpider(NewsSpider):
    name = "elbaladtv"
    allowed_domains = ["elbaladtv.net"]
    country = "EG"
    timezone = "Africa/Cairo"
    feeds = ["https://elbaladtv.net/feed/"]  # the site feed the pages declare (<link rel=alternate>)
    listing_pages = ["https://elbaladtv.net/"]
    # WordPress posts at the root: /<Arabic slug, percent-encoded or not>/ (not the live-stream
    # page /البث-المباشر/)
    article_url = (r"(?i)^/(?!(?:البث-المباشر|%d8%a7%d9%84%d8%a8%d8%ab-%d8%a7%d9%84%d9%85%d8%a8%d8%a7%d8%b4%d8%b1)/?$)"
                   r"[^/.]*(?:%d[89ab]|[\u0600-\u06ff])[^/]*/?$")
    section_url = r"^/category/[^/]+(?:/[^/]+)?/?$"

    selectors = {
        "headline": ["div.entry-header h1.jeg_post_title", "h1.jeg_post_title"],
        "subheadline": ["div.entry-header h2.jeg_post_subtitle"],
        "section": ["div.jeg_breadcrumbs span.breadcrumb_last_link a", "#breadcrumbs a:last-of-type"],
        "published_at": ["div.entry-header div.jeg_meta_date"],
        "byline": ["div.entry-header div.jeg_meta_author"],
        "body": ["div.entry-content div.content-inner"],
        "lead_image": ["div.jeg_featured img::attr(data-src)", "div.jeg_featured img"],  # lazy: src is a placeholder
        "tags": ["div.jeg_post_tags a"],
    }
    body_exclude = [".jnews_inline_related_post_wrapper", ".jeg_post_tags", ".jeg_ad"]
