"""A link's block is read only until it is known to be a sentence (related._block_standalone):
the answer is the one reading the whole block gives, on every link block of real pages and on
blocks made to trip the shortcut (escaped markup or entities past the part read)."""

import pytest
from lxml import etree

from akhbar.extraction.dom import BLOCK, text_within
from akhbar.extraction.related import _BLOCK_READ, _block_answer, _block_standalone, _not_a_link
from akhbar.text import clean_text
from shared import real_html_pages, require_shared


def _whole_read(block):
    """The answer for the block's whole text without its links (what the shortcut must give)."""
    return _block_answer(block, clean_text(text_within(block, _not_a_link)))


def _link_blocks(root):
    blocks = []
    for a in root.iter("a"):
        for anc in a.iterancestors():
            if anc.tag in BLOCK:
                if anc not in blocks:
                    blocks.append(anc)
                break
    return blocks


@pytest.mark.parametrize("path", real_html_pages(), ids=lambda p: p.name)
def test_every_link_block_of_real_pages(path):
    root = etree.fromstring(path.read_bytes(), etree.HTMLParser(encoding="utf-8"))
    blocks = _link_blocks(root)
    assert blocks
    for block in blocks:
        assert _block_standalone(block, clean_text) == _whole_read(block), etree.tostring(block)[:300]


def test_real_pages_have_blocks_longer_than_the_part_read():
    # otherwise the comparison above never reaches the shortcut (the project's own pages alone
    # have too few such blocks: the real pages are needed)
    require_shared()
    long_ones = 0
    for path in real_html_pages():
        root = etree.fromstring(path.read_bytes(), etree.HTMLParser(encoding="utf-8"))
        long_ones += sum(len(text_within(block, _not_a_link)) > _BLOCK_READ
                         for block in _link_blocks(root))
    assert long_ones > 10


SENTENCE = "وقال الوزير في بيان إن المشروع سيبدأ العام المقبل بعد اكتمال الدراسات اللازمة " * 4


def _li(inner: str):
    return etree.fromstring(f"<ul><li>{inner}</li></ul>", etree.HTMLParser()).find(".//li")


def test_a_link_in_a_long_sentence_is_not_standalone():
    block = _li(f"{SENTENCE}<a href='/story/1'>الخبر</a>")
    assert _block_standalone(block, clean_text) == (None, None)


def test_a_label_and_a_link_stand_alone():
    block = _li("اقرأ أيضا: <a href='/story/1'>الخبر</a>")
    assert _block_standalone(block, clean_text) == (block, "اقرأ أيضا:")


@pytest.mark.parametrize("tail", [
    # escaped markup whose closing part is in a later text node than the part read: cleaning
    # removes the whole tag, so the block holds only the link
    "&lt;span data-x='<b>" + "x" * (2 * _BLOCK_READ) + "</b>'&gt;",
    # an entity written as text, its name split over two text nodes: decoded, it is no letter
    " " * _BLOCK_READ + "&amp;CounterClockwiseContourInte<b>gral;</b>",
])
def test_markup_or_entities_cut_by_the_part_read_are_read_whole(tail):
    block = _li(f"<a href='/story/1'>الخبر</a>{tail}")
    assert len(text_within(block, _not_a_link, limit=_BLOCK_READ)) < len(text_within(block, _not_a_link))
    assert _block_standalone(block, clean_text) == (block, None)
