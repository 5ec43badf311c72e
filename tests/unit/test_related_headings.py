"""Related-list headings told by their shape, with no class names (what a redesign keeps):
the title of a title bar beside its controls, a section link that titles its list, period
filters, lone buttons and bylines that are never titles. Pages written here; the generic
spider's extraction (no outlet declarations) reads them."""

from scrapy.http import HtmlResponse

from akhbar.extraction import extract_article
from akhbar.spiders.generic import GenericSpider

URL = "https://news.example/2025/02/10/main-story-1000"


def _story(i: int) -> str:
    return f'<li><a href="/2025/02/{i:02d}/another-story-here-{1000 + i}">خبر رقم {i} عن الموضوع</a></li>'


class _DeepGrid(GenericSpider):
    related_heading_levels = 8  # a grid whose list titles sit many levels above their lists


def _blocks(lists: str, spider=GenericSpider) -> dict[str, str]:
    """story title -> block, for a page holding ``lists`` after a short story."""
    body = ("<p>" + "نص الخبر الرئيسي عن افتتاح مشروع جديد في المدينة، وقال المسؤولون إنه سيخدم آلاف السكان. " * 3
            + "</p>") * 2
    page = (f'<html lang="ar"><head><meta property="og:type" content="article"><title>عنوان الخبر</title></head>'
            f"<body><article><h1>عنوان الخبر</h1>{body}</article>{lists}</body></html>")
    item = extract_article(HtmlResponse(url=URL, body=page.encode(), encoding="utf-8"), spider)
    return {r["title"]: r["block"] for r in item["related"]}


def test_a_hidden_more_link_beside_a_title_is_not_the_title():
    bar = ('<div><div><a href="javascript:void(0);">اخترنا لكم</a></div>'
           '<div><a href="javascript:void(0);">d-none hideMe</a></div></div>')
    blocks = _blocks(f"<section>{bar}<ul>{_story(1)}{_story(2)}</ul></section>")
    assert set(blocks.values()) == {"اخترنا لكم"}


def test_a_link_to_the_list_s_own_page_titles_it_and_period_filters_do_not():
    # the title bar in one column, the filters in another, deeper one (as a grid lays them out)
    bar = ('<div><div><div><div><a href="/popular">الأكثر قراءة</a></div><div><a href="/popular">المزيد</a></div>'
           '</div></div></div><div><div><div><div><span><a href="javascript:f(1)">24 ساعة</a></span>'
           '<span><a href="javascript:f(7)">7 أيام</a></span><span><a href="javascript:f(30)">شهر</a></span>'
           '</div></div></div></div>')
    blocks = _blocks(f"<section>{bar}<ul>{_story(1)}{_story(2)}</ul></section>", _DeepGrid)
    assert set(blocks.values()) == {"الأكثر قراءة"}


def test_a_menu_link_is_not_a_title():
    """A section linked once (a menu item), right before a list with a heading of its own."""
    menu = '<div><a href="/sports">رياضة</a> <a href="/economy">اقتصاد</a></div>'
    blocks = _blocks(f"<section><h2>موضوعات متعلقة</h2>{menu}<ul>{_story(1)}{_story(2)}</ul></section>")
    assert set(blocks.values()) == {"موضوعات متعلقة"}


def test_a_lone_button_and_a_byline_are_never_titles():
    blocks = _blocks('<section><h3>الأكثر قراءة</h3><div><span>كتب محمد علي</span><button>Copy</button></div>'
                     f"<ul>{_story(1)}{_story(2)}</ul></section>")
    assert set(blocks.values()) == {"الأكثر قراءة"}
