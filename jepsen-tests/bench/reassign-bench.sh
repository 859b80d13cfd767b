#!/usr/bin/env bash
# reassign-bench.sh: moving a partition onto a new broker, Runnel against Apache Kafka, same data, same run.
#
#   jepsen-tests/bench/reassign-bench.sh [--bytes N] [--record-size B] [--throttle BYTES_PER_SEC]
#                                        [--kafka-version V] [--timeout SECONDS] [--only kafka|runnel] [--keep]
#   jepsen-tests/bench/reassign-bench.sh --report-from RUN_DIR
#
# Defaults: --bytes 1g (of record values; k, m, g are KiB, MiB, GiB), --record-size 1024, --throttle 52428800
# (50 MiB/s; k, m, g allowed too), --kafka-version 4.4.0, --timeout 1800 (per move), both systems, data directories
# deleted afterwards (--keep keeps them).
#
# For each system in turn (Apache Kafka first, then Runnel, never both at once: the machine has 2 cores), and for
# each of two cases, "no throttle" and "throttle" (--throttle bytes/s), on a fresh cluster each time:
# 1. Starts node 1 (combined broker+controller, the only voter) and node 2 (broker only, process.roles=broker, the
#    same controller.quorum.voters) on free loopback ports, each with its own data directory and the same JVM
#    options (SERVER_JVM_OPTS). Kafka: org.apache.kafka:kafka_2.13:V and its runtime dependencies from Maven Central
#    (a throwaway pom under jepsen-tests/target/bench, shared with cleaner-bench.sh), each node formatted with
#    StorageTool, logging INFO to its own file. Runnel: bin/runnel server-start config/server.properties (node 1) and
#    config/broker.properties (node 2) with --override for node id, ports, voters and log.dirs.
# 2. With ReassignBenchClient.java (beside this script; kafka-clients V, the same program for both systems): waits
#    until Admin.describeCluster lists both brokers; creates one topic, 1 partition, replica assignment [1]; produces
#    N = bytes / record-size records to it (no key, record-size bytes of pseudo-random letters as the value, acks=all,
#    no compression); takes the partition's log size on broker 1 from Admin.describeLogDirs (the bytes to move).
# 3. Throttle case only: sets the throttle as kafka-reassign-partitions.sh --throttle does, with
#    Admin.incrementalAlterConfigs: broker configs leader.replication.throttled.rate and
#    follower.replication.throttled.rate = --throttle on brokers 1 and 2, topic configs
#    leader.replication.throttled.replicas=0:1 and follower.replication.throttled.replicas=0:2.
# 4. Asks Admin.alterPartitionReassignments to move the partition to [1,2] (so broker 2 copies the whole log) and
#    polls every 100 ms until Admin.listPartitionReassignments is empty and the partition's ISR is {1,2}: the time
#    from the request to then is the move's time, log size / time its MiB/s (MiB = 2^20 bytes). Stops both nodes.
# 5. Prints a Markdown table, a row per system and case (bytes moved, seconds, MiB/s), the Runnel/Kafka ratio of
#    MiB/s per case, and host, cores and date.
#
# Exit status: 0 when every move (of both systems, or of the --only one) finished, 1 when one failed (a server that
# did not start or died, a client error, no finished move within --timeout; the others still run), 2 for a bad flag.
# Raw output (server configs and logs, client output, report.md) stays in jepsen-tests/target/bench/reassign-*;
# --report-from RUN_DIR prints the report of such a directory again.
# Needs: JDK 17+, Maven 3.8+ (network access to Maven Central on the first run).
# The shell functions it shares with the other bench scripts are in bench-lib.sh, beside it.
#
# Example (the issue's benchmark): jepsen-tests/bench/reassign-bench.sh --bytes 1g --throttle 52428800
set -euo pipefail
# shellcheck source=bench-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

BYTES_ARG=1g
RECORD_SIZE=1024
THROTTLE_ARG=52428800
KAFKA_VERSION=4.4.0
MOVE_TIMEOUT_S=1800
ONLY=""
KEEP=0
REPORT_FROM=""
SERVER_JVM_OPTS="${SERVER_JVM_OPTS:--Xmx1g -Xms1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent} -Duser.language=en -Duser.country=US"
START_TIMEOUT_S=120
PRODUCE_TIMEOUT_S=3600
TOPIC=reassign-bench
CASES=(none throttle)

usage() {
  bench_usage 2 10
}

while [ $# -gt 0 ]; do
  case "$1" in
    --bytes|--record-size|--throttle|--kafka-version|--timeout|--only|--report-from)
      [ $# -ge 2 ] || die "$1 needs a value; see --help" ;;&
    --bytes) BYTES_ARG="$2"; shift 2 ;;
    --record-size) RECORD_SIZE="$2"; shift 2 ;;
    --throttle) THROTTLE_ARG="$2"; shift 2 ;;
    --kafka-version) KAFKA_VERSION="$2"; shift 2 ;;
    --timeout) MOVE_TIMEOUT_S="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    --report-from) REPORT_FROM="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'; see --help" ;;
  esac
done

# ---------------------------------------------------------------------------------------------------------------
# Report

case_label() {
  if [ "$1" = none ]; then
    echo "no throttle"
  else
    awk -v t="$THROTTLE" 'BEGIN { printf "throttle %.1f MiB/s\n", t / 1048576 }'
  fi
}

# result SYSTEM CASE RUN_DIR: "BYTES SECONDS MIB_PER_SEC" of a finished move, or nothing.
result() {
  [ -f "$3/$1-$2.failed" ] && return 0
  [ -f "$3/$1-$2-reassign.txt" ] || return 0
  sed -nE 's/^RESULT bytes=([0-9]+) seconds=([0-9.]+) mib_per_s=([0-9.]+).*/\1 \2 \3/p' "$3/$1-$2-reassign.txt" | tail -1
}

report() {
  local run="$1" system label c r bytes secs rate k ratio
  # shellcheck disable=SC1091
  . "$run/meta.env"
  echo "# Partition reassignment onto a new broker: Runnel vs Apache Kafka $KAFKA_VERSION"
  echo
  echo "One partition of $RECORDS records ($BYTES bytes of values, $RECORD_SIZE-byte values, no compression) moved" \
    "from [1] to [1,2] (broker 2 copies the whole log), timed from the AlterPartitionReassignments request until" \
    "no reassignment is listed and the ISR is {1,2}; two nodes (1: broker+controller, 2: broker), a fresh cluster" \
    "per case; $HOST, $CORES cores, $WHEN; raw output in $run."
  echo
  echo "| system | case | bytes moved | seconds | MiB/s |"
  echo "|---|---|---:|---:|---:|"
  declare -A rates=()
  for system in kafka runnel; do
    if [ "$system" = kafka ]; then label="Apache Kafka $KAFKA_VERSION"; else label="Runnel"; fi
    for c in "${CASES[@]}"; do
      r="$(result "$system" "$c" "$run")"
      if [ -n "$r" ]; then
        read -r bytes secs rate <<< "$r"
        echo "| $label | $(case_label "$c") | $bytes | $secs | $rate |"
        rates["$system-$c"]="$rate"
      elif [ -f "$run/$system.skipped" ]; then
        echo "| $label | $(case_label "$c") | skipped (--only) | | |"
      else
        echo "| $label | $(case_label "$c") | failed: $(head -1 "$run/$system-$c.failed" 2>/dev/null || echo "no result") | | |"
      fi
    done
  done
  echo
  echo "| case | Runnel/Kafka MiB/s |"
  echo "|---|---:|"
  for c in "${CASES[@]}"; do
    k="${rates[kafka-$c]:-}"
    r="${rates[runnel-$c]:-}"
    ratio="-"
    if [ -n "$k" ] && [ -n "$r" ]; then
      ratio="$(ratio_of "$r" "$k")"
    fi
    echo "| $(case_label "$c") | **$ratio** |"
  done
  echo
  echo "At the throttle, $(awk -v b="$BYTES" -v t="$THROTTLE" 'BEGIN { printf "%.1f", b / t }') s is the least the" \
    "move of the values alone could take (the log adds record and batch headers)."
}

if [ -n "$REPORT_FROM" ]; then
  report_from_and_exit "$REPORT_FROM"
fi

# ---------------------------------------------------------------------------------------------------------------
# Flags

parse_bytes_flag
THROTTLE="$(bytes_of "$THROTTLE_ARG")"
[ -n "$THROTTLE" ] || die "--throttle takes a positive byte count per second, optionally with k, m or g, got '$THROTTLE_ARG'"
check_record_size
check_run_flags "$MOVE_TIMEOUT_S"

RECORDS=$((BYTES / RECORD_SIZE))

setup_run reassign

PIDS=()
drop_data() {
  [ "$KEEP" = 1 ] || rm -rf "$RUN"/*-data
}
trap 'stop_servers; drop_data' EXIT
trap 'exit 130' INT TERM

client() {
  java -cp "$KAFKA_DIST/libs/*" "$BENCH_DIR/ReassignBenchClient.java" "$@"
}

# Node 1: broker and controller ports; node 2: a broker port.
BROKER1_PORT=""
CONTROLLER_PORT=""
BROKER2_PORT=""
BOOTSTRAP=""
VOTERS=""
pick_ports() {
  local ports
  mapfile -t ports < <(free_ports 3)
  BROKER1_PORT="${ports[0]}"
  CONTROLLER_PORT="${ports[1]}"
  BROKER2_PORT="${ports[2]}"
  BOOTSTRAP="127.0.0.1:$BROKER1_PORT"
  VOTERS="1@127.0.0.1:$CONTROLLER_PORT"
}

# start_kafka PREFIX: formats and starts both nodes, files named $RUN/PREFIX-node-N.*
start_kafka() {
  local prefix="$1" cluster_id id props
  pick_ports
  cluster_id="$(kafka_java kafka.tools.StorageTool random-uuid)"
  for id in 1 2; do
    props="$RUN/$prefix-node-$id.properties"
    # Kafka's config/server.properties (KRaft) on our ports; node 2 as config/broker.properties, broker only.
    if [ "$id" = 1 ]; then
      kafka_server_properties 1 "$BROKER1_PORT" "$CONTROLLER_PORT" "$VOTERS" "$RUN/$prefix-data/node-1" 1 > "$props"
    else
      kafka_server_properties 2 "$BROKER2_PORT" "" "$VOTERS" "$RUN/$prefix-data/node-2" 1 > "$props"
    fi
    kafka_format "$cluster_id" "$props" "$RUN/$prefix-node-$id.format.txt" \
      || { fail "$prefix" "formatting Kafka node $id failed"; return 1; }
  done
  for id in 1 2; do
    kafka_node_start "$KAFKA_DIST/log4j2.properties" "$RUN/$prefix-node-$id.properties" "$RUN/$prefix-node-$id.out" \
      "$RUN/$prefix-node-$id.log"
  done
  for id in 1 2; do
    await_line "$RUN/$prefix-node-$id.log" "Kafka Server started" "${PIDS[$((id - 1))]}" \
      || { fail "$prefix" "Kafka node $id did not start"; return 1; }
  done
  log "Apache Kafka $KAFKA_VERSION: nodes 1 and 2 up, bootstrap $BOOTSTRAP (pids ${PIDS[*]})"
}

# start_runnel PREFIX: starts both nodes, files named $RUN/PREFIX-node-N.*
start_runnel() {
  local prefix="$1"
  pick_ports
  runnel_node_start "$ROOT/config/server.properties" 1 "$BROKER1_PORT" "$CONTROLLER_PORT" "$VOTERS" \
    "$RUN/$prefix-data/node-1" "$RUN/$prefix-node-1.out" "$RUN/$prefix-node-1.log"
  runnel_node_start "$ROOT/config/broker.properties" 2 "$BROKER2_PORT" "" "$VOTERS" \
    "$RUN/$prefix-data/node-2" "$RUN/$prefix-node-2.out" "$RUN/$prefix-node-2.log" process.roles=broker
  local id
  for id in 1 2; do
    await_line "$RUN/$prefix-node-$id.log" "Broker $id is now unfenced" "${PIDS[$((id - 1))]}" \
      || { fail "$prefix" "Runnel node $id did not start"; return 1; }
  done
  log "Runnel: nodes 1 and 2 up, bootstrap $BOOTSTRAP (pids ${PIDS[*]})"
}

# run_case SYSTEM CASE: start, create, produce, move, stop. Non-zero on failure.
run_case() {
  local system="$1" c="$2" prefix="$1-$2" throttle=0 pid rc=0 why
  [ "$c" = throttle ] && throttle="$THROTTLE"
  log "$system, $(case_label "$c"): starting (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  if [ "$system" = kafka ]; then start_kafka "$prefix" || return 1; else start_runnel "$prefix" || return 1; fi
  client await-brokers --bootstrap-server "$BOOTSTRAP" --count 2 --timeout-s "$START_TIMEOUT_S" \
    > "$RUN/$prefix-brokers.txt" 2>&1 \
    || { tail -5 "$RUN/$prefix-brokers.txt" >&2; fail "$prefix" "describeCluster did not list both brokers"; return 1; }
  client create --bootstrap-server "$BOOTSTRAP" --topic "$TOPIC" > "$RUN/$prefix-create.txt" 2>&1 \
    || { cat "$RUN/$prefix-create.txt" >&2; fail "$prefix" "creating the topic failed"; return 1; }
  log "$system, $(case_label "$c"): producing $RECORDS records of $RECORD_SIZE bytes to broker 1"
  timeout "$PRODUCE_TIMEOUT_S" java -cp "$KAFKA_DIST/libs/*" "$BENCH_DIR/ReassignBenchClient.java" produce \
    --bootstrap-server "$BOOTSTRAP" --topic "$TOPIC" --records "$RECORDS" --record-size "$RECORD_SIZE" --acks all \
    > "$RUN/$prefix-produce.txt" 2> "$RUN/$prefix-produce.err" \
    || { tail -5 "$RUN/$prefix-produce.err" >&2; fail "$prefix" "producing failed"; return 1; }
  cat "$RUN/$prefix-produce.txt" >&2
  log "$system, $(case_label "$c"): moving $TOPIC-0 from [1] to [1,2]"
  for pid in "${PIDS[@]}"; do
    kill -0 "$pid" 2>/dev/null || { fail "$prefix" "a server (pid $pid) exited before the move"; return 1; }
  done
  timeout $((MOVE_TIMEOUT_S + 120)) java -cp "$KAFKA_DIST/libs/*" "$BENCH_DIR/ReassignBenchClient.java" reassign \
    --bootstrap-server "$BOOTSTRAP" --topic "$TOPIC" --throttle "$throttle" --timeout-s "$MOVE_TIMEOUT_S" \
    > "$RUN/$prefix-reassign.txt" 2> "$RUN/$prefix-reassign.err" || rc=$?
  cat "$RUN/$prefix-reassign.err" >&2
  if [ "$rc" != 0 ] || [ -z "$(result "$system" "$c" "$RUN")" ]; then
    for pid in "${PIDS[@]}"; do
      kill -0 "$pid" 2>/dev/null || { fail "$prefix" "a server (pid $pid) exited during the move"; return 1; }
    done
    why="$(grep -h 'ReassignBenchClient: ' "$RUN/$prefix-reassign.err" | tail -1 | sed 's/^ReassignBenchClient: //' | cut -c1-200 || true)"
    fail "$prefix" "${why:-the move failed (exit $rc)}"
    return 1
  fi
  cat "$RUN/$prefix-reassign.txt" >&2
  stop_servers
}

write_meta KAFKA_VERSION BYTES RECORDS RECORD_SIZE THROTTLE TOPIC

status=0
fetch_kafka # the client runs on Kafka's kafka-clients, so both halves need the download
for system in kafka runnel; do
  if [ -n "$ONLY" ] && [ "$ONLY" != "$system" ]; then
    touch "$RUN/$system.skipped"
    continue
  fi
  if [ "$system" = runnel ] && ! "$RUNNEL" --version > /dev/null; then # builds Runnel first if its sources changed
    for c in "${CASES[@]}"; do
      fail "runnel-$c" "bin/runnel could not build or run (see above)" || status=1
    done
    continue
  fi
  for c in "${CASES[@]}"; do
    run_case "$system" "$c" || status=1
    stop_servers
    drop_data
  done
done
report "$RUN" | tee "$RUN/report.md"
exit "$status"
