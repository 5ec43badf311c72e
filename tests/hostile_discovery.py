"""Hostile discovery documents (issue 17), written here, and a loopback site serving them.

`HostileSite().start()` serves on 127.0.0.1 (a threaded ``http.server`` on a free port) a
robots.txt that disallows every article (so the article requests a sitemap gives go through the
scheduler and stop at the robots middleware, without a download) and the documents below, each
under its own path. Every request is counted by path (`hits_of`).

The documents are built by the functions here so that the unit tests (tests/test_discovery_limits.py)
feed the very same bytes to ``parse_discovery`` directly.
"""

from __future__ import annotations

import gzip
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MB = 1024 * 1024
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
FILLER_CHUNK = MB  # a bomb is compressed one chunk at a time: never held inflated here
NESTING = 100_000  # elements nested in one another: far beyond libxml2's 256 levels

# Ten levels of ten references: 10^9 copies of "lol" if an entity were ever expanded.
LAUGHS_DTD = "<!DOCTYPE lolz [\n<!ENTITY lol0 \"lol\">\n" + "".join(
    f"<!ENTITY lol{n} \"{('&lol%d;' % (n - 1)) * 10}\">\n" for n in range(1, 10)) + "]>\n"


def story(base: str, n: int) -> str:
    return f"{base}/story/{n}"


def urlset(locs) -> bytes:
    entries = "".join(f"<url><loc>{loc}</loc></url>" for loc in locs)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">{entries}</urlset>'.encode()


def sitemap_index(locs) -> bytes:
    entries = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">{entries}'
            "</sitemapindex>").encode()


def rss(links, doctype: str = "", between: str = "") -> bytes:
    """An RSS feed whose items link to ``links``; ``between`` is written after the first item."""
    items = [f"<item><title>t</title><link>{link}</link></item>" for link in links]
    items.insert(1, between)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}<rss version="2.0"><channel><title>t</title>'
            f'{"".join(items)}</channel></rss>').encode()


def urlset_with(locs, doctype: str = "", between: str = "") -> bytes:
    entries = [f"<url><loc>{loc}</loc></url>" for loc in locs]
    entries.insert(1, between)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}<urlset xmlns="{SITEMAP_NS}">'
            f'{"".join(entries)}</urlset>').encode()


def gzip_bomb(head: bytes, inflated_size: int, tail: bytes) -> bytes:
    """A gzip archive of ``head``, ``inflated_size`` bytes of blanks, ``tail``: about 1/1000 of
    its inflated size (a 256 MB document is a 250 KB download)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # gzip container
    parts = [packer.compress(head)]
    filler = b" " * FILLER_CHUNK
    for _ in range(inflated_size // FILLER_CHUNK):
        parts.append(packer.compress(filler))
    parts += [packer.compress(tail), packer.flush()]
    return b"".join(parts)


def million_url_sitemap(base: str, count: int = 1_000_000) -> bytes:
    """A urlset of ``count`` article URLs, gzipped (about 60 MB inflated)."""
    parts = [f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">'.encode()]
    parts += [f"<url><loc>{base}/story/{n}</loc></url>".encode() for n in range(count)]
    parts.append(b"</urlset>")
    return gzip.compress(b"".join(parts), compresslevel=1)


def nested(depth: int = NESTING) -> str:
    return "<x>" * depth + "</x>" * depth


class HostileSite:
    def __init__(self) -> None:
        self.routes: dict[str, tuple[bytes, dict]] = {}
        self.hits: dict[str, int] = {}
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None

    def add(self, path: str, body: bytes, content_type: str = "application/xml", **headers: str) -> str:
        """Serve ``body`` at ``path``; its URL once the site is started."""
        self.routes[path] = (body, {"Content-Type": content_type, **headers})
        return self.url(path) if self.server is not None else path

    def url(self, path: str) -> str:
        return self.base + path

    def hits_of(self, path: str) -> int:
        with self.lock:
            return self.hits.get(path, 0)

    def start(self) -> "HostileSite":
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                with site.lock:
                    site.hits[self.path] = site.hits.get(self.path, 0) + 1
                body, headers = site.routes.get(self.path, (None, {}))
                if body is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the crawler gave up on it
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
