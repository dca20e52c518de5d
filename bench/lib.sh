# Shared by the bench scripts (source it; it is not run on its own):
#
#   source "$(dirname "$0")/lib.sh"
#   bench_init NAME                  cd to the repository, a work folder in $WORK, servers stopped and $WORK removed on exit
#   bench_basalt KEY [ARGS...]       a superuser in a fresh data folder ($WORK/KEY-data unless ARGS has --dir), then
#                                    ./basalt serve on a free port; sets BENCH_URL and BENCH_DATA; ARGS are --db, --durability…
#   bench_spawn KEY LOG CMD...       any other server (in its own process group), stopped on exit or by bench_stop KEY
#   bench_wait_http URL KEY LOG      waits (180 s at most) for URL/api/health to answer 200
#   bench_stop KEY                   SIGTERM to the process group, SIGKILL after 10 s
#   bench_free_port                  a free loopback port
#   bench_need_wrk                   installs Debian's wrk when missing
#   bench_machine                    "2 cores (CPU), N GiB RAM, kernel": the line the results record
#   bench_need_postgres              puts PostgreSQL's binaries on PATH (installs Debian's postgresql when missing)
#   bench_postgres_db NAME           a throwaway cluster in $WORK (started on first use, stock durability) and a fresh
#                                    database NAME in it; sets BENCH_PG_URL; bench_postgres_stop stops the cluster
#   bench_postgres_sql DB SQL        runs SQL in database DB of that cluster, prints the unaligned result
#
# The superuser is $BENCH_EMAIL / $BENCH_PASSWORD. bench_on_exit, when a script defines it, runs once the servers have
# stopped (a script's PostgreSQL cluster, say), before $WORK is removed.
# Scripts that drive Basalt from node import bench/lib.mjs, which signs in and turns the rate limits off.
# shellcheck shell=bash

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_EMAIL=${BENCH_EMAIL:-bench-root@example.com}
BENCH_PASSWORD=${BENCH_PASSWORD:-bench-password-123}
export BENCH_LUA="$BENCH_ROOT/bench/lua"
declare -A BENCH_PIDS=()
WORK=""

bench_init() {
  cd "$BENCH_ROOT"
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/basalt-$1.XXXXXX")
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

bench_cleanup() {
  local key
  for key in "${!BENCH_PIDS[@]}"; do bench_stop "$key"; done
  if declare -F bench_on_exit >/dev/null; then bench_on_exit || true; fi
  [[ -n $WORK ]] && rm -rf "$WORK"
}

bench_free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  echo "no free loopback port" >&2
  return 1
}

bench_spawn() { # bench_spawn KEY LOG CMD...
  local key=$1 log=$2; shift 2
  setsid "$@" >"$log" 2>&1 &
  BENCH_PIDS[$key]=$!
}

bench_stop() { # bench_stop KEY
  local pid=${BENCH_PIDS[$1]:-}
  [[ -z $pid ]] && return 0
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  unset "BENCH_PIDS[$1]"
}

bench_wait_http() { # bench_wait_http URL KEY LOG
  if ! node -e '
    const deadline = Date.now() + 180000;
    (async () => {
      while (Date.now() < deadline) {
        try { if ((await fetch(process.argv[1] + "/api/health")).ok) process.exit(0); } catch {}
        await new Promise(r => setTimeout(r, 200));
      }
      process.exit(1);
    })();' "$1"; then
    echo "server $2 did not come up; its log:" >&2
    tail -n 40 "$3" >&2
    exit 1
  fi
}

bench_basalt() { # bench_basalt KEY [serve args...]: sets BENCH_URL, BENCH_PORT, BENCH_DATA
  local key=$1; shift
  local -a args=("$@")
  if [[ " ${args[*]} " != *" --dir "* ]]; then
    BENCH_DATA="$WORK/$key-data"
    args+=(--dir "$BENCH_DATA")
  else
    local i
    for ((i = 0; i < ${#args[@]}; i++)); do [[ ${args[i]} == --dir ]] && BENCH_DATA=${args[i + 1]}; done
  fi
  ./basalt superuser upsert "$BENCH_EMAIL" "$BENCH_PASSWORD" "${args[@]}" >"$WORK/$key-upsert.log" 2>&1 ||
    { cat "$WORK/$key-upsert.log" >&2; exit 1; }
  BENCH_PORT=$(bench_free_port)
  BENCH_URL="http://127.0.0.1:$BENCH_PORT"
  bench_spawn "$key" "$WORK/$key.log" ./basalt serve --http "127.0.0.1:$BENCH_PORT" "${args[@]}"
  bench_wait_http "$BENCH_URL" "$key" "$WORK/$key.log"
}

bench_as_admin() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo -n "$@"; fi; }

bench_need_wrk() {
  command -v wrk >/dev/null && return 0
  echo "    wrk missing: installing Debian's wrk" >&2
  bench_as_admin env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  bench_as_admin env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
}

bench_machine() {
  local cpu
  cpu=$(lscpu 2>/dev/null | sed -nE 's/^Model name: *//p' | head -n 1)
  echo "$(nproc) cores ($cpu), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, $(uname -sr)"
}

# bench_wrk CONNECTIONS DURATION SCRIPT URL: one wrk run with a bench/lua script; prints "requests/s p50_ms p99_ms errors"
# (errors: non-2xx/3xx answers plus socket errors; "0 0 0 1" when wrk printed no result line).
bench_wrk() {
  local c=$1 d=$2 script=$3 url=$4 t=2 line
  [[ $c -lt 2 ]] && t=1
  line=$(wrk -t"$t" -c"$c" -d"$d" --timeout 10s -s "$BENCH_LUA/$script" "$url" | grep '^RESULT ') || { echo "0 0 0 1"; return; }
  bench_result_line "$line"
}

# bench_result_line "RESULT requests duration_us p50 p99 bad socket": the same four figures as bench_wrk
bench_result_line() {
  local requests duration p50 p99 bad socket
  read -r _ requests duration p50 p99 bad socket <<<"$1"
  awk -v r="$requests" -v d="$duration" -v p50="$p50" -v p99="$p99" -v e=$((bad + socket)) \
    'BEGIN { printf "%.0f %.2f %.2f %d\n", r / (d / 1e6), p50, p99, e }'
}

bench_pg_tool() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

bench_need_postgres() {
  local pgbin
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -z $pgbin ]] && ! command -v initdb >/dev/null; then
    echo "    initdb missing: installing Debian's postgresql" >&2
    bench_as_admin env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    bench_as_admin env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  [[ -n $pgbin ]] && export PATH="$pgbin:$PATH"
  return 0
}

BENCH_PG_DATA=""
BENCH_PG_PORT=""
bench_postgres_db() { # bench_postgres_db NAME: sets BENCH_PG_URL
  local dir="$WORK/pg"
  if [[ -z $BENCH_PG_DATA ]]; then
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then chmod 755 "$WORK"; chown postgres:postgres "$dir"; fi
    BENCH_PG_PORT=$(bench_free_port)
    bench_pg_tool initdb -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C >"$WORK/initdb.log" 2>&1
    BENCH_PG_DATA="$dir/data"
    # Stock durability (fsync on, synchronous_commit on): what a production cluster would run.
    bench_pg_tool pg_ctl -D "$BENCH_PG_DATA" -l "$dir/pg.log" -w \
      -o "-c listen_addresses=127.0.0.1 -c port=$BENCH_PG_PORT -c unix_socket_directories=$dir -c max_connections=300 -c shared_buffers=256MB" \
      start >/dev/null
  fi
  createdb -h 127.0.0.1 -p "$BENCH_PG_PORT" -U postgres "$1"
  BENCH_PG_URL="postgres://postgres@127.0.0.1:$BENCH_PG_PORT/$1"
}

bench_postgres_sql() { psql -h 127.0.0.1 -p "$BENCH_PG_PORT" -U postgres -d "$1" -Atqc "$2"; }

bench_postgres_stop() {
  [[ -z $BENCH_PG_DATA ]] && return 0
  bench_pg_tool pg_ctl -D "$BENCH_PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
  BENCH_PG_DATA=""
}
