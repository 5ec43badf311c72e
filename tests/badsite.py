"""A bad-input site on 127.0.0.1: every way a page can go wrong, each with its expected outcome.

`BadSite(corpus_dir).start()` serves, from a threaded ``http.server`` on a free port, a home
page linking to every case below, a robots.txt, a section page, and the cases themselves:
real Youm7 pages read from the shared corpus at run time and transformed (re-encoded,
truncated, given another canonical URL), our own page (tests/pages) and pages written here.
Responses can be delayed (timeouts), fail a given number of times first (503 then 200),
lie about their charset, stream 21 MB without a Content-Length ... Every request is logged
(`requests`: path, User-Agent) so a test can check what was fetched and how often.

`CASES` is the bad-input corpus: for each case, the outcome a crawl must give: ``item`` (a
correct item), ``dropped/<reason>`` (counted once as ``akhbar/dropped/<reason>``), or another
stat named in ``note`` (never fetched: robots.txt, a utm_ variant of an URL already requested).
"""

from __future__ import annotations

import json
import random
import re
import shutil
import ssl
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote

TESTS_DIR = Path(__file__).resolve().parent
OWN_PAGE = TESTS_DIR / "pages" / "www.youm7.com" / "2025-01-05-own-layout.html"
OWN_URL = "https://www.youm7.com/story/2025/1/5/افتتاح-مكتبة-عامة-جديدة-فى-حى-الزيتون/9000001"
OWN_HEADLINE = "افتتاح مكتبة عامة جديدة فى حى الزيتون"
REAL_2024 = "www.youm7.com/2024-05-13-6573469.html"
REAL_2020 = "www.youm7.com/2020-08-24-4943459.html"
MB = 1024 * 1024
BIG = 21 * MB  # over DOWNLOAD_MAXSIZE (20 MiB)
SLOW = 9.0  # seconds a "timeout" response waits: well over the test's DOWNLOAD_TIMEOUT (4 s)
DISALLOWED = "/story/2025/1/5/private/9300030"

# XSS / markup payloads of the "safety" page: none may survive as markup in an item.
XSS_HEADLINE = ('عنوان <script>alert("h")</script> &lt;script&gt;alert(1)&lt;/script&gt; '
                '<img src=x onerror="alert(2)"> &amp; &quot;مقتبس&quot;')
XSS_PARAGRAPHS = [
    'فقرة أولى <script>document.write("x")</script>فيها نص عادى.',
    'فقرة ثانية &lt;img src=x onerror=alert(3)&gt; مكتوبة كنص.',
    'فقرة ثالثة <img src="x" onerror="alert(4)"><b>غامق</b> &#60;script&#62;alert(5)&#60;/script&#62;',
    'فقرة رابعة <iframe src="javascript:alert(6)"></iframe><style>p{color:red}</style>تنتهى هنا.',
    # escaped twice, as a CMS that escapes already escaped text writes it
    'فقرة خامسة &amp;lt;script&amp;gt;alert(9)&amp;lt;/script&amp;gt; &amp;lt;img src=x onerror=alert(10)&amp;gt;مضاعفة.',
]
XSS_CAPTION = 'تعليق <script>alert(7)</script>&lt;b onmouseover=alert(8)&gt;الصورة'


@dataclass
class Case:
    name: str
    path: str  # path and query on the site
    outcome: str  # "item", "dropped/<reason>", or "not_fetched"
    note: str
    hits: int | None = None  # how many requests the server must see for this path (None: any)
    headline: str | None = None  # for "item": the expected headline
    same_as: str | None = None  # another URL of the article of that case: one item for them all
    tls: bool = False  # served by the https:// twin of the site (same routes, another port)
    final_path: str | None = None  # where a redirect leads: the item's URL


def _story(slug: str, n: int, day: str = "2025/1/5") -> str:
    return f"/story/{day}/{quote(slug)}/{9300000 + n}"


CASES = [
    # --- good articles: each gives one correct item --------------------------------------
    Case("real_2024", _story("وزارة-النقل", 1), "item", "real page as served (corpus)", 1),
    Case("real_2020", _story("وزير-الرى", 2), "item", "real page, 2020 layout (corpus)", 1),
    Case("own", _story("مكتبة", 3), "item", "our own page (tests/pages)", 1),
    Case("cp1256_meta", _story("ترميز-ميتا", 4), "item",
         "real page in windows-1256, no charset header, <meta charset=windows-1256>", 1),
    Case("cp1256_undeclared", _story("ترميز-بلا-اعلان", 5), "item",
         "real page in windows-1256, no charset anywhere (Scrapy guesses cp932)", 1),
    Case("header_lies_utf8", _story("ترميز-كاذب", 6), "item",
         "windows-1256 body + meta, header says utf-8 (Scrapy: U+FFFD everywhere)", 1),
    Case("header_lies_latin1", _story("ترميز-لاتيني", 7), "item",
         "windows-1256 body + meta, header says iso-8859-1 (Scrapy: Latin mojibake)", 1),
    Case("truncated_body", _story("مقطوع", 8), "item",
         "real page cut in the middle of the body: the item keeps what arrived", 1),
    Case("retry_503", _story("اعادة", 9), "item", "503 once, then the page (retried)", 2),
    Case("moved", _story("عنوان-قديم", 10), "item",
         "301 to the article's new slug: followed", 1, final_path=_story("عنوان-جديد", 10)),
    Case("xss", _story("امان", 11), "item", "markup and scripts in headline, body, captions", 1),
    # --- the same article under other URLs -----------------------------------------------
    Case("utm", _story("مكتبة", 3) + "?utm_source=facebook&utm_medium=social&fbclid=abc", "not_fetched",
         "utm/fbclid removed before requesting: the same request as `own` (dupefilter)", 0,
         same_as="own"),
    Case("amp", "/amp" + _story("مكتبة", 3), "dropped/duplicate",
         "AMP page whose canonical is `own`", 1, same_as="own"),
    Case("https_variant", _story("مكتبة", 3) + "/", "dropped/duplicate",
         "trailing-slash URL whose canonical is the https:// form of `own`", 1, same_as="own"),
    Case("https", _story("مكتبة", 3), "dropped/duplicate",
         "`own` fetched over https (the same page, canonical http://)", 1, same_as="own", tls=True),
    # --- pages that give no article ------------------------------------------------------
    Case("empty", _story("فارغة", 15), "dropped/empty_page", "200, empty body", 1),
    Case("not_found", _story("غير-موجود", 16), "dropped/http_404", "404", 1),
    Case("gone", _story("محذوف", 17), "dropped/http_410", "410", 1),
    Case("server_error", _story("خطأ", 18), "dropped/http_500", "500 every time, retried", 2),
    Case("unavailable", _story("غير-متاح", 19), "dropped/http_503", "503 every time, retried", 2),
    Case("timeout", _story("بطيء", 20), "dropped/timeout",
         f"answers after {SLOW:.0f} s, retried", 2),
    Case("redirect_home", _story("الى-الرئيسية", 21), "dropped/redirected_off_article",
         "302 to the home page", 1),
    Case("soft_404_en", _story("soft-en", 22), "dropped/soft_404", "200 'Page Not Found'", 1),
    Case("soft_404_ar", _story("soft-ar", 23), "dropped/soft_404",
         "200, Youm7 layout, 'الصفحة المطلوبة غير موجودة'", 1),
    Case("too_large", _story("ضخمة", 24), "dropped/too_large", "21 MB with Content-Length", 1),
    # (hits not checked: on a loaded machine the first attempt may time out and be retried)
    Case("too_large_streamed", _story("ضخمة-متدفقة", 25), "dropped/too_large",
         "21 MB streamed, no Content-Length", None),
    Case("binary_png", _story("صورة", 26), "dropped/not_html", "a PNG served as text/html", 1),
    Case("binary_noise", _story("ضوضاء", 27), "dropped/not_html", "random bytes as text/html", 1),
    Case("video", _story("فيديو", 28), "dropped/no_body", "video page: headline + player, no text", 1),
    Case("gallery", _story("صور", 29), "dropped/no_body",
         "photo gallery: headline + captioned photos, no text", 1),
    Case("robots", DISALLOWED, "not_fetched", "disallowed by robots.txt (robotstxt/forbidden)", 0),
    Case("listing_at_story_url", _story("قائمة", 31), "dropped/no_article_markup",
         "a listing page at an article URL", 1),
    Case("truncated_head", _story("مقطوع-الراس", 32), "dropped/no_body",
         "real page cut inside <head>: a headline from its metadata, no body", 1),
    Case("tag_page", "/Tags/Index?id=5&tag=x", "not_fetched",
         "tag page: not an article URL (akhbar/discovery/skipped_non_article)", 0),
]
SECTION = "/Section/" + quote("أخبار-مصر") + "/97/1"
BROKEN_SECTION = "/Section/" + quote("رياضة") + "/98/1"  # a section page that is gone: 404
SECTION_CASE = Case("from_section", _story("من-القسم", 33), "item",
                    "an article linked only from a section page", 1)
CASES.append(SECTION_CASE)
BY_NAME = {c.name: c for c in CASES}


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict = field(default_factory=dict)
    delay: float = 0.0
    fail_first: int = 0  # answer 503 this many times first
    stream: bool = False  # no Content-Length: write in chunks, then close


def _canonical(html: str) -> str:
    return re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)


def _with_url(html: str, url: str) -> str:
    """A real page claiming another URL: its canonical (and og:url, share links) replaced."""
    return html.replace(_canonical(html), url)


def _own(url: str, headline: str, canonical: str | None = None) -> str:
    html = OWN_PAGE.read_text(encoding="utf-8")
    html = html.replace(OWN_URL, canonical or url).replace(OWN_HEADLINE, headline)
    return html


def _cp1256(html: str, meta: str | None) -> bytes:
    html = re.sub(r'<meta http-equiv="Content-Type" content="charset=utf-8"\s*/?>',
                  meta or "", html, count=1)
    assert "charset=utf-8" not in html
    return html.encode("cp1256", errors="xmlcharrefreplace")


def _page(title: str, inner: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="ar" dir="rtl"><head><meta charset="utf-8">'
            f'<title>{title}</title></head><body>{inner}</body></html>')


class BadSite:
    def __init__(self, corpus_dir: Path) -> None:
        self.corpus_dir = Path(corpus_dir)
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        self.hits: dict[str, int] = {}
        self.server: ThreadingHTTPServer | None = None
        self.tls_server: ThreadingHTTPServer | None = None
        self.routes: dict[str, Route] = {}

    # --- the pages ---------------------------------------------------------------------
    def url(self, path: str) -> str:
        return self.base + path

    def case_url(self, case: Case, path: str | None = None) -> str:
        return (self.tls_base if case.tls else self.base) + unquote(path or case.path)

    def expected(self, name: str) -> dict:
        """The hand-annotated item of a corpus page (expected/<domain>/<name>.json)."""
        file = {"real_2024": REAL_2024, "real_2020": REAL_2020}[name]
        return json.loads((self.corpus_dir / "expected" / file.replace(".html", ".json"))
                          .read_text(encoding="utf-8"))

    def _build(self) -> None:
        real24 = (self.corpus_dir / REAL_2024).read_text(encoding="utf-8")
        real20 = (self.corpus_dir / REAL_2020).read_text(encoding="utf-8")
        R, C = self.routes, BY_NAME
        u = lambda name: self.url(unquote(C[name].path))  # noqa: E731
        R[C["real_2024"].path] = Route(body=_with_url(real24, u("real_2024")).encode())
        C["real_2024"].headline = self.expected("real_2024")["headline"]
        R[C["real_2020"].path] = Route(body=_with_url(real20, u("real_2020")).encode())
        C["real_2020"].headline = self.expected("real_2020")["headline"]
        for name in ("own", "retry_503", "moved", "from_section"):
            C[name].headline = f"{OWN_HEADLINE} {name}"
        R[C["own"].path] = Route(body=_own(u("own"), C["own"].headline).encode())
        R[C["retry_503"].path] = Route(body=_own(u("retry_503"), C["retry_503"].headline).encode(),
                                       fail_first=1)
        R[C["from_section"].path] = Route(body=_own(u("from_section"),
                                                    C["from_section"].headline).encode())
        new_slug = C["moved"].final_path
        R[C["moved"].path] = Route(status=301, headers={"Location": self.url(new_slug)})
        R[new_slug] = Route(body=_own(self.url(unquote(new_slug)), C["moved"].headline).encode())

        # charsets: the real 2024 page, re-encoded
        meta_1256 = '<meta charset="windows-1256">'
        for name, meta, ctype in (
                ("cp1256_meta", meta_1256, "text/html"),
                ("cp1256_undeclared", None, "text/html"),
                ("header_lies_utf8", meta_1256, "text/html; charset=utf-8"),
                ("header_lies_latin1", meta_1256, "text/html; charset=iso-8859-1")):
            R[C[name].path] = Route(body=_cp1256(_with_url(real24, u(name)), meta), content_type=ctype)
            C[name].headline = C["real_2024"].headline

        # truncated: in the middle of the body's second paragraph / inside <head>
        page = _with_url(real24, u("truncated_body")).encode()
        start = page.index(b'id="articleBody"')
        cut = page.index(b"</p>", page.index(b"</p>", start) + 4) - 40
        R[C["truncated_body"].path] = Route(body=page[:cut])
        C["truncated_body"].headline = C["real_2024"].headline
        page = _with_url(real24, u("truncated_head")).encode()
        R[C["truncated_head"].path] = Route(body=page[:page.index(b"</head>") // 2])

        # the same article elsewhere
        R[C["amp"].path] = Route(body=_own(u("amp"), C["own"].headline, canonical=u("own"))
                                 .replace('<html lang="ar"', '<html amp lang="ar"').encode())
        R[C["https_variant"].path] = Route(body=_own(
            u("https_variant"), C["own"].headline,
            canonical=u("own").replace("http://", "https://", 1)).encode())

        # safety: markup in every text field
        xss = OWN_PAGE.read_text(encoding="utf-8").replace(OWN_URL, u("xss"))
        xss = xss.replace(f"\n      {OWN_HEADLINE}\n", XSS_HEADLINE)
        body_start = xss.index('<div id="articleBody">') + len('<div id="articleBody">')
        body_end = xss.index("</div>", body_start)
        xss = (xss[:body_start] + "".join(f"<p>{p}</p>" for p in XSS_PARAGRAPHS)
               + f'<p><img src="https://img.youm7.com/x.jpg"></p><p class="uplCaption">{XSS_CAPTION}</p>'
               + xss[body_end:])
        xss = xss.replace('<span class="img-cap">قاعة القراءة الرئيسية</span>',
                          f'<span class="img-cap">{XSS_CAPTION}</span>')
        R[C["xss"].path] = Route(body=xss.encode())
        # What a reader sees, without the tags (written or escaped): the text layer drops them.
        C["xss"].headline = 'عنوان alert(1) & "مقتبس"'

        # errors
        R[C["empty"].path] = Route(body=b"")
        R[C["not_found"].path] = Route(status=404, body=_page("404", "<h1>404</h1>").encode())
        R[C["gone"].path] = Route(status=410, body=b"gone")
        R[C["server_error"].path] = Route(status=500, body=b"<h1>Internal Server Error</h1>")
        R[C["unavailable"].path] = Route(status=503, body=b"<h1>Service Unavailable</h1>")
        R[C["timeout"].path] = Route(body=_own(u("timeout"), "بطيء").encode(), delay=SLOW)
        R[C["redirect_home"].path] = Route(status=302, headers={"Location": "/"})
        R[C["soft_404_en"].path] = Route(body=_page(
            "Page Not Found", "<h1>Sorry, the page you requested was not found</h1>").encode())
        soft_ar = _own(u("soft_404_ar"), "عذرا، الصفحة المطلوبة غير موجودة")
        soft_ar = re.sub(r"<title>[^<]*</title>", "<title>الصفحة غير موجودة - اليوم السابع</title>", soft_ar)
        R[C["soft_404_ar"].path] = Route(body=soft_ar.encode())
        big = b"<html><body>" + b"<p>" + b"x" * 1000 + b"</p>\n"
        R[C["too_large"].path] = Route(body=big * (BIG // len(big) + 1))
        R[C["too_large_streamed"].path] = Route(body=big * (BIG // len(big) + 1), stream=True)
        rnd = random.Random(5)
        R[C["binary_png"].path] = Route(body=b"\x89PNG\r\n\x1a\n" + rnd.randbytes(20000),
                                        content_type="text/html")
        R[C["binary_noise"].path] = Route(body=rnd.randbytes(30000), content_type="text/html; charset=utf-8")
        video = _page("فيديو: لحظة افتتاح المكتبة - اليوم السابع",
                      '<div class="articleHeader"><h1>فيديو.. لحظة افتتاح المكتبة</h1></div>'
                      '<div class="videoCont"><iframe src="https://www.youtube.com/embed/xyz"></iframe></div>')
        video = video.replace("</head>", '<meta property="og:type" content="video.other"></head>')
        R[C["video"].path] = Route(body=video.encode())
        gallery = _page("صور.. المكتبة الجديدة - اليوم السابع",
                        '<div class="articleHeader"><h1>صور.. المكتبة الجديدة من الداخل</h1></div>'
                        '<div class="gallery">' + "".join(
                            f'<figure><img src="https://img.youm7.com/g/{i}.jpg">'
                            f"<figcaption>صورة رقم {i}</figcaption></figure>" for i in range(1, 6))
                        + "</div>")
        R[C["gallery"].path] = Route(body=gallery.encode())
        listing = _page("أخبار مصر - اليوم السابع", "<ul>" + "".join(
            f'<li><a href="https://www.youm7.com/story/2025/1/{i}/x/{8000000 + i}">خبر {i}</a></li>'
            for i in range(1, 8)) + "</ul>")
        R[C["listing_at_story_url"].path] = Route(body=listing.encode())

        # discovery: home, section, robots.txt, a tag page (never requested)
        links = "".join(f'<a href="{self.tls_base if c.tls else ""}{c.path}">{c.name}</a>\n'
                        for c in CASES if c is not SECTION_CASE)
        R["/"] = Route(body=_page("اليوم السابع", links + f'<a href="{SECTION}">أخبار مصر</a>'
                                  f'<a href="{BROKEN_SECTION}">رياضة</a>').encode())
        R[BROKEN_SECTION] = Route(status=404, body=b"")
        R[SECTION] = Route(body=_page("أخبار مصر", f'<a href="{SECTION_CASE.path}">خبر</a>').encode())
        R["/robots.txt"] = Route(body=f"User-agent: *\nDisallow: {DISALLOWED}\n".encode(),
                                 content_type="text/plain")

    # --- the server --------------------------------------------------------------------
    def start(self) -> "BadSite":
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                key = ("https:" if self.server is site.tls_server else "") + self.path
                with site.lock:
                    site.requests.append({"path": key, "user_agent": self.headers.get("User-Agent")})
                    count = site.hits[key] = site.hits.get(key, 0) + 1
                route = site.routes.get(self.path)
                try:
                    if route is None:
                        self.send_response(404)
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                    if route.delay:
                        time.sleep(route.delay)
                    status = 503 if count <= route.fail_first else route.status
                    self.send_response(status)
                    if route.content_type:
                        self.send_header("Content-Type", route.content_type)
                    for name, value in route.headers.items():
                        self.send_header(name, value)
                    if not route.stream:
                        self.send_header("Content-Length", str(len(route.body)))
                    self.end_headers()
                    for i in range(0, len(route.body), 256 * 1024):
                        self.wfile.write(route.body[i:i + 256 * 1024])
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout, too large): as a real server sees it

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.tls_server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.tls_server.daemon_threads = True
        self.tls_server.socket = _tls_context().wrap_socket(self.tls_server.socket, server_side=True)
        self.tls_base = f"https://127.0.0.1:{self.tls_server.server_address[1]}"
        self._build()
        for server in (self.server, self.tls_server):
            threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        for server in (self.server, self.tls_server):
            if server is not None:
                server.shutdown()
                server.server_close()

    def hits_of(self, path: str, tls: bool = False) -> int:
        with self.lock:
            return self.hits.get(("https:" if tls else "") + path, 0)


def _tls_context() -> ssl.SSLContext:
    """A self-signed certificate for 127.0.0.1 (Scrapy does not verify certificates by default)."""
    from datetime import datetime, timedelta, timezone
    from ipaddress import IPv4Address

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    folder = Path(tempfile.mkdtemp(prefix="badsite-tls-"))
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    shutil.rmtree(folder)
    return context
