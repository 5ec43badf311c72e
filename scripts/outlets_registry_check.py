"""Summarise and check akhbar/data/outlets.json: rows per country, per source, and the rows to review.

    .venv/bin/python scripts/outlets_registry_check.py

Loading validates the data (akhbar.outlets raises on an unknown zone, a bad country code or a
domain listed twice). This adds what a reviewer wants to see: rows supported by one list only,
rows whose zone is not their country's (each must say why in its note), and the same printed
name used by several outlets (harmless for site-name stripping, worth knowing).
"""

from collections import Counter, defaultdict

from akhbar.outlets import load_document, registry


def main() -> int:
    doc = load_document()
    rows = doc["outlets"]
    print(f"{len(registry())} outlets, {sum(len(r['domain']) for r in rows)} domains")
    print("by country:", ", ".join(f"{c} {n}" for c, n in Counter(r["country"] for r in rows).most_common()))
    print("by source: ", ", ".join(f"{s} {n}" for s, n in Counter(s for r in rows for s in r["source"]).most_common()))
    single = [r["domain"][0] for r in rows if len(r["source"]) == 1]
    print(f"supported by one list only ({len(single)}):", " ".join(single))
    problems = 0
    for r in rows:
        if r["timezone"] != doc["country_zones"][r["country"]]:
            print(f"zone exception: {r['domain'][0]} {r['timezone']} ({r.get('note') or 'NO NOTE'})")
            problems += not r.get("note")
    by_name = defaultdict(list)
    for r in rows:
        by_name[r["name_ar"]].append(r["domain"][0])
    for name, domains in sorted(by_name.items()):
        if len(domains) > 1:
            print(f"shared name {name}: {' '.join(domains)}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
