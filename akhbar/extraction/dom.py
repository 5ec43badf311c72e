"""The page of a response, parsed once, and small lxml helpers: reading text, splitting paragraphs."""

from __future__ import annotations

import codecs
import weakref
from typing import Callable, Iterable

from lxml import etree
from parsel import Selector
from parsel.selector import create_root_node
from scrapy.http import HtmlResponse
from scrapy.selector import Selector as ScrapySelector
from scrapy.utils.response import get_base_url

# Elements whose text is never page text.
NO_TEXT = frozenset({"script", "style", "noscript", "template", "head", "title", "meta", "link"})
# Elements that start a new paragraph.
BLOCK = frozenset({
    "p", "div", "section", "article", "main", "header", "footer", "aside", "blockquote", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead",
    "tbody", "tfoot", "tr", "td", "th", "figure", "figcaption", "hr", "center", "address",
    "details", "summary", "fieldset", "caption", "form",
})


_PAGE_TREES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class PageTree:
    """A response's parsed page: its selector, root element and every node in page order."""

    __slots__ = ("selector", "root", "nodes", "_order", "_attributes", "_carrying")

    def __init__(self, selector: Selector):
        self.selector = selector
        self.root = selector.root
        # Held for as long as the page lives: lxml makes a Python object for a node each time
        # one is asked for and none is alive; held, every later walk, XPath result, parent or
        # ancestor of the page reuses the objects made here.
        self.nodes = list(self.root.iter()) if isinstance(getattr(self.root, "tag", None), str) else []
        self._order: dict | None = None
        self._attributes: dict = {}  # (attribute, tag) -> [(element, value)] of the elements having it
        self._carrying: dict = {}  # (attribute, name, tag) -> what carrying() found

    @property
    def order(self) -> dict:
        """node -> its place in page order (made on first use)."""
        if self._order is None:
            self._order = {node: k for k, node in enumerate(self.nodes)}
        return self._order

    def carrying(self, attribute: str, name: str, tag: str | None = None) -> list:
        """The elements (of that tag, if given), in page order, whose ``class`` attribute
        contains ``name`` (as a substring: every element with that class is among them) or
        whose ``id`` is ``name``."""
        key = (attribute, name, tag)
        found = self._carrying.get(key)
        if found is None:
            values = self._attributes.get((attribute, tag))
            if values is None:  # lxml finds the elements of a tag in C; reading attributes is the cost
                values = self._attributes[(attribute, tag)] = [
                    (el, value) for el in (self.root.iter(tag) if tag else self.nodes)
                    if (value := el.get(attribute)) is not None]
            if attribute == "class":
                found = [el for el, value in values if name in value]
            else:
                found = [el for el, value in values if value == name]
            self._carrying[key] = found
        return found


def page_tree(response) -> PageTree:
    """The response's page, parsed once and kept as long as the response lives.

    An HTML response is parsed by libxml2's HTML parser exactly as Scrapy's selector parses it
    (parsel's ``create_root_node``: same text, same options, so the same tree), but with
    ``etree.HTMLParser`` instead of ``lxml.html``'s: that one runs a Python class lookup for every
    node object made (a third of the cost of walking a page), and nothing here uses its methods.
    ``response.selector`` stays Scrapy's own (a spider hook asking for it gets the usual one).
    Other text responses (a page served as text/plain or XML) use ``response.selector``.
    """
    try:
        tree = _PAGE_TREES.get(response)
    except TypeError:  # not weak-referenceable: nothing shared
        return _parse(response)
    if tree is None:
        tree = _PAGE_TREES[response] = _parse(response)
    return tree


def _parse(response) -> PageTree:
    if not isinstance(response, HtmlResponse):
        return PageTree(response.selector)
    text = response.text
    base_url = get_base_url(response)
    if _utf8_bytes_parse_as_text(response, text):
        # the same tree without stripping, cleaning and re-encoding a copy of the page's text
        root = create_root_node("", etree.HTMLParser, base_url=base_url, body=response.body, encoding="utf-8")
    else:
        root = create_root_node(text, etree.HTMLParser, base_url=base_url)
    return PageTree(ScrapySelector(root=root, type="html"))


# What str.strip() removes and bytes.strip() does not, as the first or last byte of a page.
_NOT_BYTE_STRIPPED = frozenset(b"\x1c\x1d\x1e\x1f")


def _utf8_bytes_parse_as_text(response, text: str) -> bool:
    """True when parsing the UTF-8 body itself gives the tree parsel makes from the decoded text
    (``tests/unit/test_page_tree.py``): valid UTF-8 (decoding replaced nothing), no byte-order
    mark (decoding drops it), and ASCII at both ends (the text is stripped of Unicode spaces,
    the bytes of ASCII ones)."""
    try:
        if codecs.lookup(response.encoding).name != "utf-8" or "\ufffd" in text:
            return False
    except LookupError:  # an encoding Python does not know: the decoded text's way
        return False
    body = response.body
    if body.startswith(codecs.BOM_UTF8):
        return False
    head, tail = body[:256].lstrip(), body[-256:].rstrip()
    return bool(head) and bool(tail) and head[0] < 0x80 and tail[-1] < 0x80 \
        and head[0] not in _NOT_BYTE_STRIPPED and tail[-1] not in _NOT_BYTE_STRIPPED


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
    if descend is None and limit is None:
        if not len(el):
            return el.text or ""
        if next(el.iter(*NO_TEXT), None) is None:
            # libxml2's text serialisation reads the same text nodes (comments give none, their
            # tails count) ten times faster than the walk below
            return etree.tostring(el, method="text", encoding=str, with_tail=False)
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
    """Text of what a selector found: the string of a text/attribute node, an element's text
    (a number or boolean an XPath function gave: as a string)."""
    if isinstance(item, Selector):
        item = item.root
    if isinstance(item, str):
        return item
    if hasattr(item, "getparent"):  # an element, a comment
        return text_of(item)
    return str(item)


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
