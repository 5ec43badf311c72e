#!/usr/bin/env bash
# The main job, offline: three outlet spiders (youm7, albayan, elbaladtv) crawl a replayed demo
# site of the project's own making (demo/: 36 articles, feeds, home pages, and a 404, a page that
# is no article and a duplicate to drop), write JSON Lines and the store, then the report and a
# summary. With the shared corpus of real pages beside the clone (../shared, or AKHBAR_SHARED),
# the real pages of these outlets join the site. Extra arguments go to every `scrapy crawl`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
OUTLETS=(youm7 albayan elbaladtv)
OUT=output
SITE=$OUT/demo-site
CORPUS=${AKHBAR_CORPUS_DIR:-${AKHBAR_SHARED:-../shared}/corpus}
export AKHBAR_DATABASE_URL=${AKHBAR_DATABASE_URL:-sqlite:///$OUT/akhbar.sqlite3}
mkdir -p "$OUT/logs"
rm -rf "$SITE"
manifest=$(.venv/bin/python -m demo.site "$SITE" "$CORPUS")
for outlet in "${OUTLETS[@]}"; do
  echo "crawling $outlet (log: $OUT/logs/$outlet.log)"
  rm -f "$OUT/$outlet.jsonl"
  # refresh=1: extract pages already stored by an earlier run again (incremental crawls skip them).
  if ! .venv/bin/scrapy crawl "$outlet" -a refresh=1 -s AKHBAR_REPLAY="$manifest" -s AKHBAR_CORPUS_DIR="$CORPUS" \
      -s AKHBAR_STATS_FILE="$OUT/$outlet.stats.json" -s LOG_FILE="$OUT/logs/$outlet.log" \
      -O "$OUT/$outlet.jsonl" "$@"; then
    echo "the $outlet crawl failed: see $OUT/logs/$outlet.log" >&2
    exit 1
  fi
done
report=""
if .venv/bin/scrapy report -h >/dev/null 2>&1; then
  .venv/bin/scrapy report -o "$OUT/report.html"
  report=$OUT/report.html
fi
.venv/bin/python scripts/demo_summary.py --output "$OUT" --database "$AKHBAR_DATABASE_URL" \
  ${report:+--report "$report"} "${OUTLETS[@]}"
