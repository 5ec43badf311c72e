"""page_tree parses a response into exactly the tree Scrapy's own selector makes (the engine's
selectors and walks must see what a Scrapy user's response.css would), whether it parses the
UTF-8 bytes directly or the decoded text."""

import codecs

import pytest
from lxml import etree
from scrapy.http import HtmlResponse, TextResponse

from akhbar.extraction.dom import _utf8_bytes_parse_as_text, page_tree
from shared import real_html_pages

ARABIC = "<p>\u0641\u064a \u0627\u0644\u0642\u0627\u0647\u0631\u0629 (\u0623 \u0634 \u0623)</p>"
PAGE = f"<!DOCTYPE html><html><head><title>t</title></head><body>{ARABIC}<!-- c -->tail</body></html>"


def _scrapy_tree(response) -> str:
    return etree.tostring(response.selector.root, encoding="unicode")


def _our_tree(response) -> str:
    return etree.tostring(page_tree(response).root, encoding="unicode")


@pytest.mark.parametrize("path", real_html_pages(), ids=lambda p: p.name)
def test_real_pages_parse_to_scrapys_tree(path):
    response = HtmlResponse(url="https://example.com/a", body=path.read_bytes())
    assert _our_tree(response) == _scrapy_tree(response)


EDGE_BODIES = {
    "utf-8 page": PAGE.encode(),
    "byte-order mark": codecs.BOM_UTF8 + PAGE.encode(),
    "no-break space before the doctype": ("\u00a0" + PAGE).encode(),
    "arabic text before the html": ("\u0645\u0631\u062d\u0628\u0627" + PAGE).encode(),
    "file separator control at the end": (PAGE + "\x1c").encode(),
    "arabic after the end": (PAGE + "\u0627").encode(),
    "NUL bytes inside": PAGE.replace("<p>", "<p>\x00").encode(),
    "invalid UTF-8 bytes": PAGE.encode().replace(b"<p>", b"<p>\xff\xfe\xc3"),
    "windows-1256 declared": PAGE.replace("<head>", '<head><meta charset="windows-1256">').encode("cp1256"),
    "utf-16 with its mark": codecs.BOM_UTF16_LE + PAGE.encode("utf-16-le"),
    "only spaces": b"   \n ",
    "empty": b"",
}


@pytest.mark.parametrize("name", list(EDGE_BODIES))
def test_edge_bodies_parse_to_scrapys_tree(name):
    response = HtmlResponse(url="https://example.com/a", body=EDGE_BODIES[name])
    assert _our_tree(response) == _scrapy_tree(response)


def test_the_bytes_are_parsed_directly_only_where_that_is_exact():
    def direct(body):
        response = HtmlResponse(url="https://example.com/a", body=body)
        return _utf8_bytes_parse_as_text(response, response.text)

    assert direct(EDGE_BODIES["utf-8 page"])
    for name in ("byte-order mark", "no-break space before the doctype", "arabic text before the html",
                 "file separator control at the end", "arabic after the end", "invalid UTF-8 bytes",
                 "windows-1256 declared", "utf-16 with its mark", "only spaces"):
        assert not direct(EDGE_BODIES[name]), name


def test_the_page_is_parsed_once_per_response():
    response = HtmlResponse(url="https://example.com/a", body=EDGE_BODIES["utf-8 page"])
    tree = page_tree(response)
    assert page_tree(response) is tree
    assert [node.tag for node in tree.nodes[:3]] == ["html", "head", "title"]
    assert tree.order[tree.root] == 0


def test_a_text_response_uses_scrapys_selector():
    response = TextResponse(url="https://example.com/a", body=EDGE_BODIES["utf-8 page"], encoding="utf-8")
    assert page_tree(response).selector is response.selector


def test_an_encoding_python_does_not_know_is_parsed_from_the_text():
    response = HtmlResponse(url="https://example.com/a", body=EDGE_BODIES["utf-8 page"], encoding="x-no-such-codec")
    assert not _utf8_bytes_parse_as_text(response, EDGE_BODIES["utf-8 page"].decode())
