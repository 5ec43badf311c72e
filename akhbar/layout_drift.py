"""Layout drift made on purpose: a page as a redesign would serve it, for tests and benchmarks.

- ``rename_classes_and_ids``: every ``class`` word and ``id`` of the page replaced by a
  meaningless token, consistently within the page (what a CSS-module build or a redesign does).
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

    return _ATTRIBUTE.sub(rename, html)
