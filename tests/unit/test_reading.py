"""The class-independent readers (akhbar/extraction/reading.py) on small hand-written pages:
what each must find, and what it must not take for the field (a menu is not a breadcrumb, a
"most read" list is not tags, a logo is not the lead image). No page here has a class or id:
the readers may not need them."""

from scrapy.http import HtmlResponse

from akhbar.extraction.reading import (PageView, read_headline, read_lead_image, read_section,
                                       read_tags, site_name_from_title, title_without_site)

URL = "https://news.example/2024/5/13/story/1042"
HEADLINE = "وزير الخارجية يلتقي نظيره الفرنسي في باريس لبحث الأزمة"
LONG_TEXT = "نص طويل من فقرات المقال يتحدث عن تفاصيل الخبر وما جرى في الاجتماع. " * 12


def page(head: str = "", body: str = "", url: str = URL) -> PageView:
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    return PageView(HtmlResponse(url=url, body=html.encode("utf-8"), encoding="utf-8"))


def og(title: str = HEADLINE, site: str | None = None, image: str | None = None) -> str:
    tags = f'<meta property="og:title" content="{title}">'
    if site:
        tags += f'<meta property="og:site_name" content="{site}">'
    if image:
        tags += f'<meta property="og:image" content="{image}">'
    return tags


MENU = ('<nav><a href="/">الرئيسية</a><a href="/politics">سياسة</a><a href="/sports">رياضة</a>'
        '<a href="/culture">ثقافة</a><a href="/economy">اقتصاد</a><a href="/world">العالم</a></nav>')


# --- headline ---------------------------------------------------------------------------------

def test_headline_is_the_h1_agreeing_with_the_metadata_title_not_a_logo_h1():
    ex = page(og(f"{HEADLINE} - الموقع"), f"<h1>الموقع</h1><article><h1> {HEADLINE} </h1><p>{LONG_TEXT}</p></article>")
    assert read_headline(ex) == HEADLINE


def test_headline_keeps_the_quotation_marks_the_h1_shows():
    shown = '"شعر وردي" يشعل السخرية على مواقع التواصل'
    ex = page(og("شعر وردي يشعل السخرية على مواقع التواصل"), f"<h1>{shown}</h1>")
    assert read_headline(ex) == shown


def test_without_h1_the_metadata_title_loses_the_site_name():
    ex = page(og(f"{HEADLINE} - بوابة الأخبار", site="بوابة الأخبار"), "<p>نص</p>")
    assert read_headline(ex) == HEADLINE


def test_without_h1_a_site_name_at_the_start_of_the_title_is_removed():
    ex = page(f'<meta property="og:title" content="جريدة الصباح | {HEADLINE}">', "<p>نص</p>")
    assert read_headline(ex) == HEADLINE


def test_without_h1_the_page_title_alone_names_no_article():
    """Every page has a <title> (a listing at an article URL too): it only confirms an h1."""
    ex = page(f"<title>جريدة الصباح | {HEADLINE}</title>", "<p>نص</p>")
    assert read_headline(ex) is None
    ex = page(f"<title>{HEADLINE} | جريدة الصباح</title>", f"<h1>{HEADLINE}</h1><p>نص</p>")
    assert read_headline(ex) == HEADLINE


def test_site_name_from_title_at_the_start_and_at_the_end():
    assert site_name_from_title(f"جريدة الصباح | {HEADLINE}") == "جريدة الصباح"
    assert site_name_from_title(f"{HEADLINE} - اليوم الجديد") == "اليوم الجديد"
    assert site_name_from_title(HEADLINE) is None


def test_site_name_from_title_with_the_h1_drops_section_names_too():
    title = f"{HEADLINE} - عربي ودولي - أخبار - الصباح"
    assert site_name_from_title(title, h1=HEADLINE) == "الصباح"
    assert title_without_site(title, h1=HEADLINE) == HEADLINE


def test_site_names_given_name_the_site_part():
    title = "الحكومة تعلن موعد الامتحانات - الشروق نيوز"
    assert site_name_from_title(title, site_names=["الشروق نيوز"]) == "الشروق نيوز"
    ex = page(og(title), "<p>نص</p>")
    assert read_headline(ex, site_names=["الشروق نيوز"]) == "الحكومة تعلن موعد الامتحانات"


def test_a_headline_colon_is_not_a_separator():
    title = "وزير الصحة: لا إصابات جديدة اليوم - الموقع"
    assert title_without_site(title) == "وزير الصحة: لا إصابات جديدة اليوم"


# --- section ----------------------------------------------------------------------------------

def test_section_from_jsonld_breadcrumb_skips_home_and_article():
    ld = ('{"@context":"https://schema.org","@type":"BreadcrumbList","itemListElement":['
          '{"@type":"ListItem","position":1,"name":"الرئيسية","item":"https://news.example/"},'
          '{"@type":"ListItem","position":2,"name":"رياضة","item":"https://news.example/sports"},'
          f'{{"@type":"ListItem","position":3,"name":"{HEADLINE}","item":"{URL}"}}]}}')
    ex = page(og() + f'<script type="application/ld+json">{ld}</script>', f"<h1>{HEADLINE}</h1>")
    assert read_section(ex) == "رياضة"


def test_section_from_microdata_breadcrumb():
    crumbs = ('<ol itemscope itemtype="https://schema.org/BreadcrumbList">'
              '<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem">'
              '<a itemprop="item" href="/"><span itemprop="name">الرئيسية</span></a></li>'
              '<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem">'
              '<a itemprop="item" href="/economy"><span itemprop="name">اقتصاد</span></a></li></ol>')
    ex = page(og(), f"{crumbs}<h1>{HEADLINE}</h1>")
    assert read_section(ex) == "اقتصاد"


def test_section_from_a_trail_of_links_right_above_the_headline():
    trail = '<div><a href="/">الرئيسية</a> › <a href="/world">العالم</a> › <a href="/world/europe">أوروبا</a></div>'
    ex = page(og(), f"{MENU}<p>{LONG_TEXT}</p><article>{trail}<h1>{HEADLINE}</h1><p>{LONG_TEXT}</p></article>")
    assert read_section(ex) == "أوروبا"


def test_a_trail_ending_with_the_article_gives_the_link_before_it():
    trail = (f'<div><a href="https://news.example">الرئيسية</a> / <a href="/sports">رياضة</a> / '
             f'<a href="{URL}">{HEADLINE}</a></div>')
    ex = page(og(), f"{trail}<h1>{HEADLINE}</h1>")
    assert read_section(ex) == "رياضة"


def test_a_trail_ending_with_the_headline_cut_short_gives_the_section():
    trail = '<div><a href="/">الرئيسية</a> › <a href="/world">العالم</a> › <span>وزير الخارجية يلتقي نظيره...</span></div>'
    ex = page(og(), f"{trail}<h1>{HEADLINE}</h1>")
    assert read_section(ex) == "العالم"


def test_a_nav_menu_right_above_the_headline_is_not_a_breadcrumb():
    ex = page(og(), f"{MENU}<h1>{HEADLINE}</h1><p>{LONG_TEXT}</p>")
    assert read_section(ex) is None


def test_a_short_home_first_link_list_far_above_the_headline_is_not_a_breadcrumb():
    header = '<ul><li><a href="/">الرئيسية</a></li><li><a href="/about">من نحن</a></li><li><a href="/contact">اتصل بنا</a></li></ul>'
    ex = page(og(), f"{header}<div>{LONG_TEXT}</div><h1>{HEADLINE}</h1>")
    assert read_section(ex) is None


def test_a_logo_beside_a_short_menu_is_not_a_breadcrumb():
    header = ('<header><a href="/">أخبار المثال</a><nav><ul><li><a href="/news/">أخبار</a></li>'
              '<li><a href="/sport/">رياضة</a></li><li><a href="/culture/">ثقافة</a></li></ul></nav></header>')
    ex = page(og(), f"{header}<main><h1>{HEADLINE}</h1><p>{LONG_TEXT}</p></main>")
    assert read_section(ex) is None


def test_a_lone_category_link_beside_the_headline_that_the_menu_links():
    ex = page(og(), f'{MENU}<p>{LONG_TEXT}</p><div><div><h1>{HEADLINE}</h1></div>'
                    f'<div><a href="/culture">ثقافة</a> <span>2024-05-13</span></div></div><p>{LONG_TEXT}</p>')
    assert read_section(ex) == "ثقافة"


def test_an_author_link_beside_the_headline_is_not_a_section():
    ex = page(og(), f'{MENU}<p>{LONG_TEXT}</p><div><h1>{HEADLINE}</h1>'
                    f'<div><a href="/author/ahmed">أحمد علي</a></div></div><p>{LONG_TEXT}</p>')
    assert read_section(ex) is None


def test_itemprop_article_section_on_an_element():
    ex = page(og(), f'<h1>{HEADLINE}</h1><p>{LONG_TEXT}</p><a itemprop="articleSection" href="/arab">العالم العربي</a>')
    assert read_section(ex) == "العالم العربي"


def test_the_menu_link_to_the_urls_own_section_path():
    url = "https://news.example/2013/middle_east/8/3/syria.story/index.html"
    ex = page(og(), f'{MENU.replace("/world", "/middle_east/")}<p>{LONG_TEXT}</p><h1>{HEADLINE}</h1>', url=url)
    assert read_section(ex) == "العالم"


def test_a_generic_path_word_is_not_a_section():
    url = "https://news.example/news/1042/story-title"
    menu = '<nav><a href="/news">الأخبار</a><a href="/sports">رياضة</a></nav>'
    ex = page(og(), f"{menu}<p>{LONG_TEXT}</p><h1>{HEADLINE}</h1>", url=url)
    assert read_section(ex) is None


# --- tags -------------------------------------------------------------------------------------

def test_rel_tag_links_in_order_without_repeats_and_without_categories():
    links = ('<a rel="category tag" href="/category/news">أخبار</a>'
             '<a rel="tag" href="/tag/a">باريس</a><a rel="tag" href="/tag/b">فرنسا</a><a rel="tag" href="/tag/a">باريس</a>')
    ex = page(og(), f"<h1>{HEADLINE}</h1><p>{LONG_TEXT}</p><div>{links}</div>")
    assert read_tags(ex) == ["باريس", "فرنسا"]


def test_a_block_of_tag_path_links_after_the_body():
    block = ('<div><span>الكلمات الدالة :</span><a href="/Tags/12/1/باريس"><h6> باريس </h6></a>'
             '<a href="/Tags/13/1/وزير-الخارجية"><h6>وزير الخارجية</h6></a></div>')
    ex = page(og(), f"<h1>{HEADLINE}</h1><p>{LONG_TEXT}</p>{block}")
    assert read_tags(ex) == ["باريس", "وزير الخارجية"]


def test_keyword_chips_whose_link_is_an_empty_overlay():
    chips = "".join(f'<div><h3><a href="/search/{w}/ar"></a> {w} </h3></div>' for w in ("باريس", "فرنسا"))
    ex = page(og(), f"<h1>{HEADLINE}</h1><p>{LONG_TEXT}</p><div>{chips}</div>")
    assert read_tags(ex) == ["باريس", "فرنسا"]


def test_a_most_read_list_is_not_tags():
    most_read = ("<h3>الأكثر قراءة</h3><ul>" + "".join(
        f'<li><a href="/2024/5/{k}/story/{k}">خبر رقم {k} عن أحداث اليوم في المدينة</a></li>' for k in range(5)) + "</ul>")
    ex = page(og(), f"<h1>{HEADLINE}</h1><p>{LONG_TEXT}</p>{most_read}")
    assert read_tags(ex) == []


def test_topic_links_in_the_header_before_the_headline_are_not_tags():
    trending = '<div><a href="/topic/1">كورونا</a><a href="/topic/2">الانتخابات</a></div>'
    ex = page(og(), f"{trending}<h1>{HEADLINE}</h1><p>{LONG_TEXT}</p>")
    assert read_tags(ex) == []


def test_tag_links_among_article_cards_are_not_a_tag_block():
    cards = "".join(f'<div><a href="/tag/{k}">وسم</a><a href="/2024/5/{k}/s/{k}">عنوان خبر آخر طويل رقم {k} عن أحداث المدينة اليوم</a>'
                    f'<p>{LONG_TEXT[:120]}</p></div>' for k in range(3))
    ex = page(og(), f"<h1>{HEADLINE}</h1><p>{LONG_TEXT}</p><section>{cards}</section>")
    assert read_tags(ex) == []


def test_comma_joined_article_tag_metadata_is_a_list():
    ex = page(og() + '<meta property="article:tag" content="باريس,وزير الخارجية، فرنسا">', f"<h1>{HEADLINE}</h1>")
    assert read_tags(ex) == ["باريس", "وزير الخارجية", "فرنسا"]


def test_jsonld_keywords_split():
    ld = '{"@type":"NewsArticle","headline":"%s","keywords":"باريس, فرنسا"}' % HEADLINE
    ex = page(og() + f'<script type="application/ld+json">{ld}</script>', f"<h1>{HEADLINE}</h1>")
    assert read_tags(ex) == ["باريس", "فرنسا"]


def test_meta_keywords_that_are_the_headlines_words_are_not_tags():
    words = ",".join(HEADLINE.split()[:4])
    ex = page(og() + f'<meta name="keywords" content="{words}">', f"<h1>{HEADLINE}</h1>")
    assert read_tags(ex) == []


# --- lead image -------------------------------------------------------------------------------

def test_lead_image_is_the_metadata_image_as_the_page_shows_it_with_its_figcaption():
    head = og(image="https://news.example/uploads/2024/05/photo_123.jpeg")
    body = (f'<h1>{HEADLINE}</h1><figure><img src="/uploads/2024/05/photo_123-750x375.jpeg" alt="{HEADLINE}">'
            f'<figcaption>الوزيران في باريس</figcaption></figure><p>{LONG_TEXT}</p>')
    assert read_lead_image(page(head, body)) == ("https://news.example/uploads/2024/05/photo_123-750x375.jpeg",
                                                 "الوزيران في باريس")


def test_a_lazy_image_shows_its_data_src_not_the_placeholder():
    head = og(image="https://news.example/uploads/photo_77.jpg")
    body = (f'<h1>{HEADLINE}</h1><div><img src="/theme/empty.png" data-src="/uploads/photo_77-360x180.jpg" '
            f'alt="{HEADLINE}"></div><p>{LONG_TEXT}</p>')
    assert read_lead_image(page(head, body)) == ("https://news.example/uploads/photo_77-360x180.jpg", None)


def test_a_short_text_bound_to_the_image_is_its_caption_a_credit_is_not():
    head = og(image="https://cdn.example/large/20240513.jpg")
    body = (f'<h1>{HEADLINE}</h1><div><img src="https://cdn.example/medium/20240513.jpg">'
            f'<span>الوزير خلال المؤتمر الصحفي</span></div><p>{LONG_TEXT}</p>')
    assert read_lead_image(page(head, body)) == ("https://cdn.example/medium/20240513.jpg", "الوزير خلال المؤتمر الصحفي")
    credit = body.replace("الوزير خلال المؤتمر الصحفي", "© رويترز")
    assert read_lead_image(page(head, credit)) == ("https://cdn.example/medium/20240513.jpg", None)


def test_a_logo_is_not_the_lead_image():
    head = og(image="https://news.example/static/site.png")
    body = f'<a href="/"><img src="/static/site.png"></a><h1>{HEADLINE}</h1><p>{LONG_TEXT}</p>'
    assert read_lead_image(page(head, body)) is None


def test_without_metadata_the_picture_beside_the_headline_with_its_descriptive_alt():
    body = (f'<div><img src="/img/1044423427_1000x541.jpg" alt="الوزيرة خلال استقبال العائدين في المطار">'
            f'<div><h1>{HEADLINE}</h1></div><div><span>© رويترز</span></div></div><p>{LONG_TEXT}</p>')
    assert read_lead_image(page(og(), body)) == ("https://news.example/img/1044423427_1000x541.jpg",
                                                 "الوزيرة خلال استقبال العائدين في المطار")


def test_an_image_between_trail_links_or_an_icon_is_not_the_lead_image():
    body = (f'<div><a href="/">الرئيسية</a><img src="/images/arrow.png"><a href="/sports">رياضة</a></div>'
            f'<h1>{HEADLINE}</h1><img src="/images/share.png" width="24" height="24"><p>{LONG_TEXT}</p>')
    assert read_lead_image(page(og(), body)) is None


def test_an_alt_repeating_the_headline_or_a_bare_label_is_no_caption():
    head = og(image="https://news.example/a/pic_9.jpg")
    for alt in (HEADLINE, "الصورة: "):
        body = f'<h1>{HEADLINE}</h1><p>{LONG_TEXT}</p><img src="/a/pic_9.jpg" alt="{alt}"><p>{LONG_TEXT}</p>'
        assert read_lead_image(page(head, body)) == ("https://news.example/a/pic_9.jpg", None)


def test_without_metadata_the_first_figure_of_the_article_after_the_headline():
    body = (f'<article><h1>{HEADLINE}</h1><p>{LONG_TEXT}</p>'
            f'<figure><img src="/media/pottery.jpg" alt=""><figcaption>أوان فخارية في المعرض</figcaption></figure>'
            f'<p>{LONG_TEXT}</p></article>')
    assert read_lead_image(page(og(), body)) == ("https://news.example/media/pottery.jpg", "أوان فخارية في المعرض")


def test_a_card_picture_linking_to_another_story_is_not_the_lead_image():
    body = (f'<article><h1>{HEADLINE}</h1><p>{LONG_TEXT}</p>'
            f'<figure><a href="/2024/5/1/other/77"><img src="/media/other.jpg"></a>'
            f'<figcaption>خبر آخر</figcaption></figure></article>')
    assert read_lead_image(page(og(), body)) is None
