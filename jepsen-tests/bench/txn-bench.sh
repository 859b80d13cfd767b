#!/usr/bin/env bash
# txn-bench.sh: transactional producer throughput of Runnel against Apache Kafka, Kafka's own client, same run.
#
#   jepsen-tests/bench/txn-bench.sh [--nodes 1|3] [--num-records N] [--record-size BYTES]
#                                   [--transaction-duration-ms MS] [--kafka-version V] [--timeout SECONDS]
#                                   [--only kafka|runnel] [--keep]
#   jepsen-tests/bench/txn-bench.sh --report-from RUN_DIR
#
# Defaults: --nodes 1, --num-records 500000, --record-size 1024, --transaction-duration-ms 100, --kafka-version 4.4.0,
# --timeout 1800 (per producer run), both systems, data directories deleted afterwards (--keep keeps them).
#
# For each system in turn (Apache Kafka first, then Runnel, never both at once):
# 1. Starts --nodes combined broker+controller nodes on free loopback ports (a static voter set), the same JVM options
#    (SERVER_JVM_OPTS) for both. Kafka: org.apache.kafka:kafka_2.13:V from Maven Central (a throwaway pom under
#    jepsen-tests/target/bench, as side-by-side.sh and cleaner-bench.sh do), KRaft, formatted with StorageTool, the
#    internal topics (the transaction log included) at RF --nodes; waits for "Kafka Server started". Runnel:
#    bin/runnel server-start config/server.properties with --override for ports, node id, voters and log.dirs; waits
#    for "Broker N is now unfenced".
# 2. With Apache Kafka's own tools (org.apache.kafka:kafka-tools:V and its runtime dependencies, fetched the same way
#    into jepsen-tests/target/bench/kafka-tools-V; run as the distribution's scripts run them, -Xmx512M, WARN logging
#    to stderr): creates the topic txn-bench, 1 partition, RF = --nodes, min.insync.replicas 2 on 3 nodes (1 on 1)
#    (TopicCommand); runs
#      org.apache.kafka.tools.ProducerPerformance --topic txn-bench --num-records N --record-size S --throughput -1
#        --transactional-id bench-txn --transaction-duration-ms MS --producer-props bootstrap.servers=... acks=all
#    (initTransactions, then a transaction committed every MS ms; its summary line is Kafka's usual one); then reads
#    the partition's end offset with GetOffsetShell --time -1 until two reads 2 s apart agree (commit markers are
#    written after commitTransaction returns).
# 3. Counts the committed transactions without trusting the client: every committed transaction of this one-partition
#    topic ends with exactly one commit marker (a control batch taking one offset) in the partition, so
#    markers = end offset - N records. transactions/s = markers / the run's seconds, the seconds being N / the
#    records/sec of ProducerPerformance's summary line (its clock starts after initTransactions).
# 4. Prints a Markdown table, a row per system (records/s, MB/s, latencies, seconds, end offset, markers,
#    transactions/s) and the Runnel/Kafka ratios of records/s and transactions/s.
#
# Exit status: 0 when both systems (or the --only one) produced their figures, 1 when one failed (a server that did
# not start, a client error, an end offset that makes no sense; the other still runs), 2 for a bad flag.
# Raw output (server configs and logs, tool output, report.md) stays in jepsen-tests/target/bench/txn-*;
# --report-from RUN_DIR prints the report of such a directory again. Maven downloads go to the local repository
# jepsen-tests/target/bench/m2 (BENCH_MAVEN_REPO overrides it), not ~/.m2.
# Needs: JDK 17+, Maven 3.8+ (network access to Maven Central on the first run).
# The shell functions it shares with the other bench scripts are in bench-lib.sh, beside it.
#
# Example: jepsen-tests/bench/txn-bench.sh --nodes 3 --num-records 500000
set -euo pipefail
# shellcheck source=bench-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

NODES=1
RECORDS=500000
RECORD_SIZE=1024
TXN_MS=100
KAFKA_VERSION=4.4.0
PERF_TIMEOUT_S=1800
ONLY=""
KEEP=0
REPORT_FROM=""
SERVER_JVM_OPTS="${SERVER_JVM_OPTS:--Xmx1g -Xms1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent}"
START_TIMEOUT_S=120
OFFSET_TIMEOUT_S=60
TOPIC=txn-bench
TRANSACTIONAL_ID=bench-txn
BENCH_MAVEN_REPO="${BENCH_MAVEN_REPO:-$WORK/m2}"

usage() {
  bench_usage 2 10
}

while [ $# -gt 0 ]; do
  case "$1" in
    --nodes|--num-records|--record-size|--transaction-duration-ms|--kafka-version|--timeout|--only|--report-from)
      [ $# -ge 2 ] || die "$1 needs a value; see --help" ;;&
    --nodes) NODES="$2"; shift 2 ;;
    --num-records) RECORDS="$2"; shift 2 ;;
    --record-size) RECORD_SIZE="$2"; shift 2 ;;
    --transaction-duration-ms) TXN_MS="$2"; shift 2 ;;
    --kafka-version) KAFKA_VERSION="$2"; shift 2 ;;
    --timeout) PERF_TIMEOUT_S="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    --report-from) REPORT_FROM="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'; see --help" ;;
  esac
done

# ---------------------------------------------------------------------------------------------------------------
# Report

# producer_numbers FILE: from ProducerPerformance's summary line ("N records sent, R records/sec (M MB/sec),
# A ms avg latency, X ms max latency, P50 ms 50th, P95 ms 95th, P99 ms 99th, P999 ms 99.9th.") prints
# N R M A X P50 P95 P99 P999; nothing when there is no such line.
producer_numbers() {
  [ -f "$1" ] || return 0
  grep -F ' 50th' "$1" | tail -1 | awk -F', ' '{
    split($1, sent, " "); split($2, rate, " "); mb = rate[3]; sub(/^\(/, "", mb)
    out = sent[1] " " rate[1] " " mb
    for (i = 3; i <= 8; i++) { split($i, w, " "); out = out " " w[1] }
    print out
  }'
}

# figures SYSTEM RUN_DIR: RECORDS_PER_S MB_PER_S AVG_MS MAX_MS P50 P99 SECONDS END_OFFSET MARKERS TXN_PER_S, or
# nothing when the system has no summary line or no end offset.
figures() {
  local p end
  p="$(producer_numbers "$2/$1-producer.txt")"
  end="$(cat "$2/$1.end-offset" 2>/dev/null || true)"
  [ -n "$p" ] && [ -n "$end" ] || return 0
  echo "$p $end" | awk '{
    n = $1; rate = $2; secs = (rate > 0 ? n / rate : 0); markers = $10 - n
    printf "%.1f %s %s %s %s %s %.3f %d %d %.2f\n", rate, $3, $4, $5, $6, $8, secs, $10, markers, (secs > 0 ? markers / secs : 0)
  }'
}

report() {
  local run="$1" system label f k_rate="" r_rate="" k_txn="" r_txn=""
  # shellcheck disable=SC1091
  . "$run/meta.env"
  echo "# Transactional producer: Runnel vs Apache Kafka $KAFKA_VERSION"
  echo
  echo "Apache Kafka's ProducerPerformance (kafka-tools $KAFKA_VERSION) with --transactional-id $TRANSACTIONAL_ID" \
    "--transaction-duration-ms $TXN_MS, $RECORDS records of $RECORD_SIZE bytes, --throughput -1, acks=all;" \
    "$NODES combined node(s), topic $TOPIC with 1 partition, RF $RF, min.insync.replicas $MIN_ISR;" \
    "$HOST, $CORES cores, $WHEN; raw output in $run."
  echo
  echo "| system | records/s | MB/s | avg latency ms | max latency ms | p50 ms | p99 ms | seconds | end offset | commit markers (= transactions) | transactions/s |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for system in kafka runnel; do
    if [ "$system" = kafka ]; then label="Apache Kafka $KAFKA_VERSION"; else label="Runnel"; fi
    f="$(figures "$system" "$run")"
    if [ -n "$f" ] && [ ! -f "$run/$system.failed" ]; then
      read -r rate mb avg max p50 p99 secs end markers tps <<< "$f"
      echo "| $label | $rate | $mb | $avg | $max | $p50 | $p99 | $secs | $end | $markers | $tps |"
      if [ "$system" = kafka ]; then k_rate="$rate"; k_txn="$tps"; else r_rate="$rate"; r_txn="$tps"; fi
    elif [ -f "$run/$system.skipped" ]; then
      echo "| $label | skipped (--only) | | | | | | | | | |"
    else
      echo "| $label | failed: $(head -1 "$run/$system.failed" 2>/dev/null || echo "no figures") | | | | | | | | | |"
    fi
  done
  echo
  local rr="-" rt="-"
  [ -n "$k_rate" ] && [ -n "$r_rate" ] && rr="$(ratio_of "$r_rate" "$k_rate")"
  [ -n "$k_txn" ] && [ -n "$r_txn" ] && rt="$(ratio_of "$r_txn" "$k_txn")"
  echo "Runnel/Kafka: records/s **$rr**, transactions/s **$rt**"
  echo
  echo "ProducerPerformance's summary lines (stdout) and each run's end offset:"
  echo
  echo '```'
  for system in kafka runnel; do
    [ -f "$run/$system-producer.txt" ] || continue
    echo "$system: $(grep -F ' 50th' "$run/$system-producer.txt" | tail -1)"
    echo "$system: end offset of $TOPIC-0: $(cat "$run/$system.end-offset" 2>/dev/null || echo "-")"
  done
  echo '```'
}

if [ -n "$REPORT_FROM" ]; then
  report_from_and_exit "$REPORT_FROM"
fi

# ---------------------------------------------------------------------------------------------------------------
# Flags

case "$NODES" in 1|3) ;; *) die "--nodes must be 1 or 3, got '$NODES'" ;; esac
[[ "$RECORDS" =~ ^[1-9][0-9]*$ ]] || die "--num-records takes a positive integer, got '$RECORDS'"
[[ "$RECORD_SIZE" =~ ^[1-9][0-9]*$ ]] || die "--record-size takes a positive integer (bytes), got '$RECORD_SIZE'"
[ "$RECORD_SIZE" -le 1000000 ] || die "--record-size must be at most 1000000 (message.max.bytes), got '$RECORD_SIZE'"
[[ "$TXN_MS" =~ ^[1-9][0-9]*$ ]] || die "--transaction-duration-ms takes a positive integer (ms), got '$TXN_MS'"
check_run_flags "$PERF_TIMEOUT_S"

RF="$NODES"
MIN_ISR=1
[ "$NODES" -eq 3 ] && MIN_ISR=2
TOOLS_DIST="$WORK/kafka-tools-$KAFKA_VERSION"

setup_run txn

PIDS=()
drop_data() {
  [ "$KEEP" = 1 ] || rm -rf "$RUN"/*-node-*-data
}
trap 'stop_servers; drop_data' EXIT
trap 'exit 130' INT TERM

# tools CLASS ARGS...: runs one of Kafka's tools as bin/kafka-run-class.sh does (-Xmx512M, WARN to stderr).
tools() {
  java -Xmx512M -Dlog4j2.configurationFile="$TOOLS_DIST/log4j2.properties" -cp "$TOOLS_DIST/libs/*" "$@"
}

BROKER_PORTS=()
CONTROLLER_PORTS=()
VOTERS=""
BOOTSTRAP=""
# end_offset SYSTEM: prints the latest offset of $TOPIC-0 (GetOffsetShell --time -1); non-zero when it cannot.
end_offset() {
  tools org.apache.kafka.tools.GetOffsetShell --bootstrap-server "$BOOTSTRAP" --topic "$TOPIC" --time -1 \
    2>> "$RUN/$1-offsets.err" | awk -F: -v t="$TOPIC" '$1 == t && $2 == 0 { print $3; found = 1 } END { exit !found }'
}

# run_system SYSTEM: start, create the topic, produce, read the end offset, stop. Non-zero on failure.
run_system() {
  local system="$1" out="$RUN/$1" prev="" end="" i rc=0
  log "$system: starting (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  if [ "$system" = kafka ]; then kafka_cluster_start || return 1; else runnel_cluster_start || return 1; fi
  tools org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" --create --topic "$TOPIC" \
    --partitions 1 --replication-factor "$RF" --config min.insync.replicas="$MIN_ISR" > "$out-create.txt" 2>&1 \
    || { cat "$out-create.txt" >&2; fail "$system" "creating the topic failed"; return 1; }
  log "$system: ProducerPerformance, $RECORDS records of $RECORD_SIZE bytes, transactions of $TXN_MS ms (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  timeout "$PERF_TIMEOUT_S" java -Xmx512M -Dlog4j2.configurationFile="$TOOLS_DIST/log4j2.properties" \
    -cp "$TOOLS_DIST/libs/*" org.apache.kafka.tools.ProducerPerformance --topic "$TOPIC" --num-records "$RECORDS" \
    --record-size "$RECORD_SIZE" --throughput -1 --transactional-id "$TRANSACTIONAL_ID" \
    --transaction-duration-ms "$TXN_MS" --producer-props bootstrap.servers="$BOOTSTRAP" acks=all \
    > "$out-producer.txt" 2> "$out-producer.err" || rc=$?
  if [ "$rc" -ne 0 ]; then
    tail -5 "$out-producer.err" >&2
    fail "$system" "ProducerPerformance failed (exit $rc$([ "$rc" -eq 124 ] && echo ": --timeout"))"
    return 1
  fi
  grep -F ' 50th' "$out-producer.txt" >&2 \
    || { fail "$system" "no summary line from ProducerPerformance"; return 1; }
  # Markers are written after commitTransaction returns: wait until two reads 2 s apart agree.
  for ((i = 0; i < OFFSET_TIMEOUT_S / 2; i++)); do
    sleep 2
    end="$(end_offset "$system")" || end=""
    [ -n "$end" ] && [ "$end" = "$prev" ] && break
    prev="$end"
  done
  [ -n "$end" ] && [ "$end" = "$prev" ] \
    || { fail "$system" "the end offset of $TOPIC-0 did not settle within ${OFFSET_TIMEOUT_S}s (last: '${end:-none}')"; return 1; }
  echo "$end" > "$RUN/$system.end-offset"
  [ "$end" -gt "$RECORDS" ] \
    || { fail "$system" "end offset $end is not above the $RECORDS records: no commit markers"; return 1; }
  log "$system: end offset $end: $((end - RECORDS)) commit markers"
  stop_servers
}

write_meta KAFKA_VERSION NODES RECORDS RECORD_SIZE TXN_MS RF MIN_ISR TOPIC TRANSACTIONAL_ID

status=0
fetch_kafka_tools "$TOOLS_DIST" # the client and topic tools, for both systems
if [ "$ONLY" != runnel ]; then
  fetch_kafka
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
