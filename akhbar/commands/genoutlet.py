"""`scrapy genoutlet NAME DOMAIN`: the skeleton of a new outlet spider and its test entry.

Writes akhbar/spiders/NAME.py from akhbar/templates/outlet.py.tmpl and a replay manifest
replay/NAME.tsv. With `--page PAGE.html --url URL` (repeatable: one --url per --page) it also
saves each page as a test page of the outlet, tests/pages/<host>/<page>.html, with a DRAFT
expected item, tests/pages/<host>/<page>.json: every SCHEMA field (but the crawl's ``scraped_at``)
as the class-independent reading gives it (the generic spider's reader chain, normalised as
`scrapy extract` does; dates read in ``--timezone`` when it is given), ``outlet`` set to NAME,
and a top-level review marker, the list of the fields still to check:

    "review": ["url", "canonical_url", "outlet", ..., "related"],

A person checks each field by reading the page, corrects the value where it is wrong and removes
the field from ``review``; the data-driven test (tests/test_outlets.py) refuses the file while
``review`` names any field, so a draft never passes as checked. A page the reading cannot take
for an article (NotAnArticle) is reported on stderr and gets the empty expected item instead
(every field empty, every field under review). From the pages and their URLs it also takes:
- the home page on the host the URLs use (``www.`` or not) as the listing page;
- a pattern of the story URLs (``article_url_pattern``), marked in the spider as derived;
- the feeds the pages declare themselves (``<link rel=alternate type=application/rss+xml>``);
  when none is known, the spider says what to declare.

``--fit`` (with pages): the spider's selectors are then fitted (``akhbar.fitting``, as `scrapy
fitspider` does) to the DRAFT items, i.e. to what the class-independent reading found, not to
checked values. The fit is provisional, and says so: in its output, and in a comment above the
spider's ``selectors``. The drafts stay under review (the data-driven test refuses them), and once
they are checked, `scrapy fitspider NAME --write` fits again on the checked values (a selector
fitted to a draft value that was wrong then gives a value the test rejects). Fitting to drafts
rather than refusing: it gives the contributor selectors to start from and to compare with the
page, where a refusal gives nothing until every field of every page is checked.
"""

from __future__ import annotations

import json
import re
import shutil
import string
import sys
from importlib.resources import files
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html
from scrapy.exceptions import UsageError
from scrapy.http import HtmlResponse

from akhbar.cli import ProjectCommand
from akhbar.extraction import NotAnArticle, extract
from akhbar.items import FIELDS, LIST_FIELDS
from akhbar.pipelines import normalize_item, validation_problem
from akhbar.replay import PROJECT_ROOT
from akhbar.spiders.generic import GenericSpider
from akhbar.urls import strip_tracking

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_DEFAULT_TIMEZONE = "UTC"

# The pattern written when no story URL is given: a guess the spider's comment says to replace.
_UNKNOWN_ARTICLE_URL = r"^/\S+/\d+"
# The replay manifest's columns (akhbar/replay.py) and what a saved HTML page is served as.
_MANIFEST_HEADER = "url\tsource\tstatus\tcontent_type\n"
_PAGE_STATUS = 200
_PAGE_CONTENT_TYPE = "text/html; charset=utf-8"
# Fields of the expected item never written by hand: the crawl's own clock.
_NOT_EXPECTED = ("scraped_at",)
# The expected item's review marker: the top-level list of the fields a person has not checked yet
# (tests/test_outlets.py refuses an expected item while it names any).
REVIEW_KEY = "review"
EXPECTED_FIELDS = tuple(field for field in FIELDS if field not in _NOT_EXPECTED)
_PROVISIONAL_COMMENT = ("    # PROVISIONAL: fitted by `scrapy genoutlet --fit` to the draft expected items (the\n"
                        "    # class-independent reading, not checked). Check the drafts, then fit again:\n"
                        "    # `scrapy fitspider {name} --write`.\n")
_DRAFT_NOTE = ("DRAFT read by the class-independent reading, not checked: check each field named in "
               "`review` by reading the page, correct its value where it is wrong, then remove it from "
               "`review` (the test refuses this file while `review` names a field).")
_EMPTY_NOTE = "TODO: write every field by reading the page, never from the program's output."
REPAIR_NOTE = ("DRAFT from `scrapy repair`: the spider's reading of the page, the fields its selectors no longer "
               "give read by a fallback; not checked: check each field named in `review` by reading the page.")
# Feed types a page declares with <link rel=alternate type=...>.
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")

# Pieces of a story URL's path segment, and how each is generalised.
_PLAIN_WORD = re.compile(r"[A-Za-z_]+")  # a fixed part of the path: article, news, story, Details
_YEAR = re.compile(r"(?:19|20)\d{2}")
_SHORT_NUMBER_DIGITS = 2  # a month or a day in the path: 5, 05, 13
_DATE_PARTS_AFTER_YEAR = 2  # /2024/5/13/: month and day
_YEAR_PATTERN = r"\d{4}"
_DATE_PART_PATTERN = r"\d{1,2}"
# Story ids are long numbers; a one- or two-digit one at a slug's edge is a word of its title
# (36-years-...).
_ID_MIN_DIGITS = 3
_FILE_EXTENSION = re.compile(r"\.(?:s?html?|php\d?|aspx?|jsp|cms)$", re.IGNORECASE)
_TOKENS = re.compile(r"\d+|[-_.~,+]|[^-_.~,+\d]+")
_SEPARATOR = re.compile(r"[-_.~,+]")
_ANY_SEGMENT = r"[^/]+"


class Command(ProjectCommand):

    def syntax(self) -> str:
        return ("NAME DOMAIN [--timezone ZONE] [--country CC] "
                "[--page PAGE.html --url URL [--page PAGE2.html --url URL2 ...]]")

    def short_desc(self) -> str:
        return "Write the skeleton of a new outlet spider and its test entry"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--timezone", help="IANA zone the outlet prints dates in (default UTC)")
        parser.add_argument("--country", help="ISO 3166 country code of the outlet")
        parser.add_argument("--page", action="append", default=[],
                            help="a saved article page of the outlet, to become a test page (repeatable)")
        parser.add_argument("--url", action="append", default=[],
                            help="the URL the page was fetched from (one per --page, in the same order)")
        parser.add_argument("--root", default=str(PROJECT_ROOT), help="project root to write into")
        parser.add_argument("--fit", action="store_true",
                            help="fit the spider's selectors to the draft items (provisional: fit again "
                                 "with `scrapy fitspider NAME --write` once the drafts are checked)")

    def run(self, args: list[str], opts) -> None:
        if len(args) != 2:
            raise UsageError("give NAME and DOMAIN")
        name, given_host = args[0], args[1].lower().rstrip(".")
        domain = given_host.removeprefix("www.")
        if not _NAME.match(name):
            raise UsageError(f"NAME {name!r}: lower-case letters, digits and _ (a Python module name)")
        if len(opts.page) != len(opts.url):
            raise UsageError("--page and --url go together: one --url for each --page")
        pages = [(Path(page), url) for page, url in zip(opts.page, opts.url)]
        if len({page.name for page, _ in pages}) != len(pages):
            raise UsageError("two --page files have the same name: they would be one test page")
        for page, url in pages:
            if not page.is_file():
                raise UsageError(f"--page {page}: no such file")
            if not _on_domain(urlsplit(url).hostname or "", domain):
                raise UsageError(f"--url {url}: not on {domain}")
        root = Path(opts.root)
        spider_file = root / "akhbar" / "spiders" / f"{name}.py"
        if spider_file.exists():
            self.fail(f"{spider_file} exists already")
            return
        if opts.fit and not pages:
            raise UsageError("--fit needs pages (--page and --url) to fit on")
        urls = [url for _, url in pages]
        spider_file.parent.mkdir(parents=True, exist_ok=True)
        template = string.Template(files("akhbar").joinpath("templates/outlet.py.tmpl").read_text("utf-8"))
        spider_file.write_text(template.substitute(
            name=name, domain=domain, title=name.replace("_", " ").title(),
            class_name="".join(part.title() for part in name.split("_")),
            country=json.dumps(opts.country.upper()) if opts.country else "None",
            country_comment=opts.country.upper() if opts.country else "country unknown",
            timezone=opts.timezone or _DEFAULT_TIMEZONE, home=home_page(urls, given_host),
            feeds=_feeds_lines(declared_feeds(pages), bool(pages)),
            **_article_url_fields(urls),
        ), encoding="utf-8")
        written = [spider_file]
        manifest_rows = []
        drafts: list[tuple[str, bytes, dict, str]] = []  # (url, page, draft, name) of the readable pages
        for page, url in pages:
            host = urlsplit(url).hostname
            target = root / "tests" / "pages" / host / page.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(page, target)
            file = f"{host}/{page.name}"
            try:
                expected = draft_expected_item(name, url, file, page.read_bytes(), opts.timezone)
            except NotAnArticle as error:
                sys.stderr.write(f"{page}: not an article to the class-independent reading ({error.reason}): "
                                 f"its expected item is left empty, every field to write by reading the page\n")
                expected = empty_expected_item(name, url, file)
            else:
                drafts.append((url, page.read_bytes(), expected, page.name))
                if problem := validation_problem(expected):
                    sys.stderr.write(f"{page}: the class-independent reading found {problem.replace('_', ' ')}"
                                     f": write it in the draft by reading the page\n")
            target.with_suffix(".json").write_text(expected_item_json(expected), encoding="utf-8")
            written += [target, target.with_suffix(".json")]
            manifest_rows.append("\t".join((url, f"../tests/pages/{host}/{page.name}", str(_PAGE_STATUS),
                                            _PAGE_CONTENT_TYPE)) + "\n")
        manifest = root / "replay" / f"{name}.tsv"
        if not manifest.exists():
            manifest.parent.mkdir(parents=True, exist_ok=True)
            manifest.write_text(f"# Offline replay of the {name} spider (see akhbar/replay.py).\n"
                                + _MANIFEST_HEADER + "".join(manifest_rows), encoding="utf-8")
            written.append(manifest)
        for path in written:
            sys.stdout.write(f"wrote {path}\n")
        if opts.fit:
            self._fit_to_drafts(spider_file, name, drafts)

    def _fit_to_drafts(self, spider_file: Path, name: str, drafts: list) -> None:
        """Fit the new spider's selectors to the draft items (provisional: said so)."""
        from akhbar.commands.fitspider import spider_in_file
        from akhbar.fitting import FITTED_FIELDS, Sample, fit, fitted_selectors, rewrite_selectors

        if not drafts:
            self.fail("--fit: no page the reading takes for an article: nothing to fit on")
            return
        spider = spider_in_file(spider_file, name)
        samples = [Sample(url=url, body=body, name=page_name,
                          expected={k: v for k, v in draft.items() if k != REVIEW_KEY})
                   for url, body, draft, page_name in drafts]
        results = fit(spider, samples)
        source = spider_file.read_text(encoding="utf-8")
        source = rewrite_selectors(source, spider.__name__, fitted_selectors(spider, results))
        source = source.replace("    selectors = {\n", provisional_comment(name) + "    selectors = {\n", 1)
        spider_file.write_text(source, encoding="utf-8")
        out = sys.stdout
        out.write(f"PROVISIONAL: {name}'s selectors fitted to the DRAFT items (the class-independent "
                  f"reading, not checked) of {len(samples)} page(s); check the drafts, then "
                  f"`scrapy fitspider {name} --write`\n")
        for key in FITTED_FIELDS:
            result = results[key]
            if result.selectors:
                out.write(f"  {key}: {json.dumps(result.selectors, ensure_ascii=False)}\n")
            else:
                out.write(f"  {key}: not fitted ({result.reason})\n")


def provisional_comment(name: str) -> str:
    """The comment --fit writes above the selectors (`scrapy fitspider --write` removes it)."""
    return _PROVISIONAL_COMMENT.format(name=name)


def empty_expected_item(outlet: str, url: str, file: str) -> dict:
    """The expected item of a test page before anyone read it: every SCHEMA field (but the
    crawl's clock), empty, and every one under review, so the data-driven test fails until a
    person writes them."""
    expected: dict = {REVIEW_KEY: list(EXPECTED_FIELDS), "file": file, "url": url}
    for field in EXPECTED_FIELDS:
        if field not in expected:
            expected[field] = [] if field in LIST_FIELDS else None
    expected.update(outlet=outlet, language="ar", ambiguous=[], notes=_EMPTY_NOTE)
    return expected


def draft_expected_item(outlet: str, url: str, file: str, page: bytes, timezone: str | None = None) -> dict:
    """The draft expected item of a saved page: every SCHEMA field (but the crawl's clock) as
    the class-independent reading gives it (the generic spider: metadata, then the reading of
    the page's structure and text, no selectors), normalised as `scrapy extract` does, with
    ``outlet`` set to the new spider's name and every field under review (``REVIEW_KEY``).

    ``timezone``: the outlet's zone when the contributor gave it (printed dates are read on
    that clock, as the new spider will); None leaves the generic spider's guess (the page's
    metadata offset, else UTC). Raises NotAnArticle when the reading takes the page for none."""
    response = HtmlResponse(url=url, body=page, headers={"Content-Type": "text/html"})
    item = normalize_item(extract(response, _draft_reader(timezone)).item)
    expected: dict = {REVIEW_KEY: list(EXPECTED_FIELDS), "file": file}
    expected.update((field, item[field]) for field in EXPECTED_FIELDS)
    expected.update(url=url, outlet=outlet, ambiguous=[], notes=_DRAFT_NOTE)
    return expected


def expected_item_json(expected: dict) -> str:
    """The expected item as its file holds it: one field a line (indent 1, as the corpus's
    expected items), the review marker on one line, so checking a field is deleting one word."""
    review = expected.get(REVIEW_KEY)
    rest = {key: value for key, value in expected.items() if key != REVIEW_KEY}
    text = json.dumps(rest, ensure_ascii=False, indent=1)
    if review is None:
        return text + "\n"
    return "{\n " + json.dumps(REVIEW_KEY) + ": " + json.dumps(review) + ",\n" + text.removeprefix("{\n") + "\n"


def _draft_reader(timezone: str | None) -> type[GenericSpider]:
    """The generic spider, on the outlet's own clock when the contributor named it."""
    if timezone is None:
        return GenericSpider
    return type("DraftReader", (GenericSpider,), {"timezone": timezone, "timezone_from_metadata": False})


def home_page(urls: list[str], given_host: str) -> str:
    """The outlet's home page on the scheme and host its story URLs use (``www.`` or not: a
    listing page on the other host is often a redirect the crawl never follows); the host as
    given on the command line when there is no URL."""
    for url in urls:
        parts = urlsplit(url)
        if parts.hostname:
            return f"{parts.scheme or 'https'}://{parts.hostname}/"
    return f"https://{given_host}/"


def declared_feeds(pages: list[tuple[Path, str]]) -> list[str]:
    """The RSS / Atom feeds the saved pages declare (``<link rel=alternate type=...>``), absolute,
    once each, in page order. A page's own feed (its comments: a URL under the page's own) lists
    no stories, so it is left out."""
    feeds: dict[str, None] = {}
    for page, url in pages:
        try:
            tree = lxml_html.fromstring(page.read_bytes())
        except (ValueError, etree.ParserError):
            continue
        base = url
        for element in tree.iter("base"):
            if element.get("href"):
                base = urljoin(url, element.get("href").strip())
                break
        own = url.rstrip("/") + "/"
        for link in tree.iter("link"):
            rel = (link.get("rel") or "").lower().split()
            kind = (link.get("type") or "").lower().split(";")[0].strip()
            href = (link.get("href") or "").strip()
            if "alternate" not in rel or kind not in _FEED_TYPES or not href:
                continue
            feed = urljoin(base, href)
            if urlsplit(feed).scheme in ("http", "https") and not feed.startswith(own):
                feeds.setdefault(feed, None)
    return list(feeds)


def _feeds_lines(feeds: list[str], had_pages: bool) -> str:
    """The spider's ``feeds`` declaration: the feeds the pages declare, or what to declare."""
    if feeds:
        listed = "".join(f"        {json.dumps(feed, ensure_ascii=False)},\n" for feed in feeds)
        return ("    # Declared by the saved page(s) themselves (<link rel=alternate>): check each lists the\n"
                "    # outlet's stories (not one section's only, not comments).\n"
                f"    feeds = [\n{listed}    ]")
    found = "the saved pages declare none" if had_pages else "no page was given"
    return ("    # RSS / Atom feeds of the outlet. None is known offline (" + found + "). Declare:\n"
            "    # - the feeds the outlet's pages name in their <head>:\n"
            "    #   <link rel=\"alternate\" type=\"application/rss+xml\" href=...>;\n"
            "    # - without any, the outlet's robots.txt in `sitemaps` (the sitemaps it lists are read\n"
            "    #   at crawl time);\n"
            "    # - and keep the home page in `listing_pages`.\n"
            "    feeds: list[str] = []")


def _article_url_fields(urls: list[str]) -> dict[str, str]:
    pattern = article_url_pattern(urls)
    if pattern is None:
        return {"article_url": _UNKNOWN_ARTICLE_URL,
                "article_url_comment": "    # A guess (no story URL was given): write the pattern of the outlet's story URLs."}
    return {"article_url": pattern,
            "article_url_comment": "    # Derived from the URL(s) given to genoutlet, not checked: test it on more of the\n"
                                   "    # outlet's story URLs (other sections, other days) and widen it where they differ."}


def article_url_pattern(urls: list[str]) -> str | None:
    """A regex of story URLs like the given ones (searched in path + query, as ``article_url`` is):
    ids become ``\\d+``, a date in the path ``\\d{4}/\\d{1,2}/\\d{1,2}``, slugs ``[^/]+``; a plain
    word (``article``, ``news``) stays as written, unless the URLs differ there. None when no URL
    has a path to learn from.

    ``/article/123-some-slug`` -> ``^/article/\\d+-[^/]+/?$``;
    ``/news/2024/05/13/slug`` -> ``^/news/\\d{4}/\\d{1,2}/\\d{1,2}/[^/]+/?$``."""
    shapes: dict[int, list[tuple[list[str], str]]] = {}  # segment count -> (segments, query) per URL
    for url in urls:
        parts = urlsplit(strip_tracking(url))  # utm_source and the like are no part of a story's URL
        segments = [s for s in parts.path.split("/") if s]
        if segments:
            shapes.setdefault(len(segments), []).append((segments, parts.query))
    if not shapes:
        return None
    alternatives = list(dict.fromkeys(_shape_pattern(group) for _, group in sorted(shapes.items())))
    if len(alternatives) == 1:
        return f"^{alternatives[0]}$"
    return "^(?:" + "|".join(alternatives) + ")$"


def _shape_pattern(group: list[tuple[list[str], str]]) -> str:
    """The pattern of URLs with the same number of path segments."""
    out: list[str] = []
    prefix = True  # every segment so far fixed text (no id, date or slug yet)
    date_parts = 0  # month and day still expected after a year
    for position in range(len(group[0][0])):
        raw = {segments[position] for segments, _ in group}
        text = next(iter(raw))
        if len(group) > 1 and len(raw) == 1 and not any(c.isdigit() for c in text):
            pattern = _literal(text)  # the same text in every URL given: fixed
        else:
            patterns = {_segment_pattern(segments[position], prefix, date_parts > 0) for segments, _ in group}
            pattern = patterns.pop() if len(patterns) == 1 else _covering(patterns, raw)
        if pattern == _YEAR_PATTERN:
            date_parts = _DATE_PARTS_AFTER_YEAR
        elif pattern == _DATE_PART_PATTERN:
            date_parts -= 1
        prefix = prefix and pattern == _literal(unquote(text))
        out.append(pattern)
    path = "/" + "/".join(out)
    queries = {_query_pattern(query) for _, query in group}
    if len(queries) == 1 and (query := queries.pop()):
        return path + query
    return path + "/?" + ("(?:\\?.*)?" if any(q for _, q in group) else "")


def _covering(patterns: set[str], segments: set[str]) -> str:
    """Of the patterns of one position's segments, the one matching every segment there (an
    ``\\d+-[^/]+`` covers the ``\\d+-[^/]+-\\d{4}`` of a slug ending in a year), else any segment."""
    texts = [unquote(segment) for segment in segments]
    covering = [p for p in patterns if all(re.fullmatch(p, text) for text in texts)]
    return min(covering, key=len) if covering else _ANY_SEGMENT


def _segment_pattern(segment: str, prefix: bool, in_date: bool) -> str:
    """One path segment of a story URL, generalised. ``prefix``: no variable segment comes
    before it (a plain word there, ``article``, ``news``, is fixed; after an id or a date it is
    the story's own slug); ``in_date``: a year came just before (a short number is its month
    or day)."""
    segment = unquote(segment)  # an encoded Arabic slug is letters, not digits (%D9%85)
    if segment.isdigit():
        if _YEAR.fullmatch(segment):
            return _YEAR_PATTERN
        if in_date and len(segment) <= _SHORT_NUMBER_DIGITS:
            return _DATE_PART_PATTERN
        return r"\d+"
    extension = _FILE_EXTENSION.search(segment)
    stem = segment[:extension.start()] if extension else segment
    suffix = _literal(extension.group()) if extension else ""
    if _PLAIN_WORD.fullmatch(stem):
        return _literal(stem) + suffix if prefix else _ANY_SEGMENT + suffix
    tokens = _TOKENS.findall(stem)
    if not any(t.isdigit() for t in tokens):
        return _ANY_SEGMENT + suffix  # a slug
    if all(t.isdigit() or _SEPARATOR.fullmatch(t) for t in tokens):
        return "".join(_number_pattern(t) if t.isdigit() else _literal(t) for t in tokens) + suffix
    # digits and words: an id before or after a slug (123456-some-slug, some-slug-123456), told
    # apart from the slug by a separator
    head: list[str] = []
    while tokens and (_is_id(tokens[0]) or (head and _SEPARATOR.fullmatch(tokens[0]))):
        head.append(tokens.pop(0))
    while head and not _SEPARATOR.fullmatch(head[-1]):
        tokens.insert(0, head.pop())
    tail: list[str] = []
    while tokens and (_is_id(tokens[-1]) or (tail and _SEPARATOR.fullmatch(tokens[-1]))):
        tail.insert(0, tokens.pop())
    while tail and not _SEPARATOR.fullmatch(tail[0]):
        tokens.append(tail.pop(0))
    if not head and not tail:
        return _ANY_SEGMENT + suffix
    pieces = [_number_pattern(t) if t.isdigit() else _literal(t) for t in head]
    if tokens:
        pieces.append(_ANY_SEGMENT)
    pieces += [_number_pattern(t) if t.isdigit() else _literal(t) for t in tail]
    return "".join(pieces) + suffix


def _is_id(token: str) -> bool:
    return token.isdigit() and len(token) >= _ID_MIN_DIGITS


def _literal(text: str) -> str:
    """``text`` as a regex; ``-`` left as is (escaped by re.escape, needlessly outside a class)."""
    return re.escape(text).replace("\\-", "-")


def _number_pattern(digits: str) -> str:
    if _YEAR.fullmatch(digits):
        return _YEAR_PATTERN
    if len(digits) <= _SHORT_NUMBER_DIGITS:
        return _DATE_PART_PATTERN
    return r"\d+"


def _query_pattern(query: str) -> str:
    """``?id=123&cat=5`` -> ``\\?id=\\d+&cat=\\d+`` (names kept, values generalised); "" for none."""
    pairs = parse_qsl(query, keep_blank_values=True)
    if not pairs:
        return ""
    return r"\?" + "&".join(_literal(key) + "=" + (r"\d+" if value.isdigit() else "[^&]*")
                            for key, value in pairs)


def _on_domain(host: str, domain: str) -> bool:
    host = host.lower().rstrip(".")
    return host == domain or host.endswith("." + domain)
