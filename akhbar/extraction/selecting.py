"""Selectors (CSS or XPath) evaluated on a page, each compiled once.

parsel's ``Selector.xpath`` compiles its expression and wraps every node found in a new
Selector at each call; here a selector is translated (CSS as parsel translates it) and compiled
once for the process, and evaluated on the lxml tree itself.
"""

from __future__ import annotations

from functools import lru_cache

from cssselect import SelectorError
from lxml import etree
from parsel.csstranslator import HTMLTranslator

_translator = HTMLTranslator()

# The XPath namespaces parsel's selectors know (``re:test(...)`` in a spider's selector).
_NAMESPACES = {"re": "http://exslt.org/regular-expressions", "set": "http://exslt.org/sets"}


def is_xpath(selector: str) -> bool:
    return selector.startswith(("/", "(", "./"))


@lru_cache(maxsize=512)
def xpath_of(selector: str) -> str:
    """The XPath of a selector (a CSS one translated as parsel translates it)."""
    if is_xpath(selector):
        return selector
    return _translator.css_to_xpath(selector)


@lru_cache(maxsize=1024)
def compiled(selector: str) -> etree.XPath | None:
    """The selector (CSS or XPath) compiled once for good; None for a malformed one."""
    try:
        return etree.XPath(xpath_of(selector), namespaces=_NAMESPACES, smart_strings=False)
    except (etree.XPathError, SelectorError, ValueError):
        return None


def select(node, selector: str) -> list:
    """What a CSS/XPath selector finds under an lxml element (or a parsel Selector's root):
    elements, or strings for ``::text``, ``::attr(...)``, ``text()`` and ``@attr``. A malformed
    selector in a spider finds nothing (not a crash)."""
    xpath = compiled(selector)
    if xpath is None:
        return []
    try:
        found = xpath(getattr(node, "root", node))
    except etree.XPathError:
        return []
    return found if isinstance(found, list) else [found]


def select_union(node, selectors: list[str]) -> list:
    """What the selectors find together: one XPath (their union: page order, each node once)
    instead of one per selector; selector by selector where the union is not valid XPath (a
    selector giving strings or numbers, a malformed one: that one finds nothing, the others
    still count)."""
    if not selectors:
        return []
    union = _union(" | ".join(xpath_of(s) for s in selectors if compiled(s) is not None))
    if union is not None:
        try:
            found = union(getattr(node, "root", node))
        except etree.XPathError:
            found = None
        if isinstance(found, list):
            return found
    out: list = []
    for selector in selectors:
        out.extend(select(node, selector))
    return out


@lru_cache(maxsize=256)
def _union(xpath: str) -> etree.XPath | None:
    try:
        return etree.XPath(xpath, namespaces=_NAMESPACES, smart_strings=False)
    except (etree.XPathError, ValueError):
        return None
