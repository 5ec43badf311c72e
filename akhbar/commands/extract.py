"""`scrapy extract PAGE.html --url URL [--spider NAME]`: the item of one saved page, as JSON.

Runs the extraction of the spider for the URL's domain (or the one named; the generic spider
when no spider covers the domain) and the normalise/validate pipelines on a saved page, and
prints the item as one JSON object.
``--sources``: also say on stderr, per field, which link of its reader chain gave it (the
spider's selectors, metadata, the class-independent reading) and which of the spider's selectors
no longer match the page (the fields a crawl counts as ``akhbar/fallback/<field>``).
Exit status 1, with the reason on stderr, when the page is not an article; 2 when ``--url`` is
not an http(s) URL (the URL decides the spider, the page's date and its relative links).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

from akhbar.cli import ProjectCommand
from scrapy.exceptions import UsageError
from scrapy.http import HtmlResponse

from akhbar import registry
from akhbar.extraction import NotAnArticle, extract
from akhbar.pipelines import normalize_item, validation_problem


EXIT_USAGE = 2  # as Scrapy's own usage errors


def is_http_url(text: str) -> bool:
    try:
        parts = urlsplit(text.strip())
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # an invalid IPv6 host, an invalid port
        return False


class Command(ProjectCommand):

    def syntax(self) -> str:
        return "PAGE.html --url URL [--spider NAME] [--sources]"

    def short_desc(self) -> str:
        return "Extract the article item of a saved page and print it as JSON"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--url", required=True, help="the URL the page was fetched from")
        parser.add_argument("--spider", help="spider to use (default: the one for the URL's domain, "
                                             "else the generic spider)")
        parser.add_argument("--sources", action="store_true",
                            help="say on stderr which reader gave each field, and the stale selectors")

    def run(self, args: list[str], opts) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one saved page")
        if not is_http_url(opts.url):
            self.fail(f"--url {opts.url!r} is not an http(s) URL (the address the page was fetched from)")
            self.exitcode = EXIT_USAGE
            return
        page = Path(args[0])
        if not page.is_file():
            self.fail(f"no such file: {page}")
            return
        try:
            spider = registry.spider_by_name(opts.spider) if opts.spider else registry.spider_or_generic(opts.url)
        except KeyError:
            self.fail(f"no spider named {opts.spider!r} (see `scrapy list`)")
            return
        response = HtmlResponse(url=opts.url, body=page.read_bytes())
        try:
            extracted = extract(response, spider)
            item = normalize_item(extracted.item)
        except NotAnArticle as error:
            self.fail(f"not an article ({error.reason}): {page}")
            return
        problem = validation_problem(item)
        if problem:
            self.fail(f"not an article ({problem}): {page}")
            return
        json.dump(dict(item), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        if opts.sources:
            for field, source in extracted.sources.items():
                sys.stderr.write(f"{field}: {source}\n")
            if extracted.fallbacks:
                sys.stderr.write(f"{spider.name}: selectors no longer matching: {', '.join(extracted.fallbacks)}\n")

