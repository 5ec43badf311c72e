"""Page guards (akhbar/extraction/guards.py), tracking parameters and article identity
(akhbar/urls.py), and the failure -> reason mapping of article requests (base spider)."""

import pytest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from akhbar.extraction import NotAnArticle, extract_article
from akhbar.extraction.guards import better_encoding, byte_problem, is_soft_404
from akhbar.spiders.base import failure_reason
from akhbar.spiders.youm7 import Youm7Spider
from akhbar.urls import article_identity, strip_tracking

ARABIC = "افتتحت محافظة القاهرة اليوم مكتبة عامة جديدة فى حى الزيتون تضم قاعات للقراءة"


def page(meta: str = "") -> str:
    return (f"<!DOCTYPE html><html><head>{meta}<title>خبر</title></head>"
            f"<body><h1>عنوان الخبر</h1><p>{ARABIC}</p></body></html>")


def response(body: bytes, content_type: str = "text/html") -> HtmlResponse:
    return HtmlResponse("https://www.youm7.com/story/2025/1/5/x/1", body=body,
                        headers={"Content-Type": content_type})


def decoded(body: bytes, content_type: str = "text/html") -> str:
    r = response(body, content_type)
    encoding = better_encoding(r)
    return (r.replace(encoding=encoding) if encoding else r).text


@pytest.mark.parametrize("meta, content_type", [
    ("", "text/html"),  # nothing declared: Scrapy guesses (cp932 / cp1252)
    ('<meta charset="windows-1256">', "text/html"),
    ('<meta charset="windows-1256">', "text/html; charset=utf-8"),  # header lies, decoding fails
    ('<meta charset="windows-1256">', "text/html; charset=iso-8859-1"),  # header lies, decodes
    ("", "text/html; charset=iso-8859-1"),  # a server default, nothing else
    ('<meta charset="utf-8">', "text/html"),  # meta lies
])
def test_windows_1256_pages_are_read_as_arabic_whatever_they_declare(meta, content_type):
    assert ARABIC in decoded(page(meta).encode("cp1256"), content_type)


@pytest.mark.parametrize("content_type", ["text/html", "text/html; charset=windows-1256",
                                          "text/html; charset=iso-8859-1"])
def test_utf8_pages_stay_utf8(content_type):
    assert ARABIC in decoded(page('<meta charset="utf-8">').encode("utf-8"), content_type)
    assert ARABIC in decoded(page().encode("utf-8"), content_type)


def test_a_true_declaration_is_kept():
    body = page('<meta charset="windows-1256">').encode("cp1256")
    assert better_encoding(response(body, "text/html; charset=windows-1256")) is None
    assert better_encoding(response(page().encode("utf-8"), "text/html; charset=utf-8")) is None
    bom = "\ufeff".encode("utf-8") + page().encode("utf-8")
    assert better_encoding(response(bom, "text/html; charset=iso-8859-1")) is None


def test_byte_problems():
    assert byte_problem(b"") == "empty_page"
    assert byte_problem(b" \r\n\t ") == "empty_page"
    assert byte_problem(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50) == "not_html"
    assert byte_problem(bytes(range(256)) * 20) == "not_html"
    assert byte_problem(page().encode("utf-8")) is None
    assert byte_problem(page().encode("utf-16")) is None  # a BOM: text with NUL bytes


@pytest.mark.parametrize("title, h1, soft", [
    ("Page Not Found", "", True),
    ("404", "", True),
    ("Error 404 - Youm7", "", True),
    ("الصفحة غير موجودة - اليوم السابع", "", True),
    ("اليوم السابع", "عذرا، الصفحة المطلوبة غير موجودة", True),
    ("اليوم السابع", "لم يتم العثور على الصفحة", True),
    ("ارتفاع عدد المصابين إلى 404 حالات", "ارتفاع عدد المصابين إلى 404 حالات", False),
    ("404 حالة شفاء جديدة", "404 حالة شفاء جديدة", False),
    ("وزير الرى يشهد توقيع عقد", "وزير الرى يشهد توقيع عقد", False),
])
def test_soft_404(title, h1, soft):
    from parsel import Selector

    html = f"<html><head><title>{title}</title></head><body><h1>{h1}</h1><p>نص</p></body></html>"
    assert is_soft_404(Selector(text=html)) is soft


def test_extraction_names_the_reason():
    spider = Youm7Spider()
    for body, content_type, reason in [
        (b"", "text/html", "empty_page"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10, "text/html", "not_html"),
        ("<html><head><title>الصفحة غير موجودة</title></head><body></body></html>".encode(),
         "text/html; charset=utf-8", "soft_404"),
    ]:
        with pytest.raises(NotAnArticle) as refused:
            extract_article(response(body, content_type), spider)
        assert refused.value.reason == reason
    with pytest.raises(NotAnArticle) as refused:
        extract_article(Response("https://www.youm7.com/x", body=b"\x00\x01binary"), spider)
    assert refused.value.reason == "not_html"


def test_tracking_parameters_are_removed_and_nothing_else():
    assert strip_tracking("https://a.example/s/1?utm_source=fb&id=3&fbclid=z&gclid=q") == \
        "https://a.example/s/1?id=3"
    assert strip_tracking("https://a.example/s/1?utm_medium=x") == "https://a.example/s/1"
    untouched = "https://a.example/s/%D8%A8/1?b=2&a=1#frag"
    assert strip_tracking(untouched) == untouched


def test_article_identity_joins_the_variants_of_one_url():
    forms = ["https://www.youm7.com/story/2024/5/13/وزارة/6573469",
             "http://www.youm7.com/story/2024/5/13/%D9%88%D8%B2%D8%A7%D8%B1%D8%A9/6573469/",
             "https://WWW.YOUM7.COM/story/2024/5/13/وزارة/6573469?utm_source=x#top"]
    assert len({article_identity(u) for u in forms}) == 1
    assert article_identity(forms[0]) != article_identity(forms[0].replace("6573469", "6573470"))


def _failure(error: Exception) -> Failure:
    try:
        raise error
    except Exception:  # noqa: BLE001
        return Failure()


def test_each_download_failure_has_its_reason():
    from scrapy.exceptions import (DownloadCancelledError, DownloadTimeoutError, IgnoreRequest)
    from twisted.internet.error import DNSLookupError, TCPTimedOutError

    request = Request("https://www.youm7.com/story/2025/1/5/x/1")
    for status in (404, 410, 500, 503):
        error = HttpError(Response(request.url, status=status, request=request), "ignored")
        assert failure_reason(_failure(error)) == f"http_{status}"
    assert failure_reason(_failure(DownloadTimeoutError("slow"))) == "timeout"
    assert failure_reason(_failure(TCPTimedOutError())) == "timeout"
    assert failure_reason(_failure(DownloadCancelledError("over DOWNLOAD_MAXSIZE"))) == "too_large"
    assert failure_reason(_failure(DNSLookupError())) == "dns_error"
    assert failure_reason(_failure(ValueError("anything else"))) == "download_error"
    assert failure_reason(_failure(IgnoreRequest("robots.txt"))) is None  # counted where raised


def test_an_extraction_bug_on_one_page_is_counted_and_the_crawl_goes_on(monkeypatch):
    from scrapy.utils.test import get_crawler

    import akhbar.spiders.base as base

    crawler = get_crawler(Youm7Spider)
    spider = Youm7Spider.from_crawler(crawler, follow="0")
    crawler.spider = spider

    def broken(response, spider):
        raise RuntimeError("a bug")

    monkeypatch.setattr(base, "extract", broken)
    request = Request("https://www.youm7.com/story/2025/1/5/x/1", meta={"akhbar_hops": 0})
    page = HtmlResponse(request.url, body=b"<html><body><h1>x</h1></body></html>", request=request)
    assert list(spider.parse_article(page)) == []
    assert crawler.stats.get_value("akhbar/dropped/extraction_error") == 1
