"""The generic spider's extraction against trafilatura alone, on every corpus page with an
expected item (``<shared>/corpus/expected/<domain>/<name>.json``).

For each page the site-specific spider is ignored: the page goes through the generic spider's
extraction (``akhbar.spiders.generic.GenericSpider``: JSON-LD/meta + trafilatura main text +
the Arabic text layer) and through ``trafilatura.extract`` alone (its paragraphs are its output
lines, each cleaned with ``akhbar.text.clean_text`` like every body paragraph of the item, so
that tatweel or white space do not count against it). Printed per page, for both:

- body token precision / recall / F1: tokens are the whitespace-split words of the joined
  paragraphs, compared as multisets with the expected ``body``;
- paragraphs: how many expected paragraphs come out exactly (of how many);

and for the generic extraction whether ``headline``, ``published_at``, ``agencies`` and
``dateline`` equal the expected values (``~`` where the expected file lists the field as
ambiguous). Run: ``python benchmarks/generic_vs_trafilatura.py [--shared DIR]``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "akhbar.settings")

from scoring import cases, score, text_lines  # noqa: E402  (benchmarks/scoring.py, shared with quality.py)

FIELDS = ("headline", "published_at", "agencies", "dateline")


def generic_item(page: Path, url: str) -> dict:
    from scrapy.http import HtmlResponse

    from akhbar.extraction import NotAnArticle, extract_article
    from akhbar.spiders.generic import GenericSpider

    response = HtmlResponse(url=url, body=page.read_bytes(), headers={"Content-Type": "text/html"})
    try:
        return dict(extract_article(response, GenericSpider))
    except NotAnArticle as error:
        return {"body": [], "_error": error.reason}


def trafilatura_lines(page: Path, url: str) -> list[str]:
    import trafilatura

    html = page.read_bytes().decode("utf-8", errors="replace")
    return text_lines(trafilatura.extract(html, url=url))


def run(shared: Path) -> list[dict]:
    rows = []
    for page, expected in cases(shared / "corpus"):
        url = expected["url"]
        item = generic_item(page, url)
        gen = score(item.get("body") or [], expected["body"])
        tra = score(trafilatura_lines(page, url), expected["body"])
        ambiguous = set(expected.get("ambiguous") or [])
        fields = {f: ("~" if f in ambiguous and item.get(f) != expected.get(f)
                      else "y" if item.get(f) == expected.get(f) else "n") for f in FIELDS}
        rows.append({"page": expected.get("file") or page.name, "generic": gen, "trafilatura": tra,
                     "fields": fields, "item": item, "expected": expected})
    return rows


def table(rows: list[dict]) -> str:
    head = ("| page | generic P | R | F1 | paras | trafilatura P | R | F1 | paras "
            "| headline | published_at | agencies | dateline |")
    lines = [head, "|" + "---|" * 13]
    for row in rows:
        g, t, f = row["generic"], row["trafilatura"], row["fields"]
        lines.append(f"| {row['page']} | {g.precision:.3f} | {g.recall:.3f} | {g.f1:.3f} | {g.exact}/{g.expected} "
                     f"| {t.precision:.3f} | {t.recall:.3f} | {t.f1:.3f} | {t.exact}/{t.expected} "
                     f"| {f['headline']} | {f['published_at']} | {f['agencies']} | {f['dateline']} |")
    n = len(rows) or 1

    def mean(key, attr):
        return sum(getattr(r[key], attr) for r in rows) / n

    exact = {k: sum(getattr(r[k], "exact") for r in rows) for k in ("generic", "trafilatura")}
    total = sum(r["generic"].expected for r in rows)
    counts = {f: sum(r["fields"][f] == "y" for r in rows) for f in FIELDS}
    lines.append(f"| **mean** | {mean('generic', 'precision'):.3f} | {mean('generic', 'recall'):.3f} "
                 f"| {mean('generic', 'f1'):.3f} | {exact['generic']}/{total} "
                 f"| {mean('trafilatura', 'precision'):.3f} | {mean('trafilatura', 'recall'):.3f} "
                 f"| {mean('trafilatura', 'f1'):.3f} | {exact['trafilatura']}/{total} "
                 + " ".join(f"| {counts[f]}/{len(rows)}" for f in FIELDS) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("AKHBAR_SHARED") or ROOT.parent / "shared"))
    parser.add_argument("--verbose", action="store_true", help="also show each field that differs")
    args = parser.parse_args()
    if not (args.shared / "corpus" / "expected").is_dir():
        print(f"no corpus with expected items at {args.shared}/corpus/expected", file=sys.stderr)
        return 2
    rows = run(args.shared)
    print(table(rows))
    print("\ny = equal to the expected value, n = differs, ~ = differs on a field the expected file calls ambiguous")
    if args.verbose:
        for row in rows:
            for f in FIELDS:
                if row["fields"][f] != "y":
                    print(f"{row['page']}: {f}: expected {row['expected'].get(f)!r} got {row['item'].get(f)!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
