"""Scoring shared by the benchmarks (quality.py, generic_vs_trafilatura.py): which pages have an
expected item, and how close an extracted body is to the expected one.

- ``cases(corpus)``: every (page, expected item) of ``<corpus>/expected/<domain>/<name>.json``
  (the page is the item's ``file``, else ``<domain>/<name>.html``); ``own_cases()`` the same for
  the project's own pages (``tests/pages/<domain>/<name>.html`` + ``.json``).
- ``score(got, want)``: body token precision / recall / F1 (tokens are the whitespace-split words
  of the joined paragraphs, compared as multisets) and how many expected paragraphs come out
  exactly.
- ``text_lines(text)``: a tool's plain-text output as body paragraphs, one per line, each cleaned
  with ``akhbar.text.clean_text`` like every body paragraph of the item, so that tatweel or
  white space do not count against it.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OWN_PAGES = ROOT / "tests" / "pages"


@dataclass
class Score:
    precision: float
    recall: float
    f1: float
    exact: int
    expected: int

    def as_dict(self) -> dict:
        return asdict(self)


def score(got: list[str], want: list[str]) -> Score:
    g = Counter(" ".join(got).split())
    w = Counter(" ".join(want).split())
    overlap = sum((g & w).values())
    p = overlap / sum(g.values()) if g else 0.0
    r = overlap / sum(w.values()) if w else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    exact = sum((Counter(got) & Counter(want)).values())
    return Score(p, r, f1, exact, len(want))


def cases(corpus: Path) -> list[tuple[Path, dict]]:
    out = []
    for expected in sorted((corpus / "expected").glob("*/*.json")):
        data = json.loads(expected.read_text(encoding="utf-8"))
        page = corpus / (data.get("file") or f"{expected.parent.name}/{expected.stem}.html")
        out.append((page, data))
    return out


def own_cases() -> list[tuple[Path, dict]]:
    out = []
    for expected in sorted(OWN_PAGES.glob("*/*.json")):
        data = json.loads(expected.read_text(encoding="utf-8"))
        data.setdefault("file", f"tests/pages/{expected.parent.name}/{expected.stem}.html")
        out.append((expected.with_suffix(".html"), data))
    return out


def text_lines(text: str | None) -> list[str]:
    from akhbar.text import clean_text

    return [line for line in (clean_text(x) for x in (text or "").splitlines()) if line]
