"""Selectors (CSS or XPath) evaluated on a page, each compiled once.

parsel's ``Selector.xpath`` compiles its expression and wraps every node found in a new
Selector at each call; here a selector is translated (CSS as parsel translates it) and compiled
once for the process, and evaluated on the lxml tree itself.

libxml2 evaluates a class test (``div.article_body`` is ``descendant-or-self::div[@class and
contains(@class, 'article_body') and contains(concat(' ', normalize-space(@class), ' '), ...)]``)
by copying the class attribute of every element of the page: about a millisecond on a large page,
for each of a spider's dozen selectors. So a CSS selector whose first compound names a class or
an id (``div.article_body p``, ``#articleBody``) starts from the page's elements whose class
attribute contains that name (or whose id is it), found in Python among the page's class (id)
attributes, read once per page; from each, the selector itself is evaluated as XPath
(``self::div[...]/descendant::p``). Same node-set, in page order (``tests/unit/test_selecting.py``).

A selector is XPath when it starts with ``/``, ``(`` or ``./``, or when it is valid XPath and not
valid CSS (``normalize-space(//h1)``, ``string(//time/@datetime)``, ``h1/text()``): decided by
trying both readings (``is_xpath``). One valid as both (``h1``, ``div.body``) is CSS.
``selector_problem`` says why a selector is neither; spiders are checked with it when they load
(``akhbar.extraction.config.validate_selectors``).
"""

from __future__ import annotations

from functools import lru_cache, partial

from typing import Callable, NamedTuple

import cssselect
from cssselect import SelectorError
from cssselect.parser import Class, CombinedSelector, Element, Hash
from lxml import etree
from parsel.csstranslator import HTMLTranslator

_translator = HTMLTranslator()

# The EXSLT function namespaces libexslt implements for XPath (lxml registers their functions for
# whatever prefix maps to them; ``re`` is lxml's own and is not among them).
_LIBEXSLT_NAMESPACES = {
    "set": "http://exslt.org/sets",
    "math": "http://exslt.org/math",
    "str": "http://exslt.org/strings",
    "date": "http://exslt.org/dates-and-times",
}
# The XPath namespace prefixes a selector may use: parsel's (``re:test(...)``, ``set:distinct(...)``)
# and EXSLT's usual prefixes for the other libexslt namespaces.
_NAMESPACES = {"re": "http://exslt.org/regular-expressions", **_LIBEXSLT_NAMESPACES}


# A selector starting so is XPath, whatever else it could be read as (none is valid CSS).
_XPATH_START = ("/", "(", "./")
# The document an XPath is tried on: evaluation finds what compiling does not (a function
# libxml2 does not know, ``foo(//h1)``, compiles and fails only when evaluated).
_EMPTY_PAGE = etree.fromstring("<html><body/></html>")


class InvalidSelector(ValueError):
    """A spider declares a selector that is neither valid CSS nor valid XPath."""


@lru_cache(maxsize=1024)
def is_xpath(selector: str) -> bool:
    """XPath: starts with ``/``, ``(`` or ``./``, or is valid XPath and not valid CSS (an XPath
    starting with a function call, ``normalize-space(//h1)``). Valid as both: CSS."""
    if selector.startswith(_XPATH_START):
        return True
    return _css_problem(selector) is not None and _xpath_problem(selector) is None


def selector_problem(selector: object) -> str | None:
    """Why ``selector`` cannot be evaluated (the parsers' own words), None for a valid one."""
    if not isinstance(selector, str):
        return f"a {type(selector).__name__}, not a selector string"
    if not selector.strip():
        return "an empty selector"
    if selector.startswith(_XPATH_START):
        problem = _xpath_problem(selector)
        return None if problem is None else f"not valid XPath ({problem})"
    css = _css_problem(selector)
    if css is None:
        return None
    xpath = _xpath_problem(selector)
    if xpath is None:
        return None
    return f"neither valid CSS ({css}) nor valid XPath ({xpath})"


@lru_cache(maxsize=1024)
def _css_problem(selector: str) -> str | None:
    try:
        _xpath(_translator.css_to_xpath(selector))
    except (SelectorError, etree.XPathError, ValueError) as error:
        return str(error) or type(error).__name__
    return None


@lru_cache(maxsize=1024)
def _xpath_problem(selector: str) -> str | None:
    try:
        _xpath(selector)(_EMPTY_PAGE)
    except (etree.XPathError, ValueError) as error:
        return str(error) or type(error).__name__
    return None


@lru_cache(maxsize=512)
def xpath_of(selector: str) -> str:
    """The XPath of a selector (a CSS one translated as parsel translates it)."""
    if is_xpath(selector):
        return selector
    return _translator.css_to_xpath(selector)


@lru_cache(maxsize=1024)
def compiled(selector: str) -> Callable | None:
    """The selector (CSS or XPath) compiled once for good; None for a malformed one."""
    try:
        return _xpath(xpath_of(selector))
    except (etree.XPathError, SelectorError, ValueError):
        return None


class _Part(NamedTuple):
    """One selector of a comma-separated list, and how to evaluate it."""

    attribute: str | None  # "class"/"id": started from the elements carrying ``name``; "tag": the
    # elements named ``name`` (lxml's iter); None: XPath
    name: str | None
    tag: str | None  # the tag the first compound names (None: any)
    start: Callable | None  # the selector from one such element (``self::...``)
    whole: Callable  # the selector from the page or a container (``descendant-or-self::...``)


@lru_cache(maxsize=1024)
def _plan(selector: str) -> tuple[_Part, ...] | None:
    """How a selector is evaluated; None for a malformed one."""
    whole = compiled(selector)
    if whole is None:
        return None
    plain = (_Part(None, None, None, None, whole),)
    if is_xpath(selector):
        return plain
    try:
        parsed = cssselect.parse(selector)
    except SelectorError:
        return plain
    parts = []
    for sel in parsed:
        tree = sel.parsed_tree
        part_whole = _xpath(_translator.selector_to_xpath(sel, translate_pseudo_elements=True))
        if sel.pseudo_element is None and type(tree) is Element and _plain_tag(tree):
            parts.append(_Part("tag", tree.element.lower(), None, None, part_whole))
            continue
        attribute, name, tag = _first_class_or_id(tree)
        if attribute is None:
            parts.append(_Part(None, None, None, None, part_whole))
        else:
            start = _xpath(_translator.selector_to_xpath(sel, prefix="self::", translate_pseudo_elements=True))
            parts.append(_Part(attribute, name, tag, start, part_whole))
    return tuple(parts) if any(part.attribute for part in parts) else plain


def _xpath(expression: str) -> Callable[[object], object]:
    """The expression compiled once, with only the namespace prefixes it may use.

    Except where one of them is a libexslt namespace (sets, math, strings, dates): lxml (5.4 to
    at least 7.0.0b1, with libxml2 2.13 or later) registers those functions again at every
    evaluation of a compiled ``etree.XPath``; each registration after the first fails, and the
    failure (``ERR_NO_MEMORY``) is appended to the compiled XPath's ``error_log``, which is never
    emptied: about 105 bytes kept for good per evaluation, for every page crawled
    (``docs/upstream.md``; ``tests/unit/test_selecting.py``). Such an expression is evaluated by
    the element's own ``xpath()``, whose evaluator and its log last one call. ``re`` (lxml's own
    functions) and unprefixed expressions, the common case, stay compiled."""
    namespaces = {prefix: uri for prefix, uri in _NAMESPACES.items() if f"{prefix}:" in expression}
    # compiled in every case: a malformed expression fails here, when the selector is planned
    compiled_xpath = etree.XPath(expression, namespaces=namespaces or None, smart_strings=False)
    if not set(namespaces.values()) & set(_LIBEXSLT_NAMESPACES.values()):
        return compiled_xpath
    return partial(_evaluate_each_time, expression, namespaces)


def _evaluate_each_time(expression: str, namespaces: dict, node):
    return node.xpath(expression, namespaces=namespaces, smart_strings=False)


def _first_class_or_id(tree) -> tuple[str | None, str | None, str | None]:
    """("class", name, tag) or ("id", value, tag) of the selector's first compound (tag: the
    lower-case element name it requires, None for any), else (None, None, None)."""
    while isinstance(tree, CombinedSelector):
        tree = tree.selector
    found = None
    while tree is not None:
        if isinstance(tree, Hash):
            found = found or ("id", tree.id)
        elif isinstance(tree, Class):
            found = found or ("class", tree.class_name)
        elif isinstance(tree, Element):
            if found is None:
                return None, None, None
            return found[0], found[1], tree.element.lower() if _plain_tag(tree) else None
        tree = getattr(tree, "selector", None)  # the rest of the compound (never a :not() argument)
    return (*found, None) if found else (None, None, None)


def _plain_tag(element: Element) -> bool:
    """A bare element name (``nav``; not ``*``, not ``ns|nav``)."""
    name = element.element
    return bool(name) and name != "*" and element.namespace in (None, "*") and name.isalnum()


def select(node, selector: str, page=None) -> list:
    """What a CSS/XPath selector finds under an lxml element (or a parsel Selector's root):
    elements, or strings for ``::text``, ``::attr(...)``, ``text()`` and ``@attr``. A malformed
    selector in a spider finds nothing (not a crash). ``page``: the ``dom.PageTree`` the
    element is part of (class and id selectors then start from its attributes)."""
    parts = _plan(selector)
    if parts is None:
        return []
    node = getattr(node, "root", node)
    if parts[0].attribute is not None or len(parts) > 1:
        found = _from_attributes(node, parts, page)
        if found is not None:
            return found
    return _evaluate(compiled(selector), node)


def select_union(node, selectors: list[str], page=None) -> list:
    """What the selectors find together: one XPath (their union: page order, each node once)
    instead of one per selector; selector by selector where the union is not valid XPath (a
    selector giving strings or numbers, a malformed one: that one finds nothing, the others
    still count)."""
    if not selectors:
        return []
    node = getattr(node, "root", node)
    parts = tuple(part for plan in map(_plan, selectors) if plan is not None for part in plan)
    if any(part.attribute for part in parts):
        found = _from_attributes(node, parts, page)
        if found is not None:
            return found
    union = _union(" | ".join(xpath_of(s) for s in selectors if compiled(s) is not None))
    if union is not None:
        try:
            found = union(node)
        except etree.XPathError:
            found = None
        if isinstance(found, list):
            return found
    out: list = []
    for selector in selectors:
        out.extend(select(node, selector, page))
    return out


def _from_attributes(node, parts: tuple[_Part, ...], page) -> list | None:
    """The nodes the parts find under ``node``, in page order, each once; None where this way
    cannot answer: no page, a node not of that page, or a part finding strings."""
    if page is None:
        return None
    order = page.order
    if order.get(node) is None:
        return None
    results: list = []
    span = None
    sources = 0  # evaluations that found something
    tags = [part.name for part in parts if part.attribute == "tag"]
    if tags:  # bare element names: all of them in one pass of lxml's iter (node itself included)
        results = list(node.iter(*tags))
        sources += bool(results)
    for part in parts:
        if part.attribute == "tag":
            continue
        if part.attribute is None:
            found = _evaluate(part.whole, node)
            sources += bool(found)
        else:
            elements = page.carrying(part.attribute, part.name, part.tag)
            if node is not page.root:  # only node and the elements inside it
                if span is None:
                    span = _span(node, order)
                elements = [el for el in elements if span[0] <= order[el] <= span[1]]
            found = []
            for el in elements:
                items = part.start(el)
                if items:
                    found.extend(items)
                    sources += 1
        results.extend(found)
    if sources < 2:
        return results  # one evaluation's node-set: in page order, each node once
    if not all(hasattr(item, "getparent") for item in results):
        return None  # strings from several places (::text, ::attr()): their order is the XPath's
    unique = list(dict.fromkeys(results))
    if any(order.get(item) is None for item in unique):
        return None  # a node outside the page's element tree (a comment before <html>)
    return sorted(unique, key=order.__getitem__)


def _evaluate(xpath: Callable, node) -> list:
    """What the XPath finds, as a list: a node-set, or the one value an XPath function gives
    (``normalize-space(//h1)``: a string; the empty string when it read nothing, which finds
    nothing, so the field's next selector is tried)."""
    try:
        found = xpath(node)
    except etree.XPathError:
        return []
    if isinstance(found, list):
        return found
    return [] if found == "" else [found]


def _span(node, order: dict) -> tuple[int, int]:
    """Page order of the element and of its last descendant."""
    last = node
    while len(last):
        last = last[-1]
    return order[node], order[last]


@lru_cache(maxsize=256)
def _union(xpath: str) -> Callable | None:
    try:
        return _xpath(xpath)
    except (etree.XPathError, ValueError):
        return None
