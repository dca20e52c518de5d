#!/usr/bin/env bash
# Files (issue 12): uploads and downloads on local storage, each beside an in-run yardstick.
#
#   bench/files.sh [NAME]      writes bench/results/<date>-<NAME>.md (NAME defaults to "files") and prints its tables
#
# Part 1, uploads: 100 KB files at 32 concurrent clients, each a multipart create of a record with one file, Basalt in
#   its default durable mode (the file written to a temporary name, fsynced with its folders and renamed before the
#   record's commit, itself fsynced). Beside it, in the same rounds:
#   - the same create without the file (JSON), on the same server: what the record costs, so upload / create is the
#     price of the file on top of its record;
#   - the storage floor (bench/fsync-floor.c, built with cc): 32 threads writing 100 KB files the way Basalt's local
#     storage does (new folder, temporary file, fsync, rename, fsync of the folders) with no HTTP and no database, the
#     most this disk gives to durable file writes.
# Part 2, downloads at 32 clients: a 4000x3000 JPEG (about 3.7 MB, made by bench/Thumbs), its 100x100 thumb (made
#   once before the measurement, then served from storage), and the thumb's bytes uploaded as an original of their
#   own, so thumb / small original is what the thumb path costs over serving a file of the same size.
#
# Knobs (env): BENCH_DURATION (10s per measurement), BENCH_ROUNDS (5, interleaved; each round and the median ratio
#   over the rounds are reported),
#   BENCH_CONNECTIONS (32), BENCH_UPLOAD_BYTES (102400), BENCH_DB (a postgres:// URL; SQLite when empty).
# The machine is shared and noisy: the ratios against the yardsticks of the same round are the figures to watch.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init files
NAME=${1:-files}
DURATION=${BENCH_DURATION:-10s}
ROUNDS=${BENCH_ROUNDS:-5}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
export BENCH_UPLOAD_BYTES=${BENCH_UPLOAD_BYTES:-102400}
DB=${BENCH_DB:-}
SECONDS_PER_RUN=${DURATION%s}
DB_NAME=${DB:+PostgreSQL}
DB_NAME=${DB_NAME:-SQLite}

step() { printf '\n==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }

bench_need_wrk
MACHINE=$(bench_machine)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
info "machine: $MACHINE; load average before: $LOAD_START; commit $COMMIT"

step "Building the storage floor (cc) and bench/Thumbs (for the sample JPEG)"
cc -O2 -pthread -o "$WORK/fsync-floor" bench/fsync-floor.c
dotnet build bench/Thumbs -c Release -v q >/dev/null
SAMPLE="$WORK/photo.jpg"
artifacts/bin/Thumbs/release/Thumbs make "$SAMPLE"
info "sample: $(stat -c %s "$SAMPLE") bytes"

step "Starting Basalt ($DB_NAME, default durability) and creating the collections"
if [[ -n $DB ]]; then bench_basalt server --db "$DB"; else bench_basalt server; fi
info "Basalt on $BENCH_URL, data in $BENCH_DATA"
SETUP=$(BENCH_URL="$BENCH_URL" BENCH_EMAIL="$BENCH_EMAIL" BENCH_PASSWORD="$BENCH_PASSWORD" SAMPLE="$SAMPLE" \
  node --input-type=module - <<'JS'
import { readFileSync } from 'node:fs';
import { base, ok, signIn, openCollection } from './bench/lib.mjs';

const token = await signIn();
await openCollection(token, 'uploads', [{ name: 'title', type: 'text' }, { name: 'doc', type: 'file', maxSelect: 1, maxSize: 10 << 20 }]);
await openCollection(token, 'photos', [{ name: 'img', type: 'file', maxSelect: 1, maxSize: 20 << 20, thumbs: ['100x100'] }]);

const upload = async (bytes, name, type) => {
  const form = new FormData();
  form.append('img', new Blob([bytes], { type }), name);
  return ok(await fetch(base + '/api/collections/photos/records', { method: 'POST', body: form }), 'upload');
};
const url = (r) => `/api/files/photos/${r.id}/${r.img}`;
const photo = await upload(readFileSync(process.env.SAMPLE), 'photo.jpg', 'image/jpeg');

// The thumb is made by this first request and stored; every later request is served from storage.
const thumb = await fetch(base + url(photo) + '?thumb=100x100');
const thumbBytes = new Uint8Array(await thumb.arrayBuffer());
if (!thumb.ok || thumbBytes.length > 100000) { console.error('thumb', thumb.status, thumbBytes.length); process.exit(1); }
const small = await upload(thumbBytes, 'small.jpg', 'image/jpeg');
console.log(`${url(photo)} ${url(photo)}?thumb=100x100 ${url(small)} ${thumbBytes.length}`);
JS
)
read -r ORIGINAL THUMB SMALL THUMB_BYTES <<<"$SETUP"
info "original: $ORIGINAL; thumb: $THUMB_BYTES bytes"

# run LABEL WHAT...: one measurement, printed and appended to the rows of LABEL (rps p50 p99 errors per round)
declare -A RUNS=()
run() {
  local label=$1 kind=$2 result
  case $kind in
    wrk) result=$(bench_wrk "$CONNECTIONS" "$DURATION" "$3" "$BENCH_URL$4") ;;
    floor)
      mkdir -p "$WORK/floor"
      result=$(bench_result_line "$("$WORK/fsync-floor" "$WORK/floor" "$CONNECTIONS" "$SECONDS_PER_RUN" "$BENCH_UPLOAD_BYTES")")
      rm -rf "$WORK/floor" ;;
  esac
  read -r rps p50 p99 errors <<<"$result"
  printf '    %-34s %8s /s   p50 %8s ms   p99 %8s ms%s\n' "$label" "$rps" "$p50" "$p99" "$([[ $errors -ne 0 ]] && echo "   ($errors errors)")"
  RUNS[$label]+="$rps $p50 $p99 $errors;"
}

step "Part 1: uploads of $BENCH_UPLOAD_BYTES bytes at $CONNECTIONS clients, $DURATION each, $ROUNDS rounds"
RECORDS=/api/collections/uploads/records
export BENCH_JSON='{"title":"upload"}'
bench_wrk "$CONNECTIONS" 2s upload.lua "$BENCH_URL$RECORDS" >/dev/null
bench_wrk "$CONNECTIONS" 2s post-json.lua "$BENCH_URL$RECORDS" >/dev/null
for round in $(seq 1 "$ROUNDS"); do
  info "round $round (load average $(cut -d' ' -f1 /proc/loadavg))"
  run "storage floor (C, no HTTP, no db)" floor
  run "create without a file (JSON)" wrk post-json.lua "$RECORDS"
  run "create with a 100 KB file" wrk upload.lua "$RECORDS"
done

step "Part 2: downloads at $CONNECTIONS clients, $DURATION each, $ROUNDS rounds"
for url in "$ORIGINAL" "$THUMB" "$SMALL"; do bench_wrk "$CONNECTIONS" 2s get.lua "$BENCH_URL$url" >/dev/null; done
for round in $(seq 1 "$ROUNDS"); do
  info "round $round (load average $(cut -d' ' -f1 /proc/loadavg))"
  run "original JPEG ($(stat -c %s "$SAMPLE") B)" wrk get.lua "$ORIGINAL"
  run "cached 100x100 thumb ($THUMB_BYTES B)" wrk get.lua "$THUMB"
  run "small original ($THUMB_BYTES B)" wrk get.lua "$SMALL"
done

# per_round A B C: one Markdown row per round with the three measurements and the ratios A/B and A/C
per_round() {
  local -a a b c
  IFS=';' read -r -a a <<<"${RUNS[$1]}"
  IFS=';' read -r -a b <<<"${RUNS[$2]}"
  IFS=';' read -r -a c <<<"${RUNS[$3]}"
  local i
  for ((i = 0; i < ROUNDS; i++)); do
    awk -v n=$((i + 1)) -v a="${a[i]}" -v b="${b[i]}" -v c="${c[i]}" 'BEGIN {
      split(a, x, " "); split(b, y, " "); split(c, z, " ")
      err = (x[4] + y[4] + z[4] > 0) ? " errors: " x[4] + y[4] + z[4] : ""
      printf "| %d | %s (%s / %s) | %s (%s / %s) | %s (%s / %s) | %.2f | %.2f |%s\n", n,
        x[1], x[2], x[3], y[1], y[2], y[3], z[1], z[2], z[3], (y[1] > 0 ? x[1] / y[1] : 0), (z[1] > 0 ? x[1] / z[1] : 0), err }'
  done
}

# median_ratio A B: the median over the rounds of A's rate over B's rate (rounds are paired, so load hits both alike)
median_ratio() {
  paste -d' ' <(tr ';' '\n' <<<"${RUNS[$1]}" | sed '/^$/d') <(tr ';' '\n' <<<"${RUNS[$2]}" | sed '/^$/d') |
    awk '{ print ($5 > 0) ? $1 / $5 : 0 }' | sort -g | awk -v n="$ROUNDS" 'NR == int((n + 1) / 2) { printf "%.2f", $1 }'
}

FLOOR="storage floor (C, no HTTP, no db)"
CREATE="create without a file (JSON)"
UPLOAD="create with a 100 KB file"
ORIG_LABEL="original JPEG ($(stat -c %s "$SAMPLE") B)"
THUMB_LABEL="cached 100x100 thumb ($THUMB_BYTES B)"
SMALL_LABEL="small original ($THUMB_BYTES B)"
DATE=$(date -u +%Y-%m-%d)
OUT="bench/results/$DATE-$NAME.md"
mkdir -p bench/results
{
  echo "# Basalt files benchmark: $NAME ($DATE)"
  echo
  echo "- Machine: $MACHINE"
  echo "- Commit: $COMMIT; $DB_NAME, default (durable) mode, local storage; wrk on the same machine, $CONNECTIONS connections, $DURATION per run, $ROUNDS rounds interleaved"
  echo "- Load average (1/5/15 min) before: $LOAD_START; after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "## Uploads of $BENCH_UPLOAD_BYTES bytes: per second (p50 ms / p99 ms)"
  echo
  echo "| round | create with the file | create without a file | storage floor | with / without | with / floor |"
  echo "|---:|---:|---:|---:|---:|---:|"
  per_round "$UPLOAD" "$CREATE" "$FLOOR"
  echo
  echo "Median over the rounds: with / without a file $(median_ratio "$UPLOAD" "$CREATE"), with a file / storage floor $(median_ratio "$UPLOAD" "$FLOOR")."
  echo
  echo "## Downloads: per second (p50 ms / p99 ms)"
  echo
  echo "| round | $THUMB_LABEL | $SMALL_LABEL | $ORIG_LABEL | thumb / small | thumb / original |"
  echo "|---:|---:|---:|---:|---:|---:|"
  per_round "$THUMB_LABEL" "$SMALL_LABEL" "$ORIG_LABEL"
  echo
  echo "Median over the rounds: thumb / small original $(median_ratio "$THUMB_LABEL" "$SMALL_LABEL"), thumb / original $(median_ratio "$THUMB_LABEL" "$ORIG_LABEL")."
} >"$OUT"

step "Results (also in $OUT)"
cat "$OUT"
