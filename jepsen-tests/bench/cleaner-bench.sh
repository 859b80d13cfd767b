#!/usr/bin/env bash
# cleaner-bench.sh: log-cleaner throughput of Runnel against Apache Kafka, same records, same run.
#
#   jepsen-tests/bench/cleaner-bench.sh [--bytes N] [--distinct-ratio R] [--record-size B] [--kafka-version V]
#                                       [--compression none|gzip|snappy|lz4|zstd] [--segment-bytes N] [--seed S]
#                                       [--timeout SECONDS] [--only kafka|runnel] [--keep]
#   jepsen-tests/bench/cleaner-bench.sh --report-from RUN_DIR
#
# Defaults: --bytes 1g (of values; k, m, g are KiB, MiB, GiB), --distinct-ratio 0.1, --record-size 1024,
# --kafka-version 4.4.0, --compression none, --segment-bytes 64m, --seed 42, --timeout 1800 (per system, for the
# cleaner to finish), both systems, data directories deleted afterwards (--keep keeps them).
#
# For each system in turn (Apache Kafka first, then Runnel, never both at once: the machine has 2 cores):
# 1. Starts one combined broker+controller node on free loopback ports with its own data directory, the same JVM
#    options (SERVER_JVM_OPTS) and the same cleaner settings: log.cleaner.threads=1, log.cleaner.backoff.ms=100 and a
#    log.cleaner.dedupe.buffer.size that holds every key at once (one cleaning pass, unless a system's map is smaller).
#    Kafka: org.apache.kafka:kafka_2.13:V and its runtime dependencies from Maven Central (a throwaway pom under
#    jepsen-tests/target/bench, as side-by-side.sh does), formatted with StorageTool, its log4j2 writing server.log
#    and, as the distribution does, the cleaner's loggers to log-cleaner.log. Runnel: bin/runnel server-start
#    config/server.properties with --override for ports, node id, voters, log.dirs and the cleaner keys.
# 2. With CleanerBenchClient.java (beside this script; kafka-clients V, the same program for both systems): creates one
#    topic, 1 partition, RF 1, cleanup.policy=compact, min.cleanable.dirty.ratio=0.01, segment.bytes=--segment-bytes,
#    and min.compaction.lag.ms=86400000 so nothing is cleaned while producing; produces N = bytes / record-size
#    records whose keys come from round(N * R) distinct keys (exactly that many occur; seeded, so both systems get the
#    same records in the same order) with values of record-size bytes; notes the active segment's base offset; then
#    sets min.compaction.lag.ms=0, so the cleaner does one job: everything but the active segment.
# 3. Waits for the cleaner's stats until their dirty sections reach the active segment: Kafka's block in
#    log-cleaner.log ("Log cleaner thread 0 cleaned log T-0 (dirty section = [a, b])", "X MB of log processed in Y
#    seconds (Z MB/sec).", "Start size: ...", "End size: ..."), Runnel's one line in its server log
#    ("[log-cleaner-thread-0] Cleaned log T-0 (dirty section = [a, b]): X MB of log processed in Y seconds (Z MB/sec);
#    start size A MB (n messages), end size B MB (m messages), ..."). MB are 2^20 bytes of the log
#    as stored (after --compression) in both.
# 4. Prints a Markdown table, a row per system: cleaning passes, MB processed and seconds (summed over the passes), MB/s
#    (summed MB over summed MB/rate of each pass, so the 0.1 s rounding of short passes does not dominate), size and
#    messages before (the first pass's start plus what each later pass added beyond the previous pass's end) and after
#    (the last pass's end); the cleaner throughput ratio Runnel/Kafka; and the stats as each system logged them.
#    A Runnel that warns "unknown configuration 'log.cleaner.threads' is ignored" (no cleaner yet) is reported failed.
#
# Exit status: 0 when both systems (or the --only one) produced their stats, 1 when one failed (no stats within
# --timeout, a server that died, a client error; the others still run), 2 for a bad flag.
# Raw output (server configs and logs, client output, report.md) stays in jepsen-tests/target/bench/cleaner-*;
# --report-from RUN_DIR prints the report of such a directory again.
# Needs: JDK 17+, Maven 3.8+ (network access to Maven Central on the first run).
# The shell functions it shares with the other bench scripts are in bench-lib.sh, beside it.
#
# Example (the issue's benchmark): jepsen-tests/bench/cleaner-bench.sh --bytes 1g --distinct-ratio 0.1
set -euo pipefail
# shellcheck source=bench-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

BYTES_ARG=1g
DISTINCT_RATIO=0.1
RECORD_SIZE=1024
KAFKA_VERSION=4.4.0
COMPRESSION=none
SEGMENT_BYTES_ARG=64m
SEED=42
CLEAN_TIMEOUT_S=1800
ONLY=""
KEEP=0
REPORT_FROM=""
# Both servers format numbers the same way (Kafka's stats use the default locale's grouping and decimal marks).
SERVER_JVM_OPTS="${SERVER_JVM_OPTS:--Xmx1g -Xms1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent} -Duser.language=en -Duser.country=US"
START_TIMEOUT_S=120
PRODUCE_TIMEOUT_S=3600
TOPIC=cleaner-bench

usage() {
  bench_usage 2 11
}

while [ $# -gt 0 ]; do
  case "$1" in
    --bytes|--distinct-ratio|--record-size|--kafka-version|--compression|--segment-bytes|--seed|--timeout|--only|--report-from)
      [ $# -ge 2 ] || die "$1 needs a value; see --help" ;;&
    --bytes) BYTES_ARG="$2"; shift 2 ;;
    --distinct-ratio) DISTINCT_RATIO="$2"; shift 2 ;;
    --record-size) RECORD_SIZE="$2"; shift 2 ;;
    --kafka-version) KAFKA_VERSION="$2"; shift 2 ;;
    --compression) COMPRESSION="$2"; shift 2 ;;
    --segment-bytes) SEGMENT_BYTES_ARG="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --timeout) CLEAN_TIMEOUT_S="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    --report-from) REPORT_FROM="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'; see --help" ;;
  esac
done

# ---------------------------------------------------------------------------------------------------------------
# Stats parsing. Each prints one pass per line: LOG FROM TO MB SECONDS MB_PER_SEC START_MB START_MSGS END_MB END_MSGS

# kafka_passes FILE: the multi-line blocks of Kafka's log-cleaner.log (numbers may carry ',' grouping).
kafka_passes() {
  [ -f "$1" ] || return 0
  awk '
    function num(s) { gsub(/[,()]/, "", s); return s }
    function emit() { if (name != "" && done) print name, from, to, mb, secs, rate, smb, smsg, emb, emsg }
    /Log cleaner thread [0-9]+ cleaned log / {
      emit(); name = ""; done = 0
      for (i = 1; i <= NF; i++) if ($i == "log") name = $(i + 1)
      s = $0; sub(/.*dirty section = \[/, "", s); sub(/\].*/, "", s); split(s, ft, /, */); from = num(ft[1]); to = num(ft[2])
      next
    }
    name != "" && / MB of log processed in / {
      for (i = 1; i <= NF; i++) {
        if ($i == "MB" && $(i + 1) == "of") mb = num($(i - 1))
        if ($i == "in" && $(i + 2) == "seconds") secs = num($(i + 1))
        if ($i ~ /^MB\/sec/) rate = num($(i - 1))
      }
      next
    }
    name != "" && /Start size: / { for (i = 1; i <= NF; i++) if ($i == "size:") { smb = num($(i + 1)); smsg = num($(i + 3)) } next }
    name != "" && /End size: / { for (i = 1; i <= NF; i++) if ($i == "size:") { emb = num($(i + 1)); emsg = num($(i + 3)) } done = 1; next }
    END { emit() }
  ' "$1"
}

# runnel_passes FILE: Runnel's one-line stats (logger io.runnel.log.cleaner), anywhere in a line of its server log.
runnel_passes() {
  [ -f "$1" ] || return 0
  sed -nE 's/.*\[log-cleaner-thread-[0-9]+\] Cleaned log ([^ ]+) \(dirty section = \[([0-9]+), ([0-9]+)\]\): ([0-9.]+) MB of log processed in ([0-9.]+) seconds \(([0-9.]+) MB\/sec\); start size ([0-9.]+) MB \(([0-9]+) messages\), end size ([0-9.]+ MB \([0-9]+) messages\).*/\1 \2 \3 \4 \5 \6 \7 \8 \9/p' "$1" \
    | awk '{ sub(/^\(/, "", $11); print $1, $2, $3, $4, $5, $6, $7, $8, $9, $11 }'
}

# passes SYSTEM RUN_DIR: the passes over the benchmark topic's partition 0 on SYSTEM.
passes() {
  if [ "$1" = kafka ]; then kafka_passes "$2/kafka-log-cleaner.log"; else runnel_passes "$2/runnel-server.log"; fi \
    | awk -v want="$TOPIC-0" '$1 == want'
}

# summary SYSTEM RUN_DIR: PASSES MB SECONDS MB_PER_SEC START_MB START_MSGS END_MB END_MSGS LAST_TO, or nothing.
summary() {
  passes "$1" "$2" | awk '
    { n++; mb += $4; secs += $5; if ($6 > 0) exact += $4 / $6; else exact += $5
      if (n == 1) { smb = $7; smsg = $8 } else { smb += $7 - emb; smsg += $8 - emsg }
      emb = $9; emsg = $10; to = $3 }
    END { if (n > 0) printf "%d %.1f %.1f %.1f %.1f %d %.1f %d %d\n", n, mb, secs, (exact > 0 ? mb / exact : 0), smb, smsg, emb, emsg, to }'
}

report() {
  local run="$1" system label k r ratio
  # shellcheck disable=SC1091
  . "$run/meta.env"
  echo "# Log-cleaner throughput: Runnel vs Apache Kafka $KAFKA_VERSION"
  echo
  echo "$RECORDS records ($BYTES bytes of values, $RECORD_SIZE-byte values, $DISTINCT distinct keys," \
    "compression $COMPRESSION, seed $SEED), one partition, segment.bytes=$SEGMENT_BYTES, cleaned in one job" \
    "after producing; $HOST, $CORES cores, $WHEN; raw output in $run."
  echo
  echo "| system | passes | MB processed | seconds | MB/s | start size (MB) | end size (MB) | messages before | messages after |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for system in kafka runnel; do
    if [ "$system" = kafka ]; then label="Apache Kafka $KAFKA_VERSION"; else label="Runnel"; fi
    local s
    s="$(summary "$system" "$run")"
    if [ -n "$s" ] && [ ! -f "$run/$system.failed" ]; then
      read -r n mb secs rate smb smsg emb emsg _ <<< "$s"
      echo "| $label | $n | $mb | $secs | $rate | $smb | $emb | $smsg | $emsg |"
      [ "$system" = kafka ] && k="$rate" || r="$rate"
    elif [ -f "$run/$system.skipped" ]; then
      echo "| $label | skipped (--only) | | | | | | | |"
    else
      echo "| $label | failed: $(head -1 "$run/$system.failed" 2>/dev/null || echo "no stats") | | | | | | | |"
    fi
  done
  echo
  ratio="-"
  if [ -n "${k:-}" ] && [ -n "${r:-}" ]; then
    ratio="$(ratio_of "$r" "$k")"
  fi
  echo "Cleaner throughput Runnel/Kafka: **$ratio**"
  echo
  echo "Apache Kafka's log-cleaner.log and Runnel's server log for $TOPIC-0:"
  echo
  echo '```'
  [ -f "$run/kafka-log-cleaner.log" ] && awk -v want="cleaned log $TOPIC-0 " '
    index($0, want) && /Log cleaner thread/ { on = 1 }
    on { print } on && /fewer messages/ { on = 0 }' "$run/kafka-log-cleaner.log"
  [ -f "$run/runnel-server.log" ] && grep -F "Cleaned log $TOPIC-0 " "$run/runnel-server.log"
  echo '```'
}

if [ -n "$REPORT_FROM" ]; then
  report_from_and_exit "$REPORT_FROM"
fi

# ---------------------------------------------------------------------------------------------------------------
# Flags

parse_bytes_flag
SEGMENT_BYTES="$(bytes_of "$SEGMENT_BYTES_ARG")"
[ -n "$SEGMENT_BYTES" ] && [ "$SEGMENT_BYTES" -ge 1048576 ] \
  || die "--segment-bytes takes a byte count of at least 1m (Kafka's minimum segment.bytes), got '$SEGMENT_BYTES_ARG'"
check_record_size
awk -v r="$DISTINCT_RATIO" 'BEGIN { exit !(r ~ /^([0-9]*\.)?[0-9]+$/ && r > 0 && r <= 1) }' \
  || die "--distinct-ratio takes a number in (0, 1], got '$DISTINCT_RATIO'"
case "$COMPRESSION" in none|gzip|snappy|lz4|zstd) ;; *) die "--compression must be none, gzip, snappy, lz4 or zstd, got '$COMPRESSION'" ;; esac
[[ "$SEED" =~ ^-?[0-9]+$ ]] || die "--seed takes an integer, got '$SEED'"
check_run_flags "$CLEAN_TIMEOUT_S"

RECORDS=$((BYTES / RECORD_SIZE))
DISTINCT="$(awk -v n="$RECORDS" -v r="$DISTINCT_RATIO" 'BEGIN { d = int(n * r + 0.5); if (d < 1) d = 1; print d }')"
# The offset map needs 24 bytes per key (Kafka's: a 16-byte MD5 and an 8-byte offset) and is filled to 90% at most
# (log.cleaner.io.buffer.load.factor); twice that, and at least 32 MiB, holds all keys with room to spare.
DEDUPE_BUFFER=$((DISTINCT * 24 * 2))
[ "$DEDUPE_BUFFER" -ge $((32 * 1024 * 1024)) ] || DEDUPE_BUFFER=$((32 * 1024 * 1024))

setup_run cleaner

PIDS=()
drop_data() {
  [ "$KEEP" = 1 ] || rm -rf "$RUN/kafka-data" "$RUN/runnel-data"
}
trap 'stop_servers; drop_data' EXIT
trap 'exit 130' INT TERM

client() {
  java -cp "$KAFKA_DIST/libs/*" "$BENCH_DIR/CleanerBenchClient.java" "$@"
}

BROKER_PORT=""
CONTROLLER_PORT=""
BOOTSTRAP=""
pick_ports() {
  local ports
  mapfile -t ports < <(free_ports 2)
  BROKER_PORT="${ports[0]}"
  CONTROLLER_PORT="${ports[1]}"
  BOOTSTRAP="127.0.0.1:$BROKER_PORT"
}

start_kafka() {
  fetch_kafka
  pick_ports
  local cluster_id props="$RUN/kafka.properties"
  cluster_id="$(kafka_java kafka.tools.StorageTool random-uuid)"
  # Kafka's config/server.properties (KRaft, combined) on our ports, plus the cleaner settings of this benchmark.
  {
    kafka_server_properties 1 "$BROKER_PORT" "$CONTROLLER_PORT" "1@127.0.0.1:$CONTROLLER_PORT" "$RUN/kafka-data" 1
    cat <<EOF
log.cleaner.threads=1
log.cleaner.dedupe.buffer.size=$DEDUPE_BUFFER
log.cleaner.backoff.ms=100
EOF
  } > "$props"
  # The distribution's config/log4j2.yaml in short: INFO to server.log, the cleaner's loggers to log-cleaner.log only.
  cat > "$RUN/kafka-log4j2.properties" <<EOF
status = warn
appender.server.type = File
appender.server.name = server
appender.server.fileName = $RUN/kafka-server.log
appender.server.layout.type = PatternLayout
appender.server.layout.pattern = [%d] %p %m (%c)%n
appender.cleaner.type = File
appender.cleaner.name = cleaner
appender.cleaner.fileName = $RUN/kafka-log-cleaner.log
appender.cleaner.layout.type = PatternLayout
appender.cleaner.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.server.ref = server
logger.cleaner.name = org.apache.kafka.storage.internals.log.LogCleaner
logger.cleaner.level = info
logger.cleaner.additivity = false
logger.cleaner.appenderRef.cleaner.ref = cleaner
logger.thread.name = org.apache.kafka.storage.internals.log.LogCleaner\$CleanerThread
logger.thread.level = info
logger.thread.additivity = false
logger.thread.appenderRef.cleaner.ref = cleaner
logger.core.name = org.apache.kafka.storage.internals.log.Cleaner
logger.core.level = info
logger.core.additivity = false
logger.core.appenderRef.cleaner.ref = cleaner
logger.manager.name = org.apache.kafka.storage.internals.log.LogCleanerManager
logger.manager.level = info
logger.manager.additivity = false
logger.manager.appenderRef.cleaner.ref = cleaner
EOF
  kafka_format "$cluster_id" "$props" "$RUN/kafka-format.txt" || { fail kafka "formatting Kafka's storage failed"; return 1; }
  kafka_node_start "$RUN/kafka-log4j2.properties" "$props" "$RUN/kafka-server.out"
  await_line "$RUN/kafka-server.log" "Kafka Server started" "${PIDS[0]}" || { fail kafka "Kafka did not start"; return 1; }
  log "Apache Kafka $KAFKA_VERSION up, bootstrap $BOOTSTRAP (pid ${PIDS[0]})"
}

start_runnel() {
  pick_ports
  runnel_node_start "$ROOT/config/server.properties" 1 "$BROKER_PORT" "$CONTROLLER_PORT" "1@127.0.0.1:$CONTROLLER_PORT" \
    "$RUN/runnel-data" "$RUN/runnel-server.out" "$RUN/runnel-server.log" \
    log.cleaner.threads=1 log.cleaner.dedupe.buffer.size="$DEDUPE_BUFFER" log.cleaner.backoff.ms=100
  await_line "$RUN/runnel-server.log" "Broker 1 is now unfenced" "${PIDS[0]}" || { fail runnel "Runnel did not start"; return 1; }
  # A Runnel without a cleaner warns "unknown configuration 'log.cleaner.threads' is ignored": no figures to wait for.
  if grep -q "unknown configuration 'log\.cleaner\." "$RUN/runnel-server.log"; then
    grep "unknown configuration 'log\.cleaner\." "$RUN/runnel-server.log" >&2
    fail runnel "this Runnel ignores the log.cleaner.* settings (no log cleaner in this build?)"
    return 1
  fi
  log "Runnel up, bootstrap $BOOTSTRAP (pid ${PIDS[0]})"
}

# active_base DIR: the base offset of the partition's newest segment (its active one), from the file names.
active_base() {
  local newest
  newest="$(find "$1" -maxdepth 1 -name '*.log' -printf '%f\n' 2>/dev/null | sort | tail -1)"
  [ -n "$newest" ] || return 1
  echo $((10#${newest%.log}))
}

# run_system SYSTEM: start, create, produce, enable cleaning, wait for the stats, stop. Non-zero on failure.
run_system() {
  local system="$1" pid s i to base segments
  log "$system: starting (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  if [ "$system" = kafka ]; then start_kafka || return 1; else start_runnel || return 1; fi
  pid="${PIDS[0]}"
  client create --bootstrap-server "$BOOTSTRAP" --topic "$TOPIC" --segment-bytes "$SEGMENT_BYTES" \
    > "$RUN/$system-create.txt" 2>&1 || { cat "$RUN/$system-create.txt" >&2; fail "$system" "creating the topic failed"; return 1; }
  log "$system: producing $RECORDS records, $DISTINCT distinct keys, $RECORD_SIZE-byte values, compression $COMPRESSION"
  timeout "$PRODUCE_TIMEOUT_S" java -cp "$KAFKA_DIST/libs/*" "$BENCH_DIR/CleanerBenchClient.java" produce \
    --bootstrap-server "$BOOTSTRAP" --topic "$TOPIC" --records "$RECORDS" --distinct-keys "$DISTINCT" \
    --record-size "$RECORD_SIZE" --seed "$SEED" --compression "$COMPRESSION" \
    > "$RUN/$system-produce.txt" 2> "$RUN/$system-produce.err" \
    || { tail -5 "$RUN/$system-produce.err" >&2; fail "$system" "producing failed"; return 1; }
  cat "$RUN/$system-produce.txt" >&2
  base="$(active_base "$RUN/$system-data/$TOPIC-0")" \
    || { fail "$system" "no segment files in $RUN/$system-data/$TOPIC-0"; return 1; }
  segments="$(find "$RUN/$system-data/$TOPIC-0" -maxdepth 1 -name '*.log' | wc -l)"
  echo "$base" > "$RUN/$system.active-base"
  log "$system: $segments segments, the active one from offset $base; enabling cleaning"
  [ "$base" -gt 0 ] || { fail "$system" "everything is in the active segment; lower --segment-bytes or raise --bytes"; return 1; }
  client enable-cleaning --bootstrap-server "$BOOTSTRAP" --topic "$TOPIC" > "$RUN/$system-enable.txt" 2>&1 \
    || { cat "$RUN/$system-enable.txt" >&2; fail "$system" "enabling cleaning failed"; return 1; }
  # Done when a pass's dirty section reaches the active segment (Kafka's end is exclusive, the active base offset).
  for ((i = 0; i < CLEAN_TIMEOUT_S * 2; i++)); do
    s="$(summary "$system" "$RUN")"
    to="${s##* }"
    if [ -n "$s" ] && [ "$to" -ge "$base" ]; then
      log "$system: cleaned [0, $to) in $(echo "$s" | cut -d' ' -f1) pass(es)"
      stop_servers
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { fail "$system" "the server (pid $pid) exited while cleaning"; return 1; }
    sleep 0.5
  done
  if [ -n "$s" ]; then
    fail "$system" "within ${CLEAN_TIMEOUT_S}s the cleaner's stats reached offset $to, not the active segment's $base"
  else
    fail "$system" "no cleaner stats line for $TOPIC-0 within ${CLEAN_TIMEOUT_S}s (see $RUN/$system-*.log)"
  fi
}

write_meta KAFKA_VERSION BYTES RECORDS RECORD_SIZE DISTINCT COMPRESSION SEED SEGMENT_BYTES TOPIC

status=0
fetch_kafka # the client runs on Kafka's kafka-clients, so both halves need the download
if [ "$ONLY" != runnel ]; then
  run_system kafka || status=1
  stop_servers
  drop_data
else
  touch "$RUN/kafka.skipped"
fi
if [ "$ONLY" != kafka ]; then
  if "$RUNNEL" --version > /dev/null; then # builds Runnel first if its sources changed, outside any measurement
    run_system runnel || status=1
  else
    fail runnel "bin/runnel could not build or run (see above)" || status=1
  fi
  stop_servers
  drop_data
else
  touch "$RUN/runnel.skipped"
fi
report "$RUN" | tee "$RUN/report.md"
exit "$status"
