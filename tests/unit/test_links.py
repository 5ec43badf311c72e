"""join_url (the related finder's and link following's urljoin) is exactly urljoin."""

from pathlib import Path
from urllib.parse import urljoin

import lxml.html
import pytest

from akhbar.extraction.links import join_url

BASES = ["https://www.youm7.com/story/2024/5/13/x/6573469", "http://example.com/a/b?q=1#f",
         "https://host.example", "ftp://files.example/x", ""]
HREFS = [
    "https://www.youm7.com/story/2024/5/13/وزارة/6573469", "http://a.example", "https://a.example?x=1",
    "https://a.example/p?", "https://a.example/p#", "https://a.example/p#frag", "https://a.example/p;x",
    "https://a.example/p;", "https://a.example/a b", "https://a.example/a\tb", "https://a.example/a\nb",
    "https://[::1]/x", "https://[bad/x", "https://a.example/../x", "https://a.example/./x",
    "https://a.example//x", "https://user:pw@a.example:8080/x?y=1&z", "HTTPS://A.example/x",
    "https:/a.example/x", "https:a.example/x", "https:///x", "https://ａ.example/x", "https://a.example/x?q#",
    "/relative/path", "relative", "../up", "?q=1", "#frag", "//cdn.example/x", "mailto:x@y", "javascript:void(0)",
    "https://a.example/\u00a0x", "https://a.example/x\u00a0", "https://a.example/%D9%88/",
]


def _outcome(function, base, href):
    try:
        return function(base, href)
    except ValueError as error:  # urljoin raises on a malformed host ("https://[bad/x"): so must join_url
        return ("ValueError", str(error))


@pytest.mark.parametrize("base", BASES)
def test_join_url_is_urljoin(base):
    for href in HREFS:
        assert _outcome(join_url, base, href) == _outcome(urljoin, base, href), (base, href)


def test_join_url_on_every_link_of_the_test_pages():
    pages = sorted((Path(__file__).resolve().parent.parent / "pages").glob("*/*.html"))
    from shared import CORPUS_DIR

    pages += sorted(CORPUS_DIR.glob("*/*.html")) if CORPUS_DIR.is_dir() else []
    assert pages
    for page in pages:
        root = lxml.html.fromstring(page.read_bytes())
        for el in root.iter("a", "link", "img"):
            for attr in ("href", "src"):
                value = el.get(attr)
                if value is not None:
                    for href in (value, value.strip()):
                        for base in BASES[:3]:
                            assert _outcome(join_url, base, href) == _outcome(urljoin, base, href), (base, href)


def test_page_joiner_is_urljoin():
    from akhbar.extraction.links import page_joiner

    class Page:  # any weak-referenceable object stands for the response
        pass

    page = Page()
    for base in BASES:
        for href in HREFS:
            for _ in range(2):  # joined, then remembered
                assert _outcome(page_joiner(page), base, href) == _outcome(urljoin, base, href), (base, href)


def test_page_joiner_shares_root_relative_links_between_spellings_of_the_base():
    from akhbar.extraction.links import page_joiner

    class Page:
        pass

    page = Page()
    bases = ["https://www.youm7.com/story/2024/5/13/وزارة/6573469",
             "https://www.youm7.com/story/2024/5/13/%D9%88%D8%B2%D8%A7%D8%B1%D8%A9/6573469",
             "https://www.youm7.com/other?x=1#y", "http://www.youm7.com/", "https://cdn.example/a/b"]
    hrefs = [*HREFS, "/", "/a/../b", "/./c?d#e", "//", "//?x", "//#y", "/x\ty", "/\u0648"]
    for _ in range(2):
        for base in bases:
            for href in hrefs:
                assert _outcome(page_joiner(page), base, href) == _outcome(urljoin, base, href), (base, href)


def _split_outcome(url):
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        return parts.scheme, parts.hostname or "", parts.path, parts.query
    except ValueError as error:
        return ("ValueError", str(error))


def test_http_parts_is_urlsplit():
    """http_parts (the related finder's and link routing's urlsplit) gives urlsplit's parts."""
    from akhbar.extraction.links import http_parts

    def outcome(url):
        try:
            return http_parts(url)
        except ValueError as error:
            return ("ValueError", str(error))

    urls = [*HREFS, *(urljoin(base, href) for base in BASES[:3] for href in HREFS if "[" not in href),
            "https://A.Example.COM/x", "https://a.example.", "https://a-b.example/x?", "https://a.example?",
            "http://a.example/p?q=1?r=2", "https://a.example/p\u00a0?q ", " https://a.example/x"]
    pages = sorted((Path(__file__).resolve().parent.parent / "pages").glob("*/*.html"))
    from shared import CORPUS_DIR

    pages += sorted(CORPUS_DIR.glob("*/*.html")) if CORPUS_DIR.is_dir() else []
    for page in pages:
        for el in lxml.html.fromstring(page.read_bytes()).iter("a"):
            if el.get("href") is not None:
                urls.append(el.get("href"))
                urls.append(urljoin(BASES[0], el.get("href").strip()).split("#")[0])
    for url in urls:
        assert outcome(url) == _split_outcome(url), url


def _url_test_by_parts(domains, pattern, url):
    """What url_test must answer, spelled out: urlsplit's parts, the domain test, the pattern."""
    from urllib.parse import urlsplit
    import re

    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.scheme not in ("http", "https") or not any(host == d or host.endswith("." + d) for d in domains):
        return False
    return re.search(pattern, parts.path + ("?" + parts.query if parts.query else "")) is not None


def test_url_test_is_the_domain_and_pattern_test():
    from akhbar.extraction.links import url_test

    urls = [join_url(base, href) for base in BASES[:3] for href in HREFS if not href.startswith("https://[")]
    urls += ["https://WWW.YOUM7.COM/story/2024/5/13/x/1", "https://youm7.com./story/2024/5/13/x/1",
             "https://evil-youm7.com/story/2024/5/13/x/1", "https://youm7.com.evil/story/2024/5/13/x/1",
             "https://a.b.youm7.com/story/2024/5/13/x/1?x=1", "https://youm7.com/story/2024/5/13/x/1?",
             "https://youm7.com:443/story/2024/5/13/x/1", "https://u@youm7.com/story/2024/5/13/x/1",
             "HTTPS://youm7.com/story/2024/5/13/x/1", "ftp://youm7.com/story/2024/5/13/x/1",
             "https://youm7.com/4940961", "https://youm7.com/4940961?page=2", "https://youm7.com",
             "https://www.youm7.com/story/2024/5/13/%D9%88/6573469#c"]
    cases = [(("youm7.com",), r"^/(?:story/\d{4}/\d{1,2}/\d{1,2}/[^/]+/\d+|\d{5,})/?$"),
             (("youm7.com", "a.example"), r"\?x=1|^/p"), (("Youm7.com",), r"^/story/"), ((), r".")]
    for domains, pattern in cases:
        test = url_test(domains, pattern)
        for url in urls:
            assert test(url) == _url_test_by_parts(domains, pattern, url), (domains, pattern, url)
