"""Small lxml helpers shared by the engine: selecting, reading text, splitting paragraphs."""

from __future__ import annotations

from functools import lru_cache
from typing import Callable, Iterable

from lxml import etree
from parsel import Selector
from parsel.csstranslator import HTMLTranslator

_translator = HTMLTranslator()

# Elements whose text is never page text.
NO_TEXT = frozenset({"script", "style", "noscript", "template", "head", "title", "meta", "link"})
# Elements that start a new paragraph.
BLOCK = frozenset({
    "p", "div", "section", "article", "main", "header", "footer", "aside", "blockquote", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead",
    "tbody", "tfoot", "tr", "td", "th", "figure", "figcaption", "hr", "center", "address",
    "details", "summary", "fieldset", "caption", "form",
})


def is_xpath(selector: str) -> bool:
    return selector.startswith(("/", "(", "./"))


@lru_cache(maxsize=512)
def _xpath_of(selector: str) -> str:
    if is_xpath(selector):
        return selector
    return _translator.css_to_xpath(selector)


def select(sel: Selector, selector: str) -> list:
    """Elements or strings a CSS/XPath selector finds under a parsel Selector."""
    try:
        return sel.xpath(selector) if is_xpath(selector) else sel.xpath(_xpath_of(selector))
    except ValueError:  # a malformed selector in a spider: nothing found, not a crash
        return []


def select_el(root, selector: str) -> list:
    """Same on a bare lxml element (CSS pseudo-elements ::text/::attr are not for this one)."""
    try:
        return root.xpath(_xpath_of(selector) if not is_xpath(selector) else selector)
    except etree.XPathError:
        return []


def text_of(el) -> str:
    """All text of an element (scripts, styles and comments left out), not stripped."""
    if isinstance(el, str):
        return el
    parts: list[str] = []

    def walk(node) -> None:
        if isinstance(node.tag, str) and node.tag not in NO_TEXT:
            parts.append(node.text or "")
            for child in node:
                walk(child)
                parts.append(child.tail or "")
        # comments / processing instructions: no text of their own (their tail is the parent's)

    walk(el)
    return "".join(parts)


def value_of(item) -> str:
    """Text of what a selector found: the string of a text/attribute node, an element's text."""
    if isinstance(item, Selector):
        root = item.root
        return root if isinstance(root, str) else text_of(root)
    return item if isinstance(item, str) else text_of(item)


def iter_ancestors(el, stop=None) -> Iterable:
    node = el.getparent()
    while node is not None and node is not stop:
        yield node
        node = node.getparent()


def paragraphs(container, skip: Callable[[object], bool]) -> list[str]:
    """The container's text split into paragraphs (raw, not cleaned).

    A block element or a ``<br>`` ends a paragraph, so one ``<p>`` holding ``<br>``-separated
    paragraphs gives several, and text directly in the container counts as a paragraph.
    Elements for which ``skip`` is true are left out and end the paragraph too.
    """
    out: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            out.append("".join(current))
            current.clear()

    def emit(node) -> None:
        tag = node.tag
        if not isinstance(tag, str):
            return
        if tag in NO_TEXT:
            return
        if tag == "br" or tag == "hr":
            flush()
            return
        if skip(node):
            flush()
            return
        block = tag in BLOCK
        if block:
            flush()
        current.append(node.text or "")
        for child in node:
            emit(child)
            current.append(child.tail or "")
        if block:
            flush()

    current.append(container.text or "")
    for child in container:
        emit(child)
        current.append(child.tail or "")
    flush()
    return out
