#!/usr/bin/env bash
# Thumbnail libraries compared on the work Basalt gives them: a 4000x3000 photo-like JPEG (about 3.7 MB) made into
# 100x100 (crop), 0x300 and 1200x0 thumbs, each library in its own process so its peak RSS is its own.
#   bench/thumbs.sh [RUNS]      (default 10 runs per size; prints a Markdown table)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-10}
dotnet build bench/Thumbs -c Release -v q >/dev/null
BIN=artifacts/bin/Thumbs/release/Thumbs
SAMPLE=$(mktemp --suffix .jpg)
trap 'rm -f "$SAMPLE"' EXIT
"$BIN" make "$SAMPLE"
printf '| library | thumb | p50 ms | max ms | peak RSS MB |\n|---|---|---:|---:|---:|\n'
for library in netvips imagesharp skiasharp; do
  out=$("$BIN" "$library" "$SAMPLE" "$RUNS")
  rss=$(grep -o 'peak_rss_mb=[0-9]*' <<<"$out" | cut -d= -f2)
  grep p50_ms <<<"$out" | while IFS=$'\t' read -r lib size p50 max _; do
    printf '| %s | %s | %s | %s | %s |\n' "$lib" "$size" "${p50#p50_ms=}" "${max#max_ms=}" "$rss"
  done
done
