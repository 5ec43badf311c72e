"""CONCURRENT_REQUESTS_PER_DOMAIN holds: a slow loopback site never sees more requests at once."""

import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # crawls of a slow loopback server

ROOT = Path(__file__).resolve().parent.parent
PAGE = (b"<html><head><title>t</title></head><body><h1>headline</h1>"
        b"<p>A paragraph of body text long enough to be read as the article.</p></body></html>")


class SlowSite(ThreadingHTTPServer):
    """Answers every page after a delay and records the most requests it served at once."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock, self.current, self.peak, self.served = threading.Lock(), 0, 0, 0


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        site = self.server
        with site.lock:
            site.current += 1
            site.peak = max(site.peak, site.current)
        time.sleep(0.4)
        with site.lock:
            site.current -= 1
            site.served += 1
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("limit", [1, 3])
def test_per_domain_limit_is_never_exceeded(tmp_path, limit):
    site = SlowSite()
    threading.Thread(target=site.serve_forever, daemon=True).start()
    try:
        urls = ",".join(f"http://127.0.0.1:{site.server_port}/story/{n}" for n in range(8))
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "generic", "-a", f"urls={urls}",
             "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={limit}", "-s", "ROBOTSTXT_OBEY=False",
             "-s", "AUTOTHROTTLE_ENABLED=False", "-s", f"AKHBAR_DATABASE_URL=sqlite:///{tmp_path / 's.sqlite3'}"],
            cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr[-3000:]
    finally:
        site.shutdown()
    assert site.served == 8
    assert site.peak == limit  # never more, and the allowed concurrency is used
