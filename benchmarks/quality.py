"""Extraction quality: akhbar vs trafilatura vs newspaper4k on every page with an expected item.

    python benchmarks/quality.py            # table printed and written to benchmarks/results/
    python benchmarks/quality.py --quick    # the same table, printed only (CI)

Pages: every ``<shared>/corpus/expected/<domain>/<name>.json`` (hand-annotated items of real
pages) and the project's own ``tests/pages/<domain>/<name>.json``. Each page's bytes go to:

- **akhbar**: the spider that owns the URL (``akhbar.registry.spider_for_url``), its
  ``extract_article`` and the normalise pipeline: the item a crawl stores. These pages are the
  ones the outlet spiders were written and tested against (in-sample: 1.000 is expected);
- **akhbar-generic**: the same with the generic spider (no outlet declarations: JSON-LD/meta,
  trafilatura's main text traced back to the page, the Arabic text layer): akhbar on a layout
  it was not told about;
- **trafilatura** (``bare_extraction`` with metadata for headline / date / author;
  ``extract`` for the body text, its lines as paragraphs);
- **newspaper4k** (``Article(url, language="ar", fetch_images=False)``, ``download(input_html=...)``,
  ``parse()``: parsed from the given HTML, nothing fetched). Its Arabic tokenizer needs the
  ``nltk`` package (no nltk data: ``wordpunct_tokenize`` and the ISRI stemmer are code).
  Its NLP step (``nlp()``: keywords, summary) is not run; it is not used here.

Both third-party tools are run with network access blocked (socket connect and DNS look-ups
raise, and are counted; the count is reported and must be 0).

Measures (tool output cleaned with ``akhbar.text.clean_text`` like the item's text):

- body: token precision / recall / F1 (``benchmarks/scoring.py``), mean over pages, and the
  expected paragraphs that come out exactly;
- exact-match rate of ``headline``, ``published_at`` (the full ISO 8601 value with its offset),
  ``authors`` (the list), ``agencies``, ``dateline``; ``published day`` is the looser check
  that the calendar day is right (trafilatura and newspaper4k give a day, not a time);
- related-link recall: share of the expected related links (by URL) that the tool gives.

Every tool reads each page twice: as served (``original``) and with every class word and id
renamed consistently (``renamed``: ``akhbar.layout_drift.rename_classes_and_ids``, what a redesign
or a CSS-module build does; text, tags, itemprop, meta tags and JSON-LD untouched). The table
also counts pages whose first and last expected paragraphs both come out exactly, and pages
dropped (no item at all: akhbar's ``NotAnArticle``, or an empty body).

Fields listed as ``ambiguous`` in an expected file are not scored on that page. "—" means the
tool has no such output at all (trafilatura and newspaper4k give no agencies, dateline or
related lists): not a score of 0.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import warnings
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "akhbar.settings")

from scoring import Score, cases, own_cases, score, text_lines  # noqa: E402

TOOLS = ("akhbar", "akhbar-generic", "trafilatura", "newspaper4k")
LAYOUTS = ("original", "renamed")
EXACT = ("headline", "published_at", "published_day", "authors", "agencies", "dateline")
# What each third-party tool has no output for at all.
NO_OUTPUT = {"trafilatura": {"agencies", "dateline", "related"},
             "newspaper4k": {"agencies", "dateline", "related"}}


# --- the tools -------------------------------------------------------------------------------
def run_akhbar(html: bytes, url: str, generic: bool = False) -> dict:
    from scrapy.http import HtmlResponse

    from akhbar.extraction import NotAnArticle, extract_article
    from akhbar.pipelines import normalize_item
    from akhbar.registry import spider_for_url
    from akhbar.spiders.generic import GenericSpider

    spider = GenericSpider if generic else spider_for_url(url)
    response = HtmlResponse(url=url, body=html, headers={"Content-Type": "text/html"})
    try:
        return dict(normalize_item(extract_article(response, spider)))
    except NotAnArticle as error:
        return {"body": [], "_error": error.reason}


def run_trafilatura(html: bytes, url: str) -> dict:
    import trafilatura

    from akhbar.text import clean_text

    text = html.decode("utf-8", errors="replace")
    doc = trafilatura.bare_extraction(text, url=url, with_metadata=True)
    authors = [clean_text(a) for a in (getattr(doc, "author", None) or "").split(";")] if doc else []
    return {
        "headline": clean_text(getattr(doc, "title", None)) or None if doc else None,
        "published_at": getattr(doc, "date", None) if doc else None,
        "authors": [a for a in authors if a],
        "body": text_lines(trafilatura.extract(text, url=url)),
    }


def run_newspaper(html: bytes, url: str) -> dict:
    from newspaper import Article as NewsArticle

    from akhbar.text import clean_text

    article = NewsArticle(url, language="ar", fetch_images=False)
    article.download(input_html=html.decode("utf-8", errors="replace"))
    article.parse()
    published = article.publish_date
    return {
        "headline": clean_text(article.title) or None,
        "published_at": published.isoformat() if isinstance(published, (datetime, date)) else published,
        "authors": [a for a in (clean_text(x) for x in article.authors or []) if a],
        "body": text_lines(article.text),
    }


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in ("trafilatura", "newspaper4k", "nltk", "lxml", "scrapy"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    try:
        out["akhbar"] = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True,
                                       text=True, timeout=10).stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        out["akhbar"] = "unknown"
    return out


def available(tool: str) -> bool:
    if tool != "newspaper4k":
        return True
    try:
        import newspaper  # noqa: F401
        import nltk  # noqa: F401  (its Arabic tokenizer)
    except ImportError:
        return False
    return True


@contextmanager
def no_network(attempts: list):
    """Every socket connection or DNS look-up fails (and is recorded) while third-party tools run."""
    saved = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo, socket.create_connection

    def refuse(*args, **kwargs):
        attempts.append(repr(args[1:2] or args[:1]))
        raise OSError("network access blocked by benchmarks/quality.py")

    socket.socket.connect = socket.socket.connect_ex = refuse
    socket.getaddrinfo = socket.create_connection = refuse
    try:
        yield
    finally:
        socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo, socket.create_connection = saved


# --- scoring ---------------------------------------------------------------------------------
def _day(value) -> str | None:
    if not value:
        return None
    text = str(value)
    return text[:10] if len(text) >= 10 and text[4] == "-" and text[7] == "-" else None


def page_result(tool: str, got: dict, expected: dict) -> dict:
    ambiguous = set(expected.get("ambiguous") or [])
    got_body, want_body = got.get("body") or [], expected.get("body") or []
    body = score(got_body, want_body)
    ends = bool(got_body and want_body) and got_body[0] == want_body[0] and got_body[-1] == want_body[-1]
    exact: dict[str, bool | None] = {}
    for field in EXACT:
        key = "published_at" if field == "published_day" else field
        if key in ambiguous or key not in expected or field in NO_OUTPUT.get(tool, ()):
            exact[field] = None  # not scored on this page / no such output
        elif field == "published_day":
            exact[field] = _day(got.get(key)) == _day(expected[key])
        else:
            want, value = expected[key], got.get(key)
            if isinstance(want, list):
                value = list(value or [])
            exact[field] = value == want
    related = None
    want_urls = {r["url"] for r in expected.get("related") or []}
    if "related" not in ambiguous and want_urls and "related" not in NO_OUTPUT.get(tool, ()):
        got_urls = {r.get("url") for r in got.get("related") or []}
        related = (len(want_urls & got_urls), len(want_urls))
    return {"body": body.as_dict(), "ends": ends, "dropped": not got_body, "exact": exact, "related": related,
            "error": got.get("_error")}


def summarise(rows: list[dict], tool: str, layout: str) -> dict:
    results = [r["tools"][tool] for r in rows if tool in r["tools"] and r["layout"] == layout]
    if not results:
        return {}
    bodies = [Score(**r["body"]) for r in results]
    out = {
        "pages": len(results),
        "precision": statistics.mean(b.precision for b in bodies),
        "recall": statistics.mean(b.recall for b in bodies),
        "f1": statistics.mean(b.f1 for b in bodies),
        "paragraphs": [sum(b.exact for b in bodies), sum(b.expected for b in bodies)],
        "ends": [sum(r["ends"] for r in results), len(results)],
        "dropped": sum(r["dropped"] for r in results),
    }
    for field in EXACT:
        scored = [r["exact"][field] for r in results if r["exact"][field] is not None]
        out[field] = None if field in NO_OUTPUT.get(tool, ()) else [sum(scored), len(scored)]
    if "related" in NO_OUTPUT.get(tool, ()):
        out["related"] = None
    else:
        pairs = [r["related"] for r in results if r["related"]]
        out["related"] = [sum(p[0] for p in pairs), sum(p[1] for p in pairs)]
    return out


def _rate(pair) -> str:
    if pair is None:
        return "—"
    hit, total = pair
    return f"{hit}/{total} ({hit / total:.0%})" if total else "n/a"


def table(summary: dict[tuple[str, str], dict], status: dict[str, str]) -> str:
    head = ["tool", "layout", "pages", "body P", "body R", "body F1", "first+last exact", "dropped",
            "exact paragraphs", "headline", "published_at", "published day", "authors", "agencies", "dateline",
            "related recall"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for tool in TOOLS:
        for layout in LAYOUTS:
            s = summary.get((tool, layout))
            if not s:
                lines.append(f"| {tool} | {layout} | {status[tool]} |" + " |" * (len(head) - 3))
                continue
            lines.append(" | ".join([
                f"| {tool}", layout, str(s["pages"]), f"{s['precision']:.3f}", f"{s['recall']:.3f}",
                f"{s['f1']:.3f}", _rate(s["ends"]), str(s["dropped"]), _rate(s["paragraphs"]),
                *(_rate(s[f]) for f in EXACT), _rate(s["related"]),
            ]) + " |")
    return "\n".join(lines)


def page_table(rows: list[dict]) -> str:
    tools = [t for t in TOOLS if any(t in r["tools"] for r in rows)]
    lines = ["| page | layout | " + " | ".join(f"{t} F1" for t in tools) + " |", "|" + "---|" * (len(tools) + 2)]
    for row in rows:
        cells = [f"{row['tools'][t]['body']['f1']:.3f}" if t in row["tools"] else "—" for t in tools]
        lines.append(f"| {row['page']} | {row['layout']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path,
                        default=Path(os.environ.get("AKHBAR_SHARED") or ROOT.parent / "shared"))
    parser.add_argument("--quick", action="store_true", help="print the table only (no results files)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args()

    corpus = args.shared / "corpus"
    pages = (cases(corpus) if (corpus / "expected").is_dir() else []) + own_cases()
    if not any(str(p).startswith(str(corpus)) for p, _ in pages):
        print(f"note: no corpus with expected items at {corpus}/expected: own pages only", file=sys.stderr)
    pages = [(p, e) for p, e in pages if p.is_file()]
    if not pages:
        print("no pages with an expected item", file=sys.stderr)
        return 2

    status = {t: ("ok" if available(t) else "not installed (pip install -e '.[bench]')") for t in TOOLS}
    runners = {"akhbar": run_akhbar, "akhbar-generic": lambda html, url: run_akhbar(html, url, generic=True),
               "trafilatura": run_trafilatura, "newspaper4k": run_newspaper}
    attempts: list[str] = []
    rows = []
    from akhbar.layout_drift import rename_classes_and_ids

    drift = {"original": lambda html: html, "renamed": rename_classes_and_ids}
    for (page, expected), layout in ((case, layout) for case in pages for layout in LAYOUTS):
        html, url = drift[layout](page.read_bytes()), expected["url"]
        row = {"page": expected.get("file") or page.name, "layout": layout, "url": url, "tools": {}}
        for tool in TOOLS:
            if status[tool] != "ok":
                continue
            if tool.startswith("akhbar"):
                got = runners[tool](html, url)
            else:
                with no_network(attempts), warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # dateutil's "tzname GST ..." and the like
                    try:
                        got = runners[tool](html, url)
                    except Exception as error:  # noqa: BLE001 - a tool failing on a page scores 0 there
                        got = {"body": [], "_error": f"{type(error).__name__}: {error}"}
            row["tools"][tool] = page_result(tool, got, expected)
        rows.append(row)

    summary = {(t, layout): summarise(rows, t, layout) for t in TOOLS for layout in LAYOUTS}
    info = versions()
    today = datetime.now(timezone.utc).date().isoformat()
    header = (f"Extraction quality on {len(rows)} pages with a hand-annotated expected item "
              f"({today}; " + ", ".join(f"{k} {v}" for k, v in info.items()) + ")")
    notes = ("akhbar = the outlet spiders, on the pages they were written against (in-sample); akhbar-generic = "
             "the generic spider, told nothing about the layouts. renamed = every class word and id of the page "
             "replaced by a meaningless token (a redesign). "
             "— = the tool has no such output (not a score of 0). published_at is exact with time and "
             "offset; trafilatura and newspaper4k give a day only, so \"published day\" compares days. "
             f"Network attempts by third-party tools (blocked): {len(attempts)}.")
    text = "\n".join([header, "", table(summary, status), "", notes, "", "Body F1 per page:", "",
                      page_table(rows)])
    print(text)
    errors = [(r["page"], r["layout"], t, res["error"]) for r in rows for t, res in r["tools"].items() if res["error"]]
    for page, layout, tool, error in errors:
        print(f"{page} ({layout}): {tool}: {error}")
    if not args.quick:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / f"quality-{today}.md").write_text(text + "\n", encoding="utf-8")
        (args.out / f"quality-{today}.json").write_text(json.dumps(
            {"date": today, "versions": info, "status": status,
             "summary": {f"{tool} {layout}": value for (tool, layout), value in summary.items()}, "pages": rows,
             "network_attempts": attempts}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"\nwritten: {args.out}/quality-{today}.md, .json")
    return 1 if attempts else 0


if __name__ == "__main__":
    raise SystemExit(main())
