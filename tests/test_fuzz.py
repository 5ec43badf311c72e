"""Fuzzing the extraction and the Arabic text layer (hypothesis), from real pages.

Pages: the project's own pages (``tests/pages``, ``tests/pages_generic``) and, when the shared
corpus is there, its real article and listing pages (read at test time, never copied). Each
example mutates one page - element deleted / duplicated / wrapped, the document cut at a random
byte, thousands of unclosed or nested levels, a 1 MB text node, random Unicode (bidi controls,
presentation forms, combining marks, astral characters, NUL) - re-encodes it (UTF-16,
windows-1256, a charset that lies) and extracts it with the page's spider and the generic one.

Properties: ``extract_article`` returns an Article that ``normalize_item`` accepts with every
field typed as SCHEMA.md says, or raises ``NotAnArticle`` with a reason; never anything else;
each page in under ``AKHBAR_FUZZ_MAX_SECONDS`` (5 s). The text layer (``clean_text``,
``search_key``, ``parse_opening/closing/source``, ``parse_byline``, ``parse_date``,
``parse_metadata_date``) never raises on any text, returns its declared types, and gives no
invisible/bidi characters or tatweel; ``clean_text`` is idempotent.

Bounded for CI: ``AKHBAR_FUZZ_EXAMPLES`` examples per test (default 30), derandomized (the same
examples on every run). A longer, random run (see the README's "Fuzzing")::

    AKHBAR_FUZZ_EXAMPLES=5000 AKHBAR_FUZZ_RANDOM=1 .venv/bin/pytest tests/test_fuzz.py

The time distribution and the outcomes are printed at the end of the module (and written as JSON
to ``AKHBAR_FUZZ_REPORT`` when set).
"""

from __future__ import annotations

import json
import os
import re
import statistics
import time
from collections import Counter
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, assume, given, note, settings
from hypothesis import strategies as st

from shared import CORPUS_DIR, require_shared

os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "akhbar.settings")

from lxml import etree  # noqa: E402
from lxml import html as lxml_html  # noqa: E402
from scrapy.http import HtmlResponse  # noqa: E402
from w3lib.encoding import html_to_unicode  # noqa: E402

from akhbar.extraction import NotAnArticle, extract_article  # noqa: E402
from akhbar.items import FIELDS, LIST_FIELDS, Article  # noqa: E402
from akhbar.pipelines import normalize_item, validation_problem  # noqa: E402
from akhbar.text import (Attribution, ParsedDate, clean_text, parse_byline, parse_closing,  # noqa: E402
                         parse_date, parse_metadata_date, parse_opening, parse_source, search_key)

HERE = Path(__file__).resolve().parent
EXAMPLES = int(os.environ.get("AKHBAR_FUZZ_EXAMPLES") or 30)
MAX_SECONDS = float(os.environ.get("AKHBAR_FUZZ_MAX_SECONDS") or 5.0)
RANDOM = os.environ.get("AKHBAR_FUZZ_RANDOM") == "1"
# Shrinking a failing page can take many minutes: off unless asked for (the failing example is
# printed whole either way, with the @reproduce_failure blob to replay it).
SHRINK = os.environ.get("AKHBAR_FUZZ_SHRINK") == "1"

fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,  # time is measured and bounded below, not by hypothesis' per-example deadline
    derandomize=not RANDOM,
    database=None,  # nothing written into the working tree
    print_blob=True,
    phases=[p for p in Phase if SHRINK or p not in (Phase.shrink, Phase.explain)],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.large_base_example, HealthCheck.filter_too_much],
)

# What no cleaned text may hold: soft hyphen, Arabic letter mark, Mongolian vowel separator,
# zero-width characters, LRM/RLM, bidi embeddings/overrides/isolates, word joiners, BOM, tatweel.
_INVISIBLE = re.compile("[\u00ad\u061c\u0640\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # Unicode category Cc
_URL_FIELDS = ("url", "canonical_url")

# --- the record of the run: time per page and outcomes -------------------------------------
TIMES: dict[str, list[float]] = {"extraction": [], "text": []}
OUTCOMES: Counter = Counter()


@pytest.fixture(scope="module", autouse=True)
def _report(request):
    yield
    lines = []
    summary = {"examples_per_test": EXAMPLES, "random": RANDOM, "outcomes": dict(OUTCOMES)}
    for kind, times in TIMES.items():
        if not times:
            continue
        ordered = sorted(times)
        stats = {"n": len(ordered), "median": statistics.median(ordered),
                 "p95": ordered[int(0.95 * (len(ordered) - 1))], "max": ordered[-1]}
        summary[kind] = stats
        lines.append(f"fuzz {kind}: {stats['n']} calls, median {stats['median']:.3f} s, "
                     f"p95 {stats['p95']:.3f} s, max {stats['max']:.3f} s")
    lines.append("fuzz outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(OUTCOMES.items())))
    reporter = request.config.pluginmanager.getplugin("terminalreporter")
    if reporter is not None:
        reporter.write_line("")
        for line in lines:
            reporter.write_line(line)
    if os.environ.get("AKHBAR_FUZZ_REPORT"):
        Path(os.environ["AKHBAR_FUZZ_REPORT"]).write_text(json.dumps(summary, indent=1), encoding="utf-8")


# --- pages ----------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def own_pages() -> tuple[tuple[str, str], ...]:
    """(page text, url) of the project's own pages."""
    pages = []
    for folder in (HERE / "pages", HERE / "pages_generic"):
        for expected in sorted(folder.glob("*/*.json")):
            data = json.loads(expected.read_text(encoding="utf-8"))
            pages.append((expected.with_suffix(".html"), data["url"]))
        for page in sorted(folder.glob("*/*.html")):
            if not page.with_suffix(".json").exists():  # a non-article page of ours
                pages.append((page, f"https://{page.parent.name}/{page.stem}"))
    return tuple((_read(path), url) for path, url in pages)


@lru_cache(maxsize=None)
def corpus_pages() -> tuple[tuple[str, str], ...]:
    """(page text, url) of the shared corpus: article pages and the two home pages."""
    pages = []
    for expected in sorted((CORPUS_DIR / "expected").glob("*/*.json")):
        data = json.loads(expected.read_text(encoding="utf-8"))
        pages.append((CORPUS_DIR / (data.get("file") or f"{expected.parent.name}/{expected.stem}.html"),
                      data["url"]))
    for page in sorted((CORPUS_DIR / "listing").glob("*.html")):
        pages.append((page, f"https://{page.name.split('-home-')[0]}/"))
    return tuple((_read(path), url) for path, url in pages if path.is_file())


def _read(path: Path) -> str:
    body = path.read_bytes()
    return html_to_unicode("text/html", body)[1]


# --- mutations --------------------------------------------------------------------------------
BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\u200b\u200c\u200d\u2060\ufeff\u00ad"
NASTY_CHARS = st.one_of(
    st.characters(min_codepoint=0x0621, max_codepoint=0x064A),  # Arabic letters
    st.characters(min_codepoint=0x064B, max_codepoint=0x065F),  # harakat
    st.characters(min_codepoint=0x0660, max_codepoint=0x0669),  # Arabic-Indic digits
    st.sampled_from(BIDI + "\u0640"),  # invisible / bidi controls, tatweel
    st.characters(min_codepoint=0xFB50, max_codepoint=0xFDFF),  # presentation forms A
    st.characters(min_codepoint=0xFE70, max_codepoint=0xFEFF),  # presentation forms B
    st.characters(min_codepoint=0x0300, max_codepoint=0x036F),  # combining marks
    st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF, exclude_categories=("Cs",)),  # astral
    st.characters(min_codepoint=0, max_codepoint=0x1F),  # NUL and other controls
    st.characters(min_codepoint=0x80, max_codepoint=0x9F),  # C1 controls
    st.sampled_from(" \u00a0\u202f\u2028\u2029\t\n\r-:()،؛,.|/<>&;#\"'"),
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
)
NASTY_TEXT = st.text(alphabet=NASTY_CHARS, max_size=60)

TOKENS = (
    "(أ ش أ)", "أ ش أ", "رويترز", "(أ ف ب)", "أ ف ب", "ا ف ب", "وكالات", "سانا", "(د ب أ)", "واس", "الأناضول",
    "القاهرة", "موسكو", "بيروت", "دبي", "-", " - ", ":", "،", "(", ")", "كتب", "كتبت", "بقلم", "و", "محمد",
    "علي", "أحمد حسن", "سيد الخلفاوى", "يكتب:", "الاثنين", "13 مايو 2024", "2024/5/13", "10:30", "مساءً",
    "صباحا", "م", "ص", "GMT", "+02:00", "منذ", "ساعة", "ساعتين", "أمس", "اليوم", "آخر تحديث", "٢٠٢٤", "١٠:٣٠",
    "2024-05-13T10:30:00Z", "2024-05-13T10:30:00+03:00", "T", "Z", "99:99", "2024-02-30", "0000-00-00",
    "يناير", "فبراير", "تشرين الثاني", "هـ", "1445", "\ufefb", "\ufdf2", "ـــ", "<b>", "&amp;", "&lt;",
)
TOKEN_TEXT = st.lists(st.one_of(st.sampled_from(TOKENS), NASTY_TEXT, st.sampled_from(BIDI)),
                      max_size=25).map(lambda parts: " ".join(parts))
HUGE_KINDS = ("arabic words", "one char", "dates", "agencies", "spaces", "mixed")


def _huge_text(kind: str, size: int, seed_text: str) -> str:
    unit = {
        "arabic words": "نص عربي طويل جدا ",
        "one char": "ب",
        "dates": "13 مايو 2024 10:30 مساءً ",
        "agencies": "(أ ش أ) القاهرة - رويترز ",
        "spaces": " \u00a0\u200f\n",
        "mixed": (seed_text or "x") + " ",
    }[kind]
    return (unit * (size // len(unit) + 1))[:size]


TREE_OP = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 10**6)),
    st.tuples(st.just("duplicate"), st.integers(0, 10**6)),
    st.tuples(st.just("wrap"), st.integers(0, 10**6), st.integers(1, 60),
              st.sampled_from(["div", "span", "p", "section", "a", "table", "li", "font"])),
    st.tuples(st.just("unicode"), st.integers(0, 10**6), st.sampled_from(["text", "tail", "class", "href"]),
              st.one_of(NASTY_TEXT, TOKEN_TEXT)),
    st.tuples(st.just("huge"), st.integers(0, 10**6), st.sampled_from(HUGE_KINDS),
              st.sampled_from([10_000, 200_000, 1_000_000]), NASTY_TEXT),
    st.tuples(st.just("move"), st.integers(0, 10**6), st.integers(0, 10**6)),
)
STRING_OP = st.one_of(
    st.tuples(st.just("cut"), st.floats(0.0, 1.0)),
    st.tuples(st.just("deep"), st.floats(0.0, 1.0), st.sampled_from([300, 1000, 3000, 10_000]),
              st.sampled_from(["div", "span", "font", "b", "p", "table", "li"]), st.booleans()),
    st.tuples(st.just("insert"), st.floats(0.0, 1.0), st.one_of(NASTY_TEXT, TOKEN_TEXT)),
)
# (codec the bytes are in, charset the header declares, or None for no header charset)
ENCODING = st.one_of(
    st.just(("utf-8", "utf-8")),
    st.sampled_from([
        ("utf-8", None), ("utf-16", "utf-16"), ("utf-16", None), ("utf-16-le", "utf-16"),
        ("windows-1256", "windows-1256"), ("windows-1256", None), ("windows-1256", "utf-8"),
        ("utf-8", "iso-8859-1"), ("utf-8", "windows-1256"), ("iso-8859-1", "iso-8859-1"),
        ("utf-8", "no-such-charset"), ("utf-32", "utf-8"),
    ]),
)


def _elements(root) -> list:
    return [el for el in root.iter() if isinstance(el.tag, str)]


def apply_tree_ops(text: str, ops: list) -> str:
    if not ops:
        return text
    try:
        root = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError):  # an empty or unparsable document: nothing to mutate
        return text
    for op in ops:
        els = _elements(root)
        el = els[op[1] % len(els)]
        parent = el.getparent()
        kind = op[0]
        if kind == "delete" and parent is not None:
            parent.remove(el)
        elif kind == "duplicate" and parent is not None:
            el.addnext(_copy(el))
        elif kind == "wrap" and parent is not None:
            _, _, levels, tag = op
            outer = inner = etree.Element(tag)
            for _ in range(levels - 1):
                inner = etree.SubElement(inner, tag)
            el.addprevious(outer)
            inner.append(el)  # moves el (with its tail) inside
        elif kind == "unicode":
            _, _, where, value = op
            if where == "text":
                el.text = _xml_safe((el.text or "") + value)
            elif where == "tail" and parent is not None:
                el.tail = _xml_safe(value + (el.tail or ""))
            elif where in ("class", "href"):
                el.set(where, _xml_safe((el.get(where) or "") + value))
        elif kind == "huge":
            _, _, huge_kind, size, seed = op
            el.text = _xml_safe(_huge_text(huge_kind, size, seed)) + (el.text or "")
        elif kind == "move" and parent is not None:
            target = els[op[2] % len(els)]
            if target is not el and el not in target.iterancestors():
                target.append(el)
    return etree.tostring(root, encoding="unicode", method="html")


def _copy(el):
    from copy import deepcopy

    copy = deepcopy(el)
    copy.tail = el.tail
    return copy


_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xml_safe(value: str) -> str:
    """lxml refuses NUL and other C0 controls in its tree API: those go in by string ops instead."""
    return _XML_UNSAFE.sub(" ", value)


def apply_string_ops(text: str, ops: list) -> str:
    for op in ops:
        kind = op[0]
        at = int(op[1] * len(text))
        if kind == "cut":
            text = text[:at]
        elif kind == "deep":
            _, _, levels, tag, closed = op
            inner = "<p>نص في العمق (أ ش أ)</p>"
            text = text[:at] + f"<{tag}>" * levels + inner + (f"</{tag}>" * levels if closed else "") + text[at:]
        elif kind == "insert":
            text = text[:at] + op[2] + text[at:]
    return text


def encode(text: str, codec: str, declared: str | None) -> tuple[bytes, dict]:
    body = text.encode(codec, errors="xmlcharrefreplace" if codec not in ("utf-16", "utf-16-le", "utf-32")
                       else "surrogatepass")
    header = "text/html" + (f"; charset={declared}" if declared else "")
    return body, {"Content-Type": header}


MUTATION = st.fixed_dictionaries({
    "tree": st.lists(TREE_OP, max_size=4),
    "string": st.lists(STRING_OP, max_size=2),
    "encoding": ENCODING,
    "generic": st.booleans(),
})


# --- the item's shape -------------------------------------------------------------------------
def check_item(item) -> None:
    """The item is complete and typed as SCHEMA.md says; its text holds no invisible characters."""
    assert isinstance(item, Article)
    assert set(item.keys()) >= set(FIELDS)
    for name in FIELDS:
        value = item[name]
        if name in LIST_FIELDS:
            assert isinstance(value, list), (name, value)
        elif name == "url":
            assert isinstance(value, str) and value
        else:
            assert value is None or (isinstance(value, str) and value), (name, value)
        if isinstance(value, str) and name not in _URL_FIELDS:
            _assert_clean(value, name)
    for name in ("authors", "agencies", "body", "tags"):
        for text in item[name]:
            assert isinstance(text, str) and text, (name, item[name])
            _assert_clean(text, name)
    for image in item["images"]:
        assert set(image) == {"url", "caption"}, image
        assert isinstance(image["url"], str) and image["url"]
        assert image["caption"] is None or (isinstance(image["caption"], str) and image["caption"])
        if image["caption"]:
            _assert_clean(image["caption"], "images.caption")
    for link in item["related"]:
        assert set(link) == {"block", "title", "url"}, link
        assert isinstance(link["block"], str) and isinstance(link["url"], str) and link["url"]
        assert isinstance(link["title"], str) and link["title"]
        _assert_clean(link["title"], "related.title")
        _assert_clean(link["block"], "related.block")
    for name in ("published_at", "modified_at"):
        if item[name]:
            _iso(item[name])


def _iso(value: str) -> None:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        date.fromisoformat(value)


def _assert_clean(text: str, name: str) -> None:
    bad = _INVISIBLE.search(text)
    assert bad is None, f"{name}: invisible character U+{ord(bad[0]):04X} in {text[:80]!r}"
    assert text == text.strip() and "  " not in text, f"{name}: white space not collapsed: {text[:80]!r}"
    control = _CONTROL.search(text)
    assert control is None, f"{name}: control character U+{ord(control[0]):04X} in {text[:80]!r}"


def run_extraction(page: str, url: str, mutation: dict):
    from akhbar.registry import spider_by_name, spider_or_generic

    text = apply_string_ops(apply_tree_ops(page, mutation["tree"]), mutation["string"])
    body, headers = encode(text, *mutation["encoding"])
    spider = spider_by_name("generic") if mutation["generic"] else spider_or_generic(url)
    response = HtmlResponse(url=url, body=body, headers=headers)
    start = time.perf_counter()
    item = drop = None
    try:
        item = normalize_item(extract_article(response, spider))
    except NotAnArticle as reason:
        drop = reason
    elapsed = time.perf_counter() - start  # the extraction and normalisation, not the checks below
    if drop is not None:
        outcome = f"dropped:{drop.reason}"
        assert isinstance(drop.reason, str) and re.fullmatch(r"[a-z0-9_]+", drop.reason), drop.reason
    else:
        check_item(item)
        outcome = f"item ({validation_problem(item)})" if validation_problem(item) else "item"
    TIMES["extraction"].append(elapsed)
    OUTCOMES[outcome] += 1
    assert elapsed < MAX_SECONDS, f"{elapsed:.1f} s for one page ({spider.name}, {mutation})"
    return item


@fuzz
@given(data=st.data(), mutation=MUTATION)
def test_extraction_of_mutated_own_pages(data, mutation):
    page, url = _draw_page(data, own_pages())
    run_extraction(page, url, mutation)


@fuzz
@given(data=st.data(), mutation=MUTATION)
def test_extraction_of_mutated_corpus_pages(data, mutation):
    require_shared()
    page, url = _draw_page(data, corpus_pages())
    run_extraction(page, url, mutation)


def _draw_page(data, pages) -> tuple[str, str]:
    """A page, reported by its URL (a failing example does not print the whole page)."""
    page, url = pages[data.draw(st.integers(0, len(pages) - 1), label="page number")]
    note(f"page: {url}")
    return page, url


def test_deep_nesting_is_read_or_refused_in_bounded_time():
    """Thousands of nested levels: never a RecursionError (the engine walks trees without
    recursion); within lxml's depth limit the deepest paragraph is still read, beyond it lxml
    stops parsing and the page is what it read (here: an article without body)."""
    page, url = next((p, u) for p, u in own_pages() if "youm7" in u)
    at = page.index("<div id=\"articleBody\">") + len("<div id=\"articleBody\">")
    for levels in (1000, 2000, 5000, 20_000):
        deep = page[:at] + "<div>" * levels + "<p>نص في العمق</p>" + "</div>" * levels + page[at:]
        for generic in (False, True):
            item = run_extraction(deep, url, {"tree": [], "string": [], "encoding": ("utf-8", "utf-8"),
                                              "generic": generic})
            if levels <= 2000 and not generic:
                assert "نص في العمق" in item["body"], levels


# --- the text layer ---------------------------------------------------------------------------
ANY_TEXT = st.one_of(NASTY_TEXT, TOKEN_TEXT, st.text(max_size=80))
ZONES = st.sampled_from(["Africa/Cairo", "Asia/Riyadh", "Asia/Beirut", "Asia/Dubai", "UTC", "Etc/GMT-2",
                         "Europe/Moscow", "No/Such_Zone", ""])


def _timed(func, *args, **kwargs):
    start = time.perf_counter()
    result = func(*args, **kwargs)
    elapsed = time.perf_counter() - start
    TIMES["text"].append(elapsed)
    assert elapsed < MAX_SECONDS, f"{func.__name__}: {elapsed:.1f} s on {args[0][:80]!r}"
    return result


@fuzz
@given(text=ANY_TEXT)
def test_clean_text_and_search_key(text):
    cleaned = _timed(clean_text, text)
    assert isinstance(cleaned, str)
    if cleaned:
        _assert_clean(cleaned, "clean_text")
    # Idempotent. Entities are decoded once, by design ("&lt;b&gt;" is the text "<b>", see
    # tests/unit/test_text_clean.py), so a text whose entities decode to markup or to another
    # entity is not a fixed point; every other text is.
    if "&" not in text:
        assert clean_text(cleaned) == cleaned
    key = _timed(search_key, text)
    assert isinstance(key, str)
    if key:
        _assert_clean(key, "search_key")
    if "&" not in text:
        assert search_key(key) == key


def _check_attribution(result) -> None:
    assert isinstance(result, Attribution)
    assert isinstance(result.agencies, list) and all(isinstance(a, str) and a for a in result.agencies)
    assert result.agency_raw is None or isinstance(result.agency_raw, str)
    assert result.dateline is None or isinstance(result.dateline, str)
    assert isinstance(result.remainder, str)
    for value in (result.agency_raw, result.dateline):
        if value:
            assert _INVISIBLE.search(value) is None, value


@fuzz
@given(text=st.one_of(ANY_TEXT, st.lists(ANY_TEXT, max_size=4).map("\n".join)))
def test_attribution_and_bylines(text):
    for parse in (parse_opening, parse_closing):
        _check_attribution(_timed(parse, text))
    source = _timed(parse_source, text)
    assert source is None or _check_attribution(source) is None
    names = _timed(parse_byline, text)
    assert isinstance(names, list)
    for name in names:
        assert isinstance(name, str) and name
        _assert_clean(name, "parse_byline")


def _check_date(result) -> None:
    if result is None:
        return
    assert isinstance(result, ParsedDate)
    assert isinstance(result.has_time, bool)
    if result.has_time:
        assert isinstance(result.value, datetime) and result.value.tzinfo is not None
    else:
        assert isinstance(result.value, date)
    _iso(result.isoformat())


@fuzz
@given(text=ANY_TEXT, zone=ZONES, local=st.booleans())
def test_dates(text, zone, local):
    _check_date(_timed(parse_date, text, zone))
    _check_date(_timed(parse_metadata_date, text, zone, clock_is_local=local))


@pytest.mark.slow
@fuzz
@given(kind=st.sampled_from(HUGE_KINDS), size=st.sampled_from([10_000, 100_000, 1_000_000]),
       seed=TOKEN_TEXT, zone=ZONES)
def test_text_layer_on_huge_texts(kind, size, seed, zone):
    """A 1 MB paragraph (a page that pastes a whole archive in one node) in bounded time."""
    text = _huge_text(kind, size, seed)
    assume(text)
    cleaned = _timed(clean_text, text)
    assert isinstance(cleaned, str)
    _timed(search_key, text)
    for parse in (parse_opening, parse_closing):
        _check_attribution(_timed(parse, text))
    _timed(parse_source, text)
    _timed(parse_byline, text)
    _check_date(_timed(parse_date, text, zone))
    _check_date(_timed(parse_metadata_date, text, zone))
