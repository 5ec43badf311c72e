"""The demo's closing summary: what the crawls delivered and dropped, and where it went.

    python scripts/demo_summary.py --output output --database sqlite:///output/akhbar.sqlite3 \
        [--report output/report.html] youm7 albayan elbaladtv

Reads, for each outlet, ``OUTPUT/<outlet>.jsonl`` (the items) and ``OUTPUT/<outlet>.stats.json``
(the crawl stats written by AKHBAR_STATS_FILE), and the store for its article count; prints
articles per outlet, agencies, datelines, days, drops by reason and the paths.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

DROPPED = "akhbar/dropped/"
TOP_DATELINES = 8  # the most frequent datelines shown; the rest are counted together
NO_AGENCY = "no agency"


def read_items(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def read_stats(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def stored_articles(database_url: str) -> dict[str, int] | str:
    """Articles per outlet in the store, or why they could not be counted."""
    from akhbar.storage import ArticleStore, StoreError

    try:
        store = ArticleStore.open(database_url)
    except StoreError as error:
        return str(error)
    try:
        cursor = store.connection.cursor()
        cursor.execute("SELECT outlet, COUNT(*) FROM articles GROUP BY outlet ORDER BY outlet")
        return {outlet: count for outlet, count in cursor.fetchall()}
    finally:
        store.close()


def counted(counter: Counter, limit: int | None = None) -> str:
    shown = counter.most_common(limit)
    text = " · ".join(f"{name} {count}" for name, count in shown)
    rest = sum(counter.values()) - sum(count for _, count in shown)
    return text + (f" · others {rest}" if rest else "") if text else "none"


def summary(outlets: list[str], output: Path, database_url: str, report: str | None) -> str:
    items = {outlet: read_items(output / f"{outlet}.jsonl") for outlet in outlets}
    stats = {outlet: read_stats(output / f"{outlet}.stats.json") for outlet in outlets}
    every = [item for outlet in outlets for item in items[outlet]]
    agencies = Counter(code for item in every for code in (item.get("agencies") or [NO_AGENCY]))
    datelines = Counter(item["dateline"] for item in every if item.get("dateline"))
    days = Counter((item.get("published_at") or "?")[:10] for item in every)
    drops = Counter()
    dropped_where: dict[str, list[str]] = {}
    for outlet in outlets:
        for key, value in stats[outlet].items():
            if key.startswith(DROPPED) and value:
                reason = key.removeprefix(DROPPED)
                drops[reason] += value
                dropped_where.setdefault(reason, []).append(outlet)
    lines = ["", "== akhbar demo: summary =="]
    lines.append("articles per outlet: " + " · ".join(f"{o} {len(items[o])}" for o in outlets)
                 + f"  ({len(every)} in all)")
    lines.append("days published:      " + " · ".join(f"{d} {n}" for d, n in sorted(days.items())))
    lines.append("agencies:            " + counted(agencies))
    lines.append("datelines:           " + counted(datelines, TOP_DATELINES))
    lines.append("dropped, by reason:  " + (" · ".join(
        f"{reason} {count} ({', '.join(dropped_where[reason])})" for reason, count in sorted(drops.items()))
        or "none"))
    lines.append("JSON Lines:          " + " ".join(str(output / f"{o}.jsonl") for o in outlets))
    stored = stored_articles(database_url)
    if isinstance(stored, dict):  # an earlier run's other outlets may be stored too
        stored_text = (f"{sum(stored.get(o, 0) for o in outlets)} articles of these outlets, "
                       f"{sum(stored.values())} in all")
    else:
        stored_text = f"not readable: {stored}"
    lines.append(f"store:               {database_url} ({stored_text})")
    lines.append("crawl stats:         " + " ".join(str(output / f"{o}.stats.json") for o in outlets))
    lines.append("report:              " + (report or "not available yet (scrapy report is not installed)"))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outlets", nargs="+")
    parser.add_argument("--output", type=Path, default=Path("output"))
    parser.add_argument("--database", required=True, help="the store's AKHBAR_DATABASE_URL")
    parser.add_argument("--report", default=None, help="the report's path, when one was written")
    args = parser.parse_args(argv)
    print(summary(args.outlets, args.output, args.database, args.report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
