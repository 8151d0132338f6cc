#!/usr/bin/env bash
# The benchmark of Jianyi. See the README's "Benchmarks" section for what each figure means.
#
#   benches/run.sh                                  # SQLite, 10^4 and 10^5 suggestions
#   JIANYI_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres benches/run.sh
#                                                   # and PostgreSQL (one jianyi_bench_* database per size)
#
# Environment: BENCH_SECONDS (10) per measurement, BENCH_SIZES ("10000 100000"), BENCH_WARMUP (2)
# seconds of warm-up before the read measurements, BENCH_STRICT=1 to exit 1 when a target is missed.
# Everything it writes is under target/bench/ (databases, server logs, wrk output, summary.txt).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
case $TARGET_DIR in /*) ;; *) TARGET_DIR=$ROOT/$TARGET_DIR ;; esac
OUT=$TARGET_DIR/bench
DURATION=${BENCH_SECONDS:-10}
SIZES=${BENCH_SIZES:-"10000 100000"}
WARMUP=${BENCH_WARMUP:-2}
PG_URL=${JIANYI_BENCH_POSTGRES_URL:-}
WRK_THREADS=2
WRK_CONNECTIONS=16
JWT_SECRET=jianyi-bench-token-secret-0123456789abcdef
ADMIN_PASSWORD=bench-admin-password-01
STAFF_PASSWORD=bench-staff-password-01
# Submitted suggestions for the register measurement and its raw floor: more than both can
# register in BENCH_SECONDS (if they run out, register.lua reports exhausted=1 and the run warns).
SUBMITTED=$((DURATION * 10000 + 10000))

log() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---- tools ----
install_missing() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    command -v curl >/dev/null || missing+=(curl)
    [ ${#missing[@]} -eq 0 ] && return
    log "installing ${missing[*]} with apt-get"
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
}
install_missing

rm -rf "$OUT/logs"
mkdir -p "$OUT/logs"
RESULTS=$OUT/results.tsv
: >"$RESULTS"

JIANYI=$TARGET_DIR/release/jianyi
BENCH=$TARGET_DIR/release/jianyi-bench
log "building release binaries"
cargo build --release -p jianyi -p jianyi-bench
[ -x "$JIANYI" ] && [ -x "$BENCH" ] || die "release binaries not found in $TARGET_DIR/release"

# ---- processes and databases to clean up ----
PIDS=()
PG_DATABASES=()
stop_pid() {
    local pid=$1
    kill "$pid" 2>/dev/null || return 0
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
stop_servers() {
    local pid
    for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
    PIDS=()
}
cleanup() {
    local status=$?
    stop_servers
    local db
    for db in "${PG_DATABASES[@]}"; do "$BENCH" drop-db --url "$PG_URL" --name "$db" 2>/dev/null || true; done
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- helpers ----
# field NAME "K1=V1 K2=V2 ...": the value of NAME.
field() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p" | head -n1; }
calc() { awk "BEGIN { printf \"%.${2:-2}f\", $1 }"; }

wait_http() { # URL SECONDS PID
    local i
    for i in $(seq $(($2 * 10))); do
        curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
        kill -0 "$3" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

token() { # BASE USERNAME PASSWORD
    local answer
    answer=$(curl -fsS -X POST "$1/api/v1/auth/token" -H 'Content-Type: application/json' \
        -d "{\"grant_type\":\"password\",\"username\":\"$2\",\"password\":\"$3\"}") || die "sign-in of $2 failed"
    sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' <<<"$answer"
}

# run_wrk NAME URL SCRIPT ARGS...: runs wrk, keeps its output, echoes the RESULT line.
run_wrk() {
    local name=$1 url=$2 script=$3 seconds=$DURATION
    shift 3
    if [[ $name == warmup-* ]]; then seconds=$WARMUP; fi
    wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${seconds}s" --latency -s "$ROOT/benches/$script" "$url" -- "$@" \
        >"$OUT/logs/$name.txt" 2>&1 || die "wrk failed, see $OUT/logs/$name.txt"
    grep '^RESULT ' "$OUT/logs/$name.txt" | sed 's/^RESULT //' || die "no result in $OUT/logs/$name.txt"
}

# record BACKEND SIZE MEASURE VALUE BASELINE RATIO TARGET OK
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS"; }
at_least() { awk "BEGIN { exit !($1 >= $2) }" && echo ok || echo "not ok"; }
at_most() { awk "BEGIN { exit !($1 <= $2) }" && echo ok || echo "not ok"; }
below() { awk "BEGIN { exit !($1 < $2) }" && echo ok || echo "not ok"; }

declare -A LIST_RPS LIST_MEAN

# bench BACKEND SIZE DATABASE_URL
bench() {
    local backend=$1 size=$2 url=$3 tag="$1-$2"
    log "$tag: seeding $size registered and $SUBMITTED submitted suggestions"
    local seeded
    seeded=$("$BENCH" seed --database-url "$url" --count "$size" --submitted "$SUBMITTED" 2>"$OUT/logs/$tag-seed.log") ||
        die "seeding failed, see $OUT/logs/$tag-seed.log"
    local reg_first reg_last sub_first sub_last
    reg_first=$(field REGISTERED_FIRST "$seeded")
    reg_last=$(field REGISTERED_LAST "$seeded")
    sub_first=$(field SUBMITTED_FIRST "$seeded")
    sub_last=$(field SUBMITTED_LAST "$seeded")

    local port base_port
    port=$("$BENCH" free-port)
    JIANYI_DATABASE_URL=$url JIANYI_BIND=127.0.0.1:$port JIANYI_JWT_SECRET=$JWT_SECRET \
        JIANYI_ADMIN_PASSWORD=$ADMIN_PASSWORD RUST_LOG=warn \
        "$JIANYI" serve >"$OUT/logs/$tag-jianyi.log" 2>&1 &
    local jianyi_pid=$!
    PIDS+=("$jianyi_pid")
    local api=http://127.0.0.1:$port
    wait_http "$api/healthz" 30 "$jianyi_pid" || die "jianyi did not start, see $OUT/logs/$tag-jianyi.log"

    base_port=$("$BENCH" free-port)
    # The baseline reads by primary key without a LIMIT, as jianyi does (see baseline.rs).
    "$BENCH" baseline --database-url "$url" --bind "127.0.0.1:$base_port" --query get-result \
        >"$OUT/logs/$tag-baseline.log" 2>&1 &
    local base_pid=$!
    PIDS+=("$base_pid")
    local base=http://127.0.0.1:$base_port
    wait_http "$base/suggestions/$reg_first" 30 "$base_pid" || die "the baseline did not start, see $OUT/logs/$tag-baseline.log"

    local admin staff
    admin=$(token "$api" admin "$ADMIN_PASSWORD")
    curl -fsS -o /dev/null -X POST "$api/api/v1/users" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
        -d "{\"username\":\"bench-staff\",\"password\":\"$STAFF_PASSWORD\",\"role\":\"staff\",\"display_name\":\"代表工作室基准测试\"}" ||
        die "creating the staff account failed"
    staff=$(token "$api" bench-staff "$STAFF_PASSWORD")
    [ -n "$staff" ] || die "no staff token"
    curl -fsS -o /dev/null "$api/api/v1/suggestions/$reg_first" -H "Authorization: Bearer $staff" ||
        die "GET /api/v1/suggestions/$reg_first as staff failed"

    # a. one suggestion by id: jianyi and the baseline, same ids, same database.
    log "$tag: GET by id, jianyi and baseline in turn, twice (${DURATION}s each)"
    run_wrk "warmup-$tag-get" "$api" random_get.lua /api/v1/suggestions/ "$reg_first" "$reg_last" "$staff" >/dev/null
    run_wrk "warmup-$tag-baseline" "$base" random_get.lua /suggestions/ "$reg_first" "$reg_last" >/dev/null
    # Two rounds, jianyi and the baseline in turn, so that a drift of the machine's speed during
    # the run weighs on both alike; each figure is the mean of its two rounds.
    local get base_get rps=0 base_rps=0 round
    for round in 1 2; do
        get=$(run_wrk "$tag-get-$round" "$api" random_get.lua /api/v1/suggestions/ "$reg_first" "$reg_last" "$staff")
        base_get=$(run_wrk "$tag-baseline-get-$round" "$base" random_get.lua /suggestions/ "$reg_first" "$reg_last")
        [ "$(field non2xx "$get")" = 0 ] || log "warning: $(field non2xx "$get") non-2xx answers from jianyi (GET by id)"
        [ "$(field non2xx "$base_get")" = 0 ] || log "warning: $(field non2xx "$base_get") non-2xx answers from the baseline"
        rps=$(calc "$rps + $(field rps "$get") / 2" 1)
        base_rps=$(calc "$base_rps + $(field rps "$base_get") / 2" 1)
    done
    local ratio
    ratio=$(calc "$rps / $base_rps")
    record "$backend" "$size" "GET by id (req/s)" "$rps" "$base_rps" "$ratio" ">= 0.6" "$(at_least "$ratio" 0.6)"

    # b. a page of 50 registered suggestions after a random cursor.
    log "$tag: list, 50 per page (${DURATION}s)"
    local list_prefix="/api/v1/suggestions?session_id=1&state=registered&limit=50&cursor="
    run_wrk "warmup-$tag-list" "$api" random_get.lua "$list_prefix" $((reg_first - 1)) $((reg_last - 50)) "$staff" >/dev/null
    local list
    list=$(run_wrk "$tag-list" "$api" random_get.lua "$list_prefix" $((reg_first - 1)) $((reg_last - 50)) "$staff")
    [ "$(field non2xx "$list")" = 0 ] || log "warning: $(field non2xx "$list") non-2xx answers from jianyi (list)"
    LIST_RPS[$backend-$size]=$(field rps "$list")
    LIST_MEAN[$backend-$size]=$(field mean_us "$list")
    record "$backend" "$size" "list 50 (req/s)" "${LIST_RPS[$backend-$size]}" "-" "-" "-" "-"
    record "$backend" "$size" "list 50 mean latency (ms)" "$(calc "${LIST_MEAN[$backend-$size]} / 1000")" "-" "-" "-" "-"

    # c. registration against the raw commit rate of the same database: the better of 4 and of 16
    # writers at once (wrk keeps 16 requests in flight; PostgreSQL's own group commit gains from
    # more writers, SQLite's single writer does not).
    log "$tag: raw commit rate, 4 and 16 writers (${DURATION}s each)"
    local commits commits16 commit_rate
    commits=$("$BENCH" commit-rate --database-url "$url" --seconds "$DURATION" --sync full-each-commit --threads 4 \
        2>"$OUT/logs/$tag-commit-rate.log") || die "commit-rate failed, see $OUT/logs/$tag-commit-rate.log"
    commits16=$("$BENCH" commit-rate --database-url "$url" --seconds "$DURATION" --sync full-each-commit --threads 16 \
        2>"$OUT/logs/$tag-commit-rate-16.log") || die "commit-rate failed, see $OUT/logs/$tag-commit-rate-16.log"
    commit_rate=$(calc "($(field COMMIT_RATE "$commits") > $(field COMMIT_RATE "$commits16") ? $(field COMMIT_RATE "$commits") : $(field COMMIT_RATE "$commits16"))" 1)
    record "$backend" "$size" "raw single-row commits, 4 / 16 writers (/s)" "$(field COMMIT_RATE "$commits")" \
        "$(field COMMIT_RATE "$commits16")" "-" "-" "-"
    log "$tag: register (${DURATION}s)"
    local reg ok_per_s
    reg=$(run_wrk "$tag-register" "$api" register.lua "$sub_first" "$sub_last" "$WRK_THREADS" "$staff")
    ok_per_s=$(field ok_per_s "$reg")
    [ "$(field non200 "$reg")" = 0 ] || log "warning: $(field non200 "$reg") non-200 answers to register ($(field statuses "$reg"))"
    [ "$(field exhausted "$reg")" = 0 ] || log "warning: register ran out of submitted suggestions; raise SUBMITTED in benches/run.sh"
    ratio=$(calc "$ok_per_s / $commit_rate")
    record "$backend" "$size" "register (200/s)" "$ok_per_s" "$commit_rate" "$ratio" ">= 0.5" "$(at_least "$ratio" 0.5)"
    # The registration's own writes as raw SQL (no HTTP, no checks, no answer), from the top of
    # the submitted range down: what register would reach if the API cost nothing.
    local floor floor_rate
    floor=$("$BENCH" register-floor --database-url "$url" --seconds "$DURATION" --sync full-each-commit --threads 4 \
        --first "$sub_first" --last "$sub_last" 2>"$OUT/logs/$tag-register-floor.log") ||
        die "register-floor failed, see $OUT/logs/$tag-register-floor.log"
    floor_rate=$(field REGISTER_FLOOR_RATE "$floor")
    record "$backend" "$size" "register's writes as raw SQL (/s)" "$floor_rate" "$commit_rate" "$(calc "$floor_rate / $commit_rate")" "-" "-"
    record "$backend" "$size" "register vs its raw writes" "$ok_per_s" "$floor_rate" "$(calc "$ok_per_s / $floor_rate")" "-" "-"
    record "$backend" "$size" "register non-200 answers" "$(field non200 "$reg")" "-" "-" "0" \
        "$([ "$(field non200 "$reg")" = 0 ] && echo ok || echo "not ok")"
    # d. memory of the jianyi process (and of the baseline) after the loads.
    local hwm rss base_hwm base_rss
    hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$jianyi_pid/status")
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$jianyi_pid/status")
    base_hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$base_pid/status")
    base_rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$base_pid/status")
    record "$backend" "$size" "jianyi peak RSS, VmHWM (MiB)" "$(calc "$hwm / 1024" 1)" "$(calc "$base_hwm / 1024" 1)" \
        "$(calc "$hwm / $base_hwm")" "< 100" "$(below "$hwm" 102400)"
    record "$backend" "$size" "jianyi RSS after load (MiB)" "$(calc "$rss / 1024" 1)" "$(calc "$base_rss / 1024" 1)" \
        "$(calc "$rss / $base_rss")" "< 100" "$(below "$rss" 102400)"

    # e. issue 3, at the first size only: the assignment meeting of the seeded session (two units
    # each, one call) against the raw bulk-insert rate, and whole lifecycles against the raw
    # single-row commit rate (one client, one writer).
    if [ "$size" = "${SIZES%% *}" ]; then
        log "$tag: raw bulk inserts of the meeting's rows, then the assignment meeting of $size suggestions"
        local meeting bulk
        bulk=$("$BENCH" bulk-insert-rate --database-url "$url" --first "$reg_first" --last "$reg_last" \
            2>"$OUT/logs/$tag-bulk.log") || die "bulk-insert-rate failed, see $OUT/logs/$tag-bulk.log"
        meeting=$("$BENCH" meeting --base-url "$api" --admin-password "$ADMIN_PASSWORD" --first "$reg_first" --last "$reg_last" \
            2>"$OUT/logs/$tag-meeting.log") || die "the meeting failed, see $OUT/logs/$tag-meeting.log"
        local per_s bulk_rate
        per_s=$(field MEETING_ASSIGNMENTS_PER_S "$meeting")
        bulk_rate=$(field BULK_INSERT_RATE "$bulk")
        ratio=$(calc "$per_s / $bulk_rate")
        record "$backend" "$size" "assignment meeting (assignments/s)" "$per_s" "$bulk_rate" "$ratio" ">= 0.5" "$(at_least "$ratio" 0.5)"
        record "$backend" "$size" "assignment meeting (s, one call)" "$(field MEETING_SECONDS "$meeting")" "-" "-" "-" "-"
        # Lifecycles by 16 clients at once (the load register is measured under) against the raw
        # commit rate measured above (as for register); by 4 and by one client for reading, the
        # one against the single-writer commit rate.
        log "$tag: lifecycles (register to completed): 800 by 16 clients, 400 by 4, 100 by one; the single-writer commit rate"
        local life life4 single life1
        # Warm-up, as for the reads: every pooled connection prepares its statements, and the
        # meeting's pages are checkpointed out of the write-ahead log.
        "$BENCH" lifecycle --base-url "$api" --admin-password "$ADMIN_PASSWORD" --count 160 --clients 16 \
            >/dev/null 2>"$OUT/logs/$tag-lifecycle-warmup.log" || die "the lifecycle failed, see $OUT/logs/$tag-lifecycle-warmup.log"
        life=$("$BENCH" lifecycle --base-url "$api" --admin-password "$ADMIN_PASSWORD" --count 800 --clients 16 \
            2>"$OUT/logs/$tag-lifecycle.log") || die "the lifecycle failed, see $OUT/logs/$tag-lifecycle.log"
        life4=$("$BENCH" lifecycle --base-url "$api" --admin-password "$ADMIN_PASSWORD" --count 400 --clients 4 \
            2>"$OUT/logs/$tag-lifecycle-4.log") || die "the lifecycle failed, see $OUT/logs/$tag-lifecycle-4.log"
        life1=$("$BENCH" lifecycle --base-url "$api" --admin-password "$ADMIN_PASSWORD" --count 100 --clients 1 \
            2>"$OUT/logs/$tag-lifecycle-1.log") || die "the lifecycle failed, see $OUT/logs/$tag-lifecycle-1.log"
        single=$("$BENCH" commit-rate --database-url "$url" --seconds "$DURATION" --sync full-each-commit --threads 1 \
            2>"$OUT/logs/$tag-commit-rate-1.log") || die "commit-rate failed, see $OUT/logs/$tag-commit-rate-1.log"
        per_s=$(field LIFECYCLE_ACTIONS_PER_S "$life")
        ratio=$(calc "$per_s / $commit_rate")
        record "$backend" "$size" "lifecycle actions, 16 clients (actions/s)" "$per_s" "$commit_rate" "$ratio" ">= 0.5" \
            "$(at_least "$ratio" 0.5)"
        per_s=$(field LIFECYCLE_ACTIONS_PER_S "$life4")
        record "$backend" "$size" "lifecycle actions, 4 clients (actions/s)" "$per_s" "$commit_rate" "$(calc "$per_s / $commit_rate")" "-" "-"
        per_s=$(field LIFECYCLE_ACTIONS_PER_S "$life1")
        ratio=$(calc "$per_s / $(field COMMIT_RATE "$single")")
        record "$backend" "$size" "lifecycle actions, 1 client (actions/s)" "$per_s" "$(field COMMIT_RATE "$single")" "$ratio" "-" "-"
        record "$backend" "$size" "lifecycle, register to completed, 1 client (ms)" "$(field LIFECYCLE_MS_PER_SUGGESTION "$life1")" "-" "-" "-" "-"
    fi

    # The serial check once the servers have stopped, so that no registration is still in flight.
    stop_servers
    local serials gapless
    serials=$("$BENCH" check-serials --database-url "$url" --session-id 1 2>&1) && gapless=ok || gapless="not ok"
    echo "$serials" >"$OUT/logs/$tag-serials.txt"
    record "$backend" "$size" "serials gapless (max serial)" "$(field MAX_SERIAL "$serials")" \
        "$(field REGISTERED "$serials")" "-" "max = count" "$gapless"
}

# Ratio of the list's mean latency at the largest size to the smallest.
list_scaling() {
    local backend=$1 first last sizes
    read -r -a sizes <<<"$SIZES"
    [ ${#sizes[@]} -ge 2 ] || return 0
    first=${sizes[0]}
    last=${sizes[${#sizes[@]} - 1]}
    local ratio
    ratio=$(calc "${LIST_MEAN[$backend-$last]} / ${LIST_MEAN[$backend-$first]}")
    record "$backend" "$last/$first" "list 50 req/s, mean latency ratio" "${LIST_RPS[$backend-$last]}" \
        "${LIST_RPS[$backend-$first]}" "$ratio" "<= 1.5" "$(at_most "$ratio" 1.5)"
}

for size in $SIZES; do
    dir=$OUT/sqlite-$size
    rm -rf "$dir"
    mkdir -p "$dir"
    bench sqlite "$size" "sqlite://$dir/jianyi.db"
done
list_scaling sqlite

# PostgreSQL's own ceiling for transactions of several statements, by its own client (pgbench,
# in C, no HTTP, no checks), 16 clients as wrk: a single-row insert (what commit-rate measures),
# then pgbench's built-in simple-update (BEGIN, three statements, END) and TPC-B-like (BEGIN,
# five statements, END). What they reach against the insert bounds what any action run as one
# transaction of that many statements per request can reach on this server.
pg_ceiling() {
    if ! command -v pgbench >/dev/null; then
        log "pgbench not found: PostgreSQL's own ceiling is not measured"
        return 0
    fi
    local name=jianyi_bench_pgbench url
    PG_DATABASES+=("$name")
    url=$("$BENCH" create-db --url "$PG_URL" --name "$name") || die "cannot create database $name on $PG_URL"
    log "postgres: pgbench's own transactions, 16 clients (${DURATION}s each)"
    pgbench -i -q -s 16 "$url" >"$OUT/logs/pgbench-init.log" 2>&1 || die "pgbench -i failed, see $OUT/logs/pgbench-init.log"
    echo "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (1, 1, 1, 1, now());" >"$OUT/logs/pgbench-insert.sql"
    local kind tps insert_tps=""
    for kind in insert simple-update tpcb-like; do
        local how=(-b "$kind")
        [ "$kind" = insert ] && how=(-f "$OUT/logs/pgbench-insert.sql")
        pgbench -n -M prepared -c "$WRK_CONNECTIONS" -j "$WRK_THREADS" -T "$DURATION" "${how[@]}" "$url" \
            >"$OUT/logs/pgbench-$kind.log" 2>&1 || die "pgbench failed, see $OUT/logs/pgbench-$kind.log"
        tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$OUT/logs/pgbench-$kind.log" | head -n1)
        [ -n "$tps" ] || die "no tps in $OUT/logs/pgbench-$kind.log"
        if [ "$kind" = insert ]; then
            insert_tps=$tps
            record postgres - "pgbench: single-row insert (tps)" "$tps" "-" "-" "-" "-"
        else
            record postgres - "pgbench: $kind vs single-row insert (tps)" "$tps" "$insert_tps" "$(calc "$tps / $insert_tps")" "-" "-"
        fi
    done
    "$BENCH" drop-db --url "$PG_URL" --name "$name"
}

if [ -n "$PG_URL" ]; then
    pg_ceiling
    for size in $SIZES; do
        name=jianyi_bench_$size
        PG_DATABASES+=("$name")
        url=$("$BENCH" create-db --url "$PG_URL" --name "$name") || die "cannot create database $name on $PG_URL"
        bench postgres "$size" "$url"
        "$BENCH" drop-db --url "$PG_URL" --name "$name"
    done
    list_scaling postgres
else
    log "JIANYI_BENCH_POSTGRES_URL is not set: PostgreSQL skipped"
fi

# ---- summary ----
{
    printf 'Jianyi benchmark, %s, commit %s, %s cores, wrk -t%s -c%s -d%ss\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
        "$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)" "$(nproc)" \
        "$WRK_THREADS" "$WRK_CONNECTIONS" "$DURATION"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' backend size measure value baseline ratio target ok
    cat "$RESULTS"
} | awk -F'\t' '
    NR == 1 { print; next }
    { for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > width[i]) width[i] = length($i) } rows = NR; cols = NF }
    END {
        for (r = 2; r <= rows; r++) {
            line = ""
            for (i = 1; i <= cols; i++) line = line sprintf(i < cols ? "%-" width[i] + 2 "s" : "%s", cell[r, i])
            print line
        }
    }' >"$OUT/summary.txt"
echo
cat "$OUT/summary.txt"
echo
log "summary written to $OUT/summary.txt"
if [ "${BENCH_STRICT:-0}" = 1 ] && grep -q 'not ok$' "$RESULTS"; then
    exit 1
fi
