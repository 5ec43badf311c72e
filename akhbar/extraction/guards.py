"""Checks made on a page before it is read as an article: bytes, encoding, soft 404s.

Pages from sites that change without notice are often not what they claim to be:

- ``byte_problem``: an empty 200 (``empty_page``), binary data served as text/html (``not_html``);
- ``better_encoding``: the charset to decode with when the declared one is wrong or missing.
  Scrapy (w3lib ``html_to_unicode``) trusts, in order, a BOM, the Content-Type header, the
  ``<meta charset>``; with none of them it guesses (a windows-1256 page comes out as cp932 or
  cp1252 mojibake). Here a BOM is always trusted; a header charset is trusted when the body
  decodes with it, except a single-byte charset (iso-8859-1, windows-1252 ...: they decode any
  bytes, so "decodes" proves nothing) that the page's own ``<meta charset>`` contradicts: then the
  meta wins if the body decodes with it. A page that declares nothing, or whose declaration
  fails, is read as UTF-8 if it decodes, else as windows-1256 when that gives Arabic text.
- ``is_soft_404``: a 200 page whose title or main heading says "page not found".
"""

from __future__ import annotations

import codecs
import re

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

# Magic numbers of formats often served as text/html by mistake.
_BINARY_MAGIC = (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04", b"\x1f\x8b",
                 b"RIFF", b"\x00\x00\x00", b"OggS", b"ID3", b"fLaC", b"\x7fELF", b"Rar!", b"7z\xbc\xaf")
_CONTROL = bytes(c for c in range(32) if c not in (9, 10, 12, 13))


def byte_problem(body: bytes) -> str | None:
    """``empty_page``, ``not_html`` or None, from the body's bytes alone."""
    if not body.strip():
        return "empty_page"
    if read_bom(body)[0]:  # UTF-16/32 pages have NUL bytes: a BOM says it is text
        return None
    head = body[:4096]
    if head.startswith(_BINARY_MAGIC):
        return "not_html"
    controls = len(head) - len(head.translate(None, _CONTROL))
    if b"\x00" in head or controls > len(head) * 0.05:
        return "not_html"
    return None


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _strictly_decodes(body: bytes, encoding: str | None) -> bool:
    if not encoding:
        return False
    try:
        body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _single_byte(encoding: str) -> bool:
    return encoding.startswith(("cp125", "iso8859", "latin", "ascii", "mac-", "koi8", "cp437", "cp8"))


def _arabic_in_cp1256(body: bytes) -> bool:
    """Read as windows-1256, the bytes above ASCII are mostly Arabic letters."""
    text = body.decode("cp1256", errors="replace")
    non_ascii = [c for c in text if ord(c) > 127]
    arabic = sum(1 for c in non_ascii if "\u0600" <= c <= "\u06ff")
    return arabic >= 20 and arabic >= 0.7 * len(non_ascii)


def _fallback(body: bytes, current: str) -> str | None:
    for candidate in ("utf-8",):
        if _strictly_decodes(body, candidate):
            return None if candidate == current else candidate
    if _arabic_in_cp1256(body):
        return None if current == "cp1256" else "cp1256"
    return None


def better_encoding(response) -> str | None:
    """The encoding to decode ``response`` with instead of Scrapy's choice, or None to keep it."""
    body = response.body
    if read_bom(body)[0]:
        return None
    current = _codec(response.encoding) or "utf-8"

    def _decodes(body: bytes, encoding: str | None) -> bool:
        # Scrapy's text (decoded with its own choice, errors replaced) is needed later anyway: a
        # text without U+FFFD says the body decodes with that encoding, without decoding it again
        if encoding and encoding == current and "\ufffd" not in response.text:
            return True
        return _strictly_decodes(body, encoding)

    header = _codec(http_content_type_encoding(
        response.headers.get(b"Content-Type", b"").decode("latin-1")))
    meta = _codec(html_body_declared_encoding(body))
    if header:
        if _decodes(body, header) and not (_single_byte(header) and meta and meta != header):
            if _single_byte(header) and not meta and not body.isascii():
                return _fallback(body, current)  # a bare iso-8859-1 header is often the server's default
            return None
        if meta and meta != header and _decodes(body, meta):
            return None if meta == current else meta
        return _fallback(body, current)
    if meta and _decodes(body, meta):
        return None if meta == current else meta
    return _fallback(body, current)  # nothing (usable) declared: Scrapy guessed


_NOT_FOUND = re.compile(
    r"\b(?:page|file|article|content)\s+(?:was\s+)?not\s+found\b|^\W*404\W*$|\b404\s+error\b|\berror\s*404\b"
    r"|\bpage\s+(?:does\s+not|doesn't)\s+exist\b|\bno\s+longer\s+available\b"
    r"|(?:الصفحة|الصفحه|الرابط|المقال|الخبر|المحتوى)\s*(?:المطلوب[ةه]?\s*|التي\s+تبحث\s+عنها\s*)?"
    r"(?:غير\s+موجود[ةه]?|غير\s+متوفر[ةه]?|لم\s+يعد\s+متاحا)"
    r"|لم\s+يتم\s+العثور\s+على\s+(?:الصفحة|الصفحه|المحتوى)|خطأ\s*404",
    re.IGNORECASE,
)


def is_soft_404(selector) -> bool:
    """The page's title or first main heading (short texts, not the body) says "not found".

    ``selector``: the page's Selector or its lxml root. The text nodes of every ``<title>``
    (``//title//text()``) and of the first ``<h1>`` (``(//h1)[1]//text()``) are read with lxml's
    own iterators: two XPath evaluations over the whole page cost more than the rest of this."""
    root = getattr(selector, "root", selector)
    if not hasattr(root, "iter"):
        return False
    titles = [title for title in root.iter("title")
              if not any(anc.tag == "title" for anc in title.iterancestors())]  # each text once
    h1 = next(root.iter("h1"), None)
    for elements in (titles, [h1] if h1 is not None else []):
        text = " ".join(" ".join(piece for el in elements for piece in el.itertext()).split())
        if text and len(text) <= 150 and _NOT_FOUND.search(text):
            return True
    return False
