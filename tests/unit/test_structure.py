"""Class-independent structure rules (akhbar/extraction/structure.py) on small hand-written pages:
each rule fires where the structure says so, and not where it does not (a real paragraph that
mentions comments, a long paragraph after an image, a page-wide form, a crosshead)."""

from __future__ import annotations

import os

import pytest
from lxml import etree
from scrapy.http import HtmlResponse

from akhbar.extraction import structure as S

os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "akhbar.settings")

# A paragraph of the story (a sentence run), reused where the wording does not matter.
STORY = ("قال وزير النقل اليوم إن الوزارة ستبدأ تشغيل عشر سيارات كهربائية في العاصمة الإدارية "
         "الأسبوع المقبل ضمن خطة لتوفير وسائل نقل صديقة للبيئة للمواطنين.")


def parse(body: str):
    return etree.fromstring(f"<html><body>{body}</body></html>", etree.HTMLParser())


def by_id(root, ident: str):
    return root.xpath(f"//*[@id='{ident}']")[0]


# --- captions -------------------------------------------------------------------------------

def test_caption_as_the_only_text_of_the_images_block():
    root = parse(f'<div><p>{STORY}</p><div><img src="a.jpg"><br><span id="c">التاكسي الكهربائي</span></div>'
                 f'<p>{STORY}</p></div>')
    img = root.xpath("//img")[0]
    assert S.caption_of(img) is by_id(root, "c")
    assert by_id(root, "c") in S.image_captions(root)


def test_figcaption_is_the_caption_of_its_figure():
    root = parse('<figure><a><img src="a.jpg"></a><figcaption id="c">وزير الري</figcaption></figure>')
    assert S.caption_of(root.xpath("//img")[0]) is by_id(root, "c")


def test_short_label_right_after_an_image_only_block():
    root = parse(f'<div><p>{STORY}</p><div><a href="/x"><img src="a.jpg"></a></div>'
                 f'<p id="c">عناصر من الشرطة في موقع الهجوم (رويترز)</p><p>{STORY}</p></div>')
    assert S.caption_of(root.xpath("//img")[0]) is by_id(root, "c")


def test_alt_text_repeated_before_the_image_is_its_caption():
    root = parse(f'<div><p>{STORY}</p><p id="c">صورة الوزير.</p><div><img src="a.jpg" alt="صورة الوزير."></div>'
                 f'<p>{STORY}</p></div>')
    assert S.caption_of(root.xpath("//img")[0]) is by_id(root, "c")


def test_long_paragraph_after_an_image_is_not_a_caption():
    root = parse(f'<div><div><img src="a.jpg"></div><p id="p">{STORY}</p></div>')
    assert S.caption_of(root.xpath("//img")[0]) is None
    assert by_id(root, "p") not in S.image_captions(root)


def test_short_sentence_after_an_image_is_not_a_caption():
    # A short paragraph of the story ends with a full stop; a caption is a label.
    root = parse(f'<div><p>{STORY}</p><div><img src="a.jpg"></div><p id="p">وأكد الوزير أن الحجز يبدأ غدا.</p></div>')
    assert S.caption_of(root.xpath("//img")[0]) is None


def test_crosshead_after_an_image_is_not_a_caption():
    root = parse(f'<div><div><img src="a.jpg"></div><h3>روايات متضاربة</h3><p>{STORY}</p></div>')
    assert S.caption_of(root.xpath("//img")[0]) is None


def test_image_inside_a_paragraph_binds_no_caption():
    root = parse(f'<div><p id="p"><img src="a.jpg">{STORY}</p></div>')
    assert S.caption_of(root.xpath("//img")[0]) is None
    assert by_id(root, "p") not in S.image_captions(root)


def test_block_with_two_images_binds_no_text_to_either():
    root = parse('<div><img src="a.jpg"><img src="b.jpg"><span id="s">صور</span></div>')
    assert S.image_captions(root) == set()


# --- comment zones --------------------------------------------------------------------------

COMMENT_FORM = ('<div id="zone"><div><span id="prompt">أضف تعليق</span></div>'
                '<p id="notice">تم إضافة تعليقك وسوف يظهر بعد المراجعة</p>'
                '<form><input name="name"><textarea name="body"></textarea><button>إرسال</button></form></div>')


def test_the_region_around_a_comment_form_and_what_follows_it():
    root = parse(f'<div><article><h1>عنوان</h1><p id="story">{STORY}</p></article>'
                 f'{COMMENT_FORM}<div id="after">بروتوكول نشر التعليقات</div></div>')
    zones = S.comment_zones(root)
    assert by_id(root, "zone") in zones and by_id(root, "after") in zones
    assert S.in_zone(by_id(root, "notice"), zones)
    assert not S.in_zone(by_id(root, "story"), zones)


def test_a_story_paragraph_that_mentions_comments_is_not_a_zone():
    para = "وسرعان ما ضجت منصات التواصل بتعليقات ساخرة على الصورة، وكتب أحد المستخدمين أن التعليقات تجاوزت الآلاف."
    root = parse(f'<article><h1>عنوان</h1><p id="p">{para}</p><p>{STORY}</p></article>')
    assert not S.in_zone(by_id(root, "p"), S.comment_zones(root))


def test_a_page_wide_form_is_no_comment_form():
    # ASP.NET pages put everything in one form; only a text area inside it makes a zone.
    root = parse(f'<form id="page"><h1>عنوان</h1><div><p id="p">{STORY}</p></div>'
                 f'<div id="box"><h3>التعليقات</h3><textarea></textarea></div></form>')
    zones = S.comment_zones(root)
    assert by_id(root, "page") not in zones
    assert not S.in_zone(by_id(root, "p"), zones)
    assert S.in_zone(root.xpath("//textarea")[0], zones)


def test_a_newsletter_form_is_no_comment_zone():
    root = parse(f'<div><p id="p">{STORY}</p><form><input type="email" placeholder="بريدك"><button>اشترك</button></form>'
                 f'<p id="q">{STORY}</p></div>')
    zones = S.comment_zones(root)
    assert not S.in_zone(by_id(root, "p"), zones) and not S.in_zone(by_id(root, "q"), zones)


def test_a_comment_prompt_heading_followed_by_the_form():
    root = parse(f'<div><p>{STORY}</p><h3 id="h">التعليقات</h3><ol id="list"><li>{STORY}</li></ol>'
                 '<div><form><textarea></textarea></form></div></div>')
    zones = S.comment_zones(root)
    assert by_id(root, "h") in zones and by_id(root, "list") in zones


def test_a_crosshead_naming_comments_without_a_form_is_no_zone():
    root = parse(f'<article><p>{STORY}</p><h3 id="h">التعليقات الساخرة</h3><p id="p">{STORY}</p></article>')
    assert not S.in_zone(by_id(root, "p"), S.comment_zones(root))


def test_a_policy_right_before_a_zone():
    root = parse(f'<div><p>{STORY}</p><p id="policy">نرجو الالتزام بآداب الحوار في التعليقات</p>{COMMENT_FORM}</div>')
    assert S.precedes_zone(by_id(root, "policy"), S.comment_zones(root))


def test_comment_notice_after_the_run_is_cut_but_not_a_paragraph_of_the_run():
    root = parse(f'<div><h1>عنوان</h1><div id="run"><p id="a">{STORY}</p><p id="b">{STORY}</p>'
                 '<div><p id="n1">نرحب بالنقاش ونراجع التعليقات قبل نشرها</p>'
                 '<p id="n2">الآراء الواردة أدناه تعبر عن أصحابها</p></div><div data-href="x"></div></div></div>')
    lines = [(STORY, by_id(root, "a")), (STORY, by_id(root, "b")),
             ("نرحب بالنقاش ونراجع التعليقات قبل نشرها", by_id(root, "n1")),
             ("الآراء الواردة أدناه تعبر عن أصحابها", by_id(root, "n2"))]
    assert S.comment_tail_start(lines) == 2
    last = "وسرعان ما ضجت منصات التواصل بتعليقات ساخرة على الصورة."
    root = parse(f'<div id="run"><p id="a">{STORY}</p><p id="b">{last}</p></div>')
    assert S.comment_tail_start([(STORY, by_id(root, "a")), (last, by_id(root, "b"))]) == 2


# --- shapes of lines ------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["2min", "3 دقائق قراءة", "1.2K", "١٢ مشاركة"])
def test_chips(text):
    assert S.is_chip(text)


@pytest.mark.parametrize("text", ["12:09 م", "2020", "25/12/2020", "المصدر:", STORY, "وزير الري"])
def test_not_chips(text):
    assert not S.is_chip(text)


@pytest.mark.parametrize("text", ["© 2020 صدى البلد", "powered by some agency.", "جميع الحقوق محفوظة لموقع الأخبار"])
def test_footer_lines(text):
    assert S.is_footer_line(text)


def test_a_paragraph_quoting_rights_is_no_footer_line():
    para = ("وقال المحامي إن الشركة أكدت في بيانها أن جميع الحقوق محفوظة للمؤلف وأن أي نسخ للعمل دون إذن "
            "سيعرض صاحبه للمساءلة القانونية أمام المحاكم المختصة في البلاد خلال الأيام المقبلة.")
    assert not S.is_footer_line(para)


def test_short_line_beside_the_links_of_a_related_item():
    root = parse(f'<div><p id="p">{STORY}</p><div><div><a href="/s/1">عنوان قصة أخرى منشورة على الموقع أمس</a>'
                 '<span id="d">الأحد 23 أغسطس</span></div></div></div>')
    assert S.in_link_block(by_id(root, "d"), "الأحد 23 أغسطس")
    assert not S.in_link_block(by_id(root, "p"), STORY)


def test_short_story_line_with_a_link_in_its_paragraph_is_kept():
    root = parse('<div><p id="p">وأضاف <a href="/t">الوزير</a> أن العمل مستمر</p></div>')
    assert not S.in_link_block(by_id(root, "p"), "وأضاف الوزير أن العمل مستمر")


# --- the story's scope ------------------------------------------------------------------------

def test_scope_is_the_block_of_the_headline_and_the_first_paragraph():
    root = parse(f'<header><p id="top">الإشراف العام: فلان | رئيس التحرير: فلان</p></header>'
                 f'<div id="page"><div id="story"><h1 id="h">عنوان الخبر</h1><div><p id="a">{STORY}</p></div></div>'
                 f'<aside><p id="side">{STORY}</p></aside></div><div id="dialog"><p id="rules">{STORY}</p></div>')
    h1 = S.headline_element(root, ["عنوان الخبر - الموقع"])
    assert h1 is by_id(root, "h")
    scope = S.article_scope(h1, by_id(root, "a"))
    assert scope is by_id(root, "story")
    assert S.in_scope(by_id(root, "a"), scope)
    for outside in ("top", "side", "rules"):
        assert not S.in_scope(by_id(root, outside), scope)


def test_headline_in_the_footer_is_not_the_story():
    root = parse('<div><h1 id="h">عنوان الخبر</h1></div><footer><h1>الموقع</h1></footer>')
    assert S.headline_element(root) is by_id(root, "h")


def test_no_scope_when_the_headline_and_story_only_share_the_body():
    root = parse(f'<h1 id="h">عنوان</h1><p id="a">{STORY}</p>')
    assert S.article_scope(by_id(root, "h"), by_id(root, "a")) is None


# --- through the generic spider -------------------------------------------------------------

def test_generic_body_of_a_page_with_meaningless_class_names():
    from akhbar.extraction import extract_article
    from akhbar.spiders.generic import GenericSpider

    paragraphs = [STORY, "وأوضح المتحدث باسم الوزارة أن السيارات مزودة بكاميرات وأجهزة تحديد المواقع "
                         "وأن الحجز سيتم عبر تطبيق على الهاتف المحمول مع إمكانية الدفع نقدا أو بالبطاقة.",
                  "وأضاف أن المرحلة الثانية من المشروع ستبدأ قبل نهاية العام الجاري بعد تقييم التجربة "
                  "الأولى والاستماع إلى ملاحظات الركاب حول مستوى الخدمة والأسعار المقترحة."]
    html = f"""<html lang="ar"><head><title>تشغيل التاكسي الكهربائي</title>
<meta property="og:type" content="article"><meta property="og:title" content="تشغيل التاكسي الكهربائي"></head>
<body><div class="k1"><p class="k2">الإشراف العام: فلان الفلاني | رئيس التحرير: فلان</p></div>
<div class="k3"><div class="k4"><h1>تشغيل التاكسي الكهربائي</h1>
<div class="k5"><span class="k6">2min</span></div>
<div class="k7"><p>{paragraphs[0]}</p>
<div class="k8"><img src="/a.jpg" alt="التاكسي الكهربائي"><br><span class="k9">التاكسي الكهربائي</span></div>
<p>{paragraphs[1]}</p><p>{paragraphs[2]}</p></div>
<div class="k10"><div><span>أضف تعليق</span></div><p class="k11">تم إضافة تعليقك وسوف يظهر بعد المراجعة</p>
<form><input name="n"><textarea name="m"></textarea><button>إرسال</button></form></div></div></div>
<div class="k12"><p>© 2024 الموقع الإخباري</p><p>powered by an agency.</p></div></body></html>"""
    response = HtmlResponse(url="https://news.example/2024/05/13/taxi-1", body=html.encode(),
                            headers={"Content-Type": "text/html; charset=utf-8"})
    item = extract_article(response, GenericSpider)
    assert item["body"] == paragraphs


def _inline_cards_of(body: str) -> list[str]:
    from lxml import etree

    from akhbar.extraction.structure import inline_cards

    root = etree.fromstring(f"<html><body><h1>عنوان</h1><div>{body}</div></body></html>", etree.HTMLParser())
    return sorted(" ".join(card.itertext()).strip() for card in inline_cards(root))


_LONG = ("وقال المتحدث باسم الوزارة في بيان صدر اليوم إن الفرق الطبية تواصل عملها في جميع المحافظات "
         "وإن الحالات الجديدة تخضع للمتابعة الدقيقة")


def test_a_story_card_between_two_paragraphs_is_an_inline_card():
    card = ('<div><a href="/news/2"><img src="/2.jpg"></a><span>© وكالة</span>'
            '<a href="/news/2">عنوان خبر آخر</a></div>')
    assert _inline_cards_of(f"<p>{_LONG}</p>{card}<p>{_LONG} أيضا</p>") == ["© وكالة عنوان خبر آخر"]


def test_a_list_of_stories_or_a_block_outside_the_text_is_no_inline_card():
    two = '<div><a href="/news/2">خبر</a> <a href="/news/3">خبر آخر</a></div>'
    assert _inline_cards_of(f"<p>{_LONG}</p>{two}<p>{_LONG}</p>") == []
    after = '<div><a href="/news/2">خبر</a></div>'
    assert _inline_cards_of(f"<p>{_LONG}</p><p>{_LONG}</p>{after}") == []  # after the text: not between
    sentence = f'<div>{_LONG} <a href="/news/2">خبر</a></div>'
    assert _inline_cards_of(f"<p>{_LONG}</p>{sentence}<p>{_LONG}</p>") == []  # a link inside a sentence
