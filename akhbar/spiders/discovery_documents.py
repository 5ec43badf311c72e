"""Untrusted discovery documents (feeds, sitemaps), read safely: gzip inflated within a size
limit, XML told apart by its first bytes and parsed with no entity expanded or loaded.

Plain functions of bytes, no crawling: akhbar.spiders.discovery counts and logs what they find.
"""

from __future__ import annotations

import re
from io import BytesIO

from lxml import etree
from scrapy.utils._compression import _DecompressionMaxSizeExceeded  # what SitemapSpider catches
from scrapy.utils.gz import gunzip

# Discovery documents are told apart by their first bytes, not by their Content-Type,
# which feeds and sitemaps often get wrong.
_XML_ROOT = re.compile(rb"<(?:[a-zA-Z0-9_-]+:)?(urlset|sitemapindex|rss|feed|rdf:RDF)\b")
# What an XML discovery document starts with (after blanks); HTML pages are not XML here.
_XML_HEAD = re.compile(rb"<\?xml|<!DOCTYPE\s+(?!html\b)|<(?:[a-zA-Z0-9_-]+:)?(?:urlset|sitemapindex|rss|feed|RDF)\b",
                       re.IGNORECASE)
_DISCOVERY_ROOTS = {"urlset": "urlset", "sitemapindex": "sitemapindex", "rss": "rss", "feed": "feed",
                    "RDF": "rdf:RDF"}


def maybe_gunzip(body: bytes, max_size: int = 0) -> bytes | None:
    """The body, gunzipped if it is a gzip archive; None for a corrupt archive. Raises
    ``_DecompressionMaxSizeExceeded`` as soon as more than ``max_size`` bytes come out
    (0: no limit), before the rest is inflated."""
    if body[:2] == b"\x1f\x8b":
        try:
            return gunzip(body, max_size=max_size)
        except _DecompressionMaxSizeExceeded:
            raise
        except Exception:  # a corrupt archive is just an unreadable document
            return None
    return body


def safe_xml_parser() -> etree.XMLParser:
    """A parser of untrusted XML: no entity expanded, no DTD or external entity loaded, no
    network, and libxml2's limits on (256 levels of nesting, 10 MB per text: no huge_tree)."""
    return etree.XMLParser(recover=True, encoding="utf-8", resolve_entities=False, load_dtd=False,
                           no_network=True, huge_tree=False, remove_comments=True, remove_pis=True)


def xml_root(body: bytes) -> etree._Element | None:
    """The root element of an XML document, read no further than its start tag (and the DTD
    before it, parsed but never loaded or expanded); None if there is none."""
    events = etree.iterparse(BytesIO(body), events=("start",), recover=True, resolve_entities=False,
                             load_dtd=False, no_network=True, huge_tree=False)
    try:
        _, root = next(events)
    except (StopIteration, etree.LxmlError):
        return None
    return root


def looks_like_xml(body: bytes) -> bool:
    return _XML_HEAD.match(body[:2048].lstrip()) is not None


def declares_entities(body: bytes) -> bool:
    """Whether an XML document declares entities (general or parameter) in its DTD."""
    if not looks_like_xml(body):
        return False
    root = xml_root(body)
    dtd = root.getroottree().docinfo.internalDTD if root is not None else None
    return dtd is not None and any(True for _ in dtd.iterentities())


def stopped_by_parser_limit(error_log) -> bool:
    """Whether libxml2 gave up on a document at one of its limits: nesting depth, entity
    amplification, a text or name too long (it says ``XML_PARSE_HUGE`` for the older ones)."""
    return any(error.type_name == "ERR_RESOURCE_LIMIT" or "XML_PARSE_HUGE" in error.message
               or "amplification" in error.message for error in error_log)


def xml_kind(body: bytes) -> str | None:
    """Which discovery document the body is, by its root element: ``urlset``, ``sitemapindex``,
    ``rss``, ``feed`` or ``rdf:RDF``; None for anything else (HTML)."""
    if not looks_like_xml(body):
        return None
    match = _XML_ROOT.search(body[:4096])
    if match:
        return match.group(1).decode()
    root = xml_root(body)  # a long prolog (comments, a DTD) before the root element
    return _DISCOVERY_ROOTS.get(etree.QName(root).localname) if root is not None else None
