"""text_of reads most elements with libxml2's text serialisation: it gives what the element-by-
element walk gives, on every element of real pages and of odd trees."""

import pytest
from lxml import etree

from akhbar.extraction.dom import NO_TEXT, text_of, text_within
from shared import real_html_pages


def _walked(el, descend=lambda node: True) -> str:
    """text_within's element-by-element walk (a descend function always takes it)."""
    return text_within(el, descend)


ODD = [
    "<div>a<!-- c -->b<script>x</script>c<a href='/1'>link<b>bold</b></a>tail<?pi x?>d</div>",
    "<div><a href='/1'>one<a href='/2'>nested</a>after</a>t<style>s</style><span>q<a>r</a>s</span></div>",
    "<ul><li><a href='/x'>title</a> - <span>label</span></li><li>text <noscript>n</noscript>more</li></ul>",
    "<p>" + "<span>" * 500 + "deep<a href='/d'>link</a>end" + "</span>" * 500 + "tail</p>",
]


@pytest.mark.parametrize("path", real_html_pages(), ids=lambda p: p.name)
def test_every_element_of_real_pages(path):
    root = etree.fromstring(path.read_bytes(), etree.HTMLParser(encoding="utf-8"))
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in NO_TEXT:
            continue
        assert text_of(el) == _walked(el), etree.tostring(el)[:200]


@pytest.mark.parametrize("html", ODD, ids=range(len(ODD)))
def test_odd_trees(html):
    root = etree.fromstring(html, etree.HTMLParser(huge_tree=True))
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in NO_TEXT:
            continue
        assert text_of(el) == _walked(el)
