"""``urljoin`` without its cost on the links of a page (the hot loop of the related finder and of
story-link following): exactly ``urllib.parse.urljoin``'s result, faster.

Many links on a news page are already absolute (``https://host/path``): for those that
``urljoin`` would give back unchanged (no fragment, params, empty query, tab or line break, an
ASCII host), the link is returned as it is, without parsing. The others go through ``urljoin``;
``page_joiner(response)`` remembers them for the page, so the related finder and link following
join each of the page's links once (a root-relative link once per host, whichever spelling of
the page's URL it is joined with). ``tests/unit/test_links.py`` checks both against ``urljoin``.
"""

from __future__ import annotations

import re
import weakref
from typing import Callable
from urllib.parse import urljoin, urlsplit

# An absolute http(s) URL that urljoin returns unchanged whatever the base: lower-case scheme,
# a non-empty ASCII host without brackets, a path without ';' (params), no empty query, no
# fragment, no tab / CR / LF (which urlsplit removes).
_AS_IS = re.compile(r"https?://[A-Za-z0-9._~%!$&'()*+,=:@-]+(?:/[^?#;\t\r\n]*)?(?:\?[^#\t\r\n]+)?\Z")


def join_url(base: str, href: str) -> str:
    """``urljoin(base, href)``."""
    if base and href.startswith(("https://", "http://")) and _AS_IS.match(href):
        return href
    return urljoin(base, href)


_PAGE_JOINS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def page_joiner(response) -> Callable[[str, str], str]:
    """``join_url`` remembering the page's joined links for as long as ``response`` lives."""
    try:
        joined = _PAGE_JOINS.get(response)
        if joined is None:
            joined = _PAGE_JOINS[response] = {}
    except TypeError:  # not weak-referenceable: nothing shared
        joined = {}
    origins: dict[str, tuple[str, str]] = {}

    def join(base: str, href: str) -> str:
        if base and href.startswith(("https://", "http://")) and _AS_IS.match(href):
            return href
        if base and href[:1] == "/" and href[1:2] != "/":
            # A root-relative link: urljoin reads only the base's scheme and host, so the link
            # joined with the page's URL or with its <base> (another spelling of the same) is one.
            origin = origins.get(base)
            if origin is None:
                parts = urlsplit(base)
                origin = origins[base] = (parts.scheme, parts.netloc)
            key = (origin, href)
        else:
            key = (base, href)
        url = joined.get(key)
        if url is None:
            url = joined[key] = urljoin(base, href)
        return url

    return join
