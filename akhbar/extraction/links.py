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
from functools import lru_cache
from typing import Callable
from urllib.parse import urljoin, urlsplit

# An absolute http(s) URL that urljoin returns unchanged whatever the base: lower-case scheme,
# a non-empty ASCII host without brackets, a path without ';' (params), no empty query, no
# fragment, no tab / CR / LF (which urlsplit removes).
_AS_IS = re.compile(r"https?://[A-Za-z0-9._~%!$&'()*+,=:@-]+(?:/[^?#;\t\r\n]*)?(?:\?[^#\t\r\n]+)?\Z")


# An absolute http(s) URL whose parts urlsplit would give as they stand: an ASCII host name
# (no user, port or brackets), no fragment, no tab / CR / LF (which urlsplit removes).
_SIMPLE = re.compile(r"(https?)://([A-Za-z0-9.-]+)(/[^?#\t\r\n]*)?(?:\?([^#\t\r\n]*))?\Z")


def http_parts(url: str) -> tuple[str, str, str, str]:
    """``(scheme, hostname or "", path, query)`` of ``urlsplit(url)``, without its cost for the
    plain absolute links most of a page's are (``tests/unit/test_links.py``)."""
    m = _SIMPLE.match(url)
    if m is not None:
        return m[1], m[2].lower(), m[3] or "", m[4] or ""
    parts = urlsplit(url)
    return parts.scheme, parts.hostname or "", parts.path, parts.query


def join_url(base: str, href: str) -> str:
    """``urljoin(base, href)``."""
    if base and href.startswith(("https://", "http://")) and _AS_IS.match(href):
        return href
    return urljoin(base, href)


_PAGE_JOINS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


# A root-relative link urljoin only prefixes with the base's scheme and host: no params (';'),
# no empty query, no fragment, no tab / CR / LF, no empty segment ('//', which urljoin collapses)
# and no '.' / '..' segment (which it resolves).
_ROOT_PATH = re.compile(r"/(?!/)(?:[^?#;/\t\r\n]|/(?!/))*(?:\?[^#\t\r\n]+)?\Z")
_DOT_SEGMENT = re.compile(r"(?:^|/)\.\.?(?:/|$)")


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
            url = joined.get(key)
            if url is None:
                if origin[0] in ("http", "https") and origin[1] and _ROOT_PATH.match(href) \
                        and not _DOT_SEGMENT.search(href.partition("?")[0]):
                    url = f"{origin[0]}://{origin[1]}{href}"  # what urljoin makes of it
                else:
                    url = urljoin(base, href)
                joined[key] = url
            return url
        key = (base, href)
        url = joined.get(key)
        if url is None:
            url = joined[key] = urljoin(base, href)
        return url

    return join


@lru_cache(maxsize=256)
def url_test(domains: tuple[str, ...], pattern: str) -> Callable[[str], bool]:
    """A test of URLs: http(s), on one of the domains or a subdomain of one (the host compared in
    lower case, without trailing dots), and ``pattern`` found (``re.search``) in its path plus
    ``?query`` when the query is not empty. The plain absolute URLs most links are are told by
    one regex; the others go through ``http_parts`` (``tests/unit/test_links.py``)."""
    path_pattern = re.compile(pattern)
    names = "|".join(re.escape(d) for d in domains)
    owned = re.compile(r"(?s:.*\.)?(?:%s)" % names) if domains else None
    plain = None
    if domains and all(d == d.lower() for d in domains):
        plain = re.compile(r"https?://(?:[A-Za-z0-9.-]*\.)?(?i:%s)\.*(/[^?#\t\r\n]*)?(?:\?([^#\t\r\n]*))?\Z" % names)

    def test(url: str) -> bool:
        m = plain.match(url) if plain is not None else None
        if m is not None:
            path, query = m[1] or "", m[2]
        else:
            scheme, host, path, query = http_parts(url)
            if scheme not in ("http", "https") or owned is None or owned.fullmatch(host.lower().rstrip(".")) is None:
                return False
        return path_pattern.search(path + ("?" + query if query else "")) is not None

    return test
