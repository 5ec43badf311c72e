"""Small lxml helpers shared by the engine: selecting, reading text, splitting paragraphs."""

from __future__ import annotations

import weakref
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


_PAGE_NODES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def page_nodes(response) -> list:
    """Every node of the response's parsed tree (``response.selector.root``), in page order; made
    once per response and kept as long as it lives.

    Holding them is what makes the page fast to walk: lxml makes a Python object for a node each
    time one is asked for and none is alive, and for ``lxml.html`` trees that runs a Python
    class lookup (about a microsecond a node). Held, every later walk, XPath result, parent or
    ancestor of the page reuses the objects made here.
    """
    try:
        nodes = _PAGE_NODES.get(response)
    except TypeError:  # not weak-referenceable: nothing shared
        return list(response.selector.root.iter())
    if nodes is None:
        nodes = _PAGE_NODES[response] = list(response.selector.root.iter())
    return nodes


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
    if not isinstance(el.tag, str) or el.tag in NO_TEXT:
        return ""
    return text_within(el)


def text_within(el, descend: Callable[[object], bool] | None = None, limit: int | None = None) -> str:
    """The element's own text and that of its descendants, not stripped: comments and ``NO_TEXT``
    elements give no text, nor do descendants for which ``descend`` is false (their tails count).
    With ``limit``, reading stops once more than ``limit`` characters are read (the text returned
    is then longer than ``limit`` but not whole: enough to tell that it is too long).

    Iterative, not recursive: a page nested thousands of levels deep is read like any other.
    """
    parts: list[str] = [el.text or ""]
    size = len(parts[0])
    stack = [(iter(el), None)]
    while stack and (limit is None or size <= limit):
        children, node = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if node is not None:
                parts.append(node.tail or "")
                size += len(parts[-1])
            continue
        tag = child.tag
        if isinstance(tag, str) and tag not in NO_TEXT and (descend is None or descend(child)):
            parts.append(child.text or "")
            stack.append((iter(child), child))
        else:  # comments / processing instructions / skipped elements: only their tail
            parts.append(child.tail or "")
        size += len(parts[-1])
    return "".join(parts)


def subtree_texts(root) -> dict:
    """``text_of`` of the root and of every element under it, in one pass: each element's text is
    joined from its children's, so a page nested thousands of levels deep costs no more than its
    text (elements inside ``NO_TEXT`` ones are left out; ask ``text_of`` for those)."""
    out: dict = {}
    if not isinstance(root.tag, str) or root.tag in NO_TEXT:
        return out
    stack = [(root, iter(root), [root.text or ""])]
    while stack:
        el, children, parts = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            parts = [part for part in parts if part]  # a lone part is reused, not copied
            text = out[el] = parts[0] if len(parts) == 1 else "".join(parts)
            if stack:
                stack[-1][2].append(text)
                stack[-1][2].append(el.tail or "")
            continue
        if isinstance(child.tag, str) and child.tag not in NO_TEXT:
            stack.append((child, iter(child), [child.text or ""]))
        else:
            if isinstance(child.tag, str):
                out[child] = ""
            parts.append(child.tail or "")
    return out


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

    # Iterative (a deeply nested page must not exhaust Python's recursion limit): a stack of
    # (children iterator, element, is a block); an element's tail follows its subtree.
    current.append(container.text or "")
    stack = [(iter(container), None, False)]
    while stack:
        children, node, block = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if block:
                flush()
            if node is not None:
                current.append(node.tail or "")
            continue
        tag = child.tag
        if not isinstance(tag, str) or tag in NO_TEXT:
            current.append(child.tail or "")
            continue
        if tag == "br" or tag == "hr" or skip(child):
            flush()
            current.append(child.tail or "")
            continue
        child_block = tag in BLOCK
        if child_block:
            flush()
        current.append(child.text or "")
        stack.append((iter(child), child, child_block))
    flush()
    return out
