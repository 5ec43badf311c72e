"""Layout drift made on purpose: a page as a redesign would serve it, for tests and benchmarks.

- ``rename_classes_and_ids``: every ``class`` word and ``id`` of the page replaced by a
  meaningless token, consistently within the page (what a CSS-module build or a redesign does),
  references to them included (``href="#id"``, ``aria-controls``, ``for``, ``data-target``).
  Text, tags, ``itemprop``, ``rel``, meta tags and JSON-LD are untouched.
- ``wrap_and_move_sidebars``: the article wrapped in two more ``div`` levels and every
  ``aside``/side block moved before the ``h1``'s block (a template that reorders its columns).

Both work on the page's bytes, so its encoding and everything not named above stay as served.
"""

from __future__ import annotations

import re

# class="a b" / id='x' / class=x  (not data-id, itemid: the attribute name starts after a space)
_ATTRIBUTE = re.compile(rb"""(?i)(?<=[\s"'])(class|id)(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'>]+)""")


def rename_classes_and_ids(html: bytes) -> bytes:
    """The page with each distinct class word and id replaced by a token of its own (``k17``)."""
    tokens: dict[bytes, bytes] = {}

    def token(word: bytes) -> bytes:
        found = tokens.get(word)
        if found is None:
            found = tokens[word] = b"k%d" % (len(tokens) + 1)  # no letters a class test could match
        return found

    def rename(match: re.Match) -> bytes:
        name, equals, value = match.groups()
        quote = value[:1] if value[:1] in (b'"', b"'") else b""
        inner = value[1:-1] if quote else value
        words = inner.split() if name.lower() == b"class" else ([inner.strip()] if inner.strip() else [])
        return name + equals + quote + b" ".join(token(w) for w in words) + quote

    renamed = _ATTRIBUTE.sub(rename, html)

    def reference(match: re.Match) -> bytes:
        """``href="#x"``, ``aria-controls="x"``, ``data-target=".y"``: what the page's own
        scripts and anchors point at, renamed with it (a broken link is no redesign)."""
        name, equals, quote, value = match.groups()
        words = []
        for word in value.split():
            prefix = word[:1] if word[:1] in (b"#", b".") else b""
            if not prefix and name.lower() in (b"href", b"data-target", b"data-bs-target"):
                words.append(word)  # a URL, not a reference to the page's own id or class
                continue
            words.append(prefix + tokens.get(word[len(prefix):], word[len(prefix):]))
        return name + equals + quote + b" ".join(words) + quote

    return _REFERENCE.sub(reference, renamed)


# Attributes that refer to ids or classes of the page: anchors, tab targets, labels.
_REFERENCE = re.compile(
    rb"""(?i)(?<=[\s"'])(href|aria-controls|aria-labelledby|aria-describedby|aria-owns|for|data-target|"""
    rb"""data-bs-target|data-tab)(\s*=\s*)(["'])([#.]?[^"'#\s<>][^"'<>]*)\3""")


# A block with at least this many links, most of its text in them, is a column of links (a sidebar).
_SIDEBAR_MIN_LINKS = 5
_SIDEBAR_LINK_TEXT_SHARE = 0.5


def wrap_and_move_sidebars(html: bytes) -> bytes:
    """The page with the ``body``'s content wrapped in two more ``div`` levels, and every column
    of links beside the headline's column (a sibling of one of the ``h1``'s ancestors that is
    mostly links) moved before that ancestor: a template that reorders its columns.
    The page is parsed and written again in its own encoding, so its bytes change beyond these
    two edits (attribute quoting, entities)."""
    import lxml.html
    from w3lib.encoding import html_to_unicode

    encoding, text = html_to_unicode(None, html)
    root = lxml.html.document_fromstring(text)
    body = root.find("body")
    if body is None:
        return html
    for _ in range(2):
        wrapper = lxml.html.Element("div")
        wrapper.text, body.text = body.text, None
        for child in list(body):
            wrapper.append(child)
        body.append(wrapper)
    h1 = next(iter(body.iter("h1")), None)
    if h1 is not None:
        for ancestor in list(h1.iterancestors()):
            if ancestor is body:
                break
            for sibling in list(ancestor.itersiblings()):
                if isinstance(sibling.tag, str) and _is_link_column(sibling):
                    ancestor.addprevious(sibling)
    # libxml2 percent-encodes non-ASCII URL attributes (href, src ...) when it writes HTML: each
    # attribute value is written as a placeholder and put back as it was.
    values: list[str] = []
    for element in root.iter():
        if isinstance(element.tag, str):
            for name, value in element.attrib.items():
                element.set(name, f"akhbar-attribute-{len(values)}")
                values.append(value)
    out = lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
    out = re.sub(r"akhbar-attribute-(\d+)", lambda m: _escape_attribute(values[int(m[1])]), out)
    return out.encode(encoding, errors="xmlcharrefreplace")


def _escape_attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def _is_link_column(element) -> bool:
    links = element.findall(".//a")
    if len(links) < _SIDEBAR_MIN_LINKS:
        return False
    text = "".join(element.itertext()).split()
    link_text = sum(len("".join(a.itertext()).split()) for a in links)
    return bool(text) and link_text / len(text) > _SIDEBAR_LINK_TEXT_SHARE
