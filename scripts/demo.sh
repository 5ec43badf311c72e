#!/usr/bin/env bash
# The main job, offline: the youm7 spider crawls a local replay of recorded pages
# (replay/youm7.tsv) and writes output/youm7.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p output
# refresh=1: re-extract pages already stored by an earlier run (incremental crawls skip them).
.venv/bin/scrapy crawl youm7 -a refresh=1 -s AKHBAR_REPLAY=replay/youm7.tsv -O output/youm7.jsonl "$@"
echo "wrote $(wc -l < output/youm7.jsonl) articles to output/youm7.jsonl"
