"""URL forms: tracking parameters removed (before requesting), the key an article is de-duplicated on."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, safe_url_string

# Query parameters that only say where a reader came from: the page is the same without them.
_TRACKING = re.compile(
    r"^(?:utm_[a-z_]*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|mc_cid|mc_eid"
    r"|_ga|_gl|ocid|ref_src|cmpid|__twitter_impression)$", re.IGNORECASE)


def strip_tracking(url: str) -> str:
    """``url`` without tracking parameters (utm_*, fbclid, gclid ...); otherwise exactly as given
    (the parameters left keep their order)."""
    if "?" not in url:
        return url  # no query to strip (the common case: urlsplit not needed)
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not _TRACKING.match(k)]
    if len(kept) == len(pairs):
        return url
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(kept), parts.fragment))


def article_identity(url: str) -> str:
    """The form two URLs of one article share: no scheme (http = https), lower-case host,
    no tracking parameters, sorted query, percent-encoding normalised, no trailing slash."""
    canonical = canonicalize_url(safe_url_string(strip_tracking(url.strip())))
    parts = urlsplit(canonical)
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("", (parts.hostname or "") + (f":{parts.port}" if parts.port else ""),
                       path, parts.query, "")).lstrip("/")
