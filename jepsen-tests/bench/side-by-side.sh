#!/usr/bin/env bash
# side-by-side.sh: Runnel against Apache Kafka on this machine, same client, same workload, same session.
#
#   jepsen-tests/bench/side-by-side.sh [--nodes 1|3] [--num-records N] [--record-size BYTES] [--partitions P]
#                                      [--only kafka|runnel] [--kafka-version V]
#
# 1. Fetches org.apache.kafka:kafka_2.13:$KAFKA_VERSION and its runtime dependencies from Maven Central with a
#    throwaway pom under jepsen-tests/target/bench (mvn dependency:copy-dependencies; nothing is installed, nothing
#    is committed), plus log4j's slf4j binding so the broker logs like the distribution does.
# 2. Formats and starts Apache Kafka in KRaft mode: --nodes combined broker+controller nodes on free loopback ports
#    (a static voter set), waits for "Kafka Server started" on each.
# 3. Runs the scenarios with Runnel's perf tools (kafka-clients 4.2.2; they print what Kafka's
#    kafka-producer-perf-test.sh / kafka-consumer-perf-test.sh print):
#      bin/runnel producer-perf-test --topic T --num-records N --record-size S --throughput -1
#                                    --producer-props bootstrap.servers=... acks=A
#      bin/runnel consumer-perf-test --bootstrap-server ... --topic T --messages N
#    --nodes 1: one scenario, RF=1 acks=all. --nodes 3: RF=3 min.insync.replicas=2 acks=all, then RF=1 acks=1.
# 4. Stops Kafka, then does the same with Runnel (bin/runnel server-start config/server.properties with --override
#    for ports, node id, voters and data directories), waiting for "Broker N is now unfenced" on each node.
# 5. Prints both systems' figures and the Runnel/Kafka ratios, and stops every process it started (by pid, also on
#    Ctrl-C or a failure). A scenario that fails on one system is reported as failed; the others still run.
#
# Both servers get the same JVM options (SERVER_JVM_OPTS, default: Kafka's start-script heap and G1 settings).
# Needs: JDK 17+, Maven 3.8+ (network access to Maven Central on the first run), curl-free.
# The shell functions it shares with the other bench scripts are in bench-lib.sh, beside it.
set -euo pipefail
# shellcheck source=bench-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

NODES=1
RECORDS=500000
RECORD_SIZE=1024
PARTITIONS=1
ONLY=""
KAFKA_VERSION=4.2.2
SERVER_JVM_OPTS="${SERVER_JVM_OPTS:--Xmx1g -Xms1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent}"
START_TIMEOUT_S=120
PERF_TIMEOUT_S=1800

usage() {
  bench_usage 2 6
}

while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) NODES="${2:-}"; shift 2 ;;
    --num-records) RECORDS="${2:-}"; shift 2 ;;
    --record-size) RECORD_SIZE="${2:-}"; shift 2 ;;
    --partitions) PARTITIONS="${2:-}"; shift 2 ;;
    --only) ONLY="${2:-}"; shift 2 ;;
    --kafka-version) KAFKA_VERSION="${2:-}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'; see --help" ;;
  esac
done
case "$NODES" in 1|3) ;; *) die "--nodes must be 1 or 3, got '$NODES'" ;; esac
check_only
for n in "$RECORDS" "$RECORD_SIZE" "$PARTITIONS"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "--num-records, --record-size and --partitions take positive integers, got '$n'"
done
require_tools

setup_run run

PIDS=()
trap stop_servers EXIT
trap 'exit 130' INT TERM

BROKER_PORTS=()
CONTROLLER_PORTS=()
VOTERS=""
BOOTSTRAP=""
# ---------------------------------------------------------------------------------------------------------------
# Scenarios: name|replication factor|min.insync.replicas|acks

scenarios() {
  if [ "$NODES" -eq 1 ]; then
    echo "rf1-acks-all|1|1|all"
  else
    echo "rf3-isr2-acks-all|3|2|all"
    echo "rf1-acks-1|1|1|1"
  fi
}

describe_scenario() {
  local rf="$2" isr="$3" acks="$4"
  printf '%s node(s), topic RF=%s min.insync.replicas=%s, acks=%s, %s partition(s), %s records of %s bytes' \
    "$NODES" "$rf" "$isr" "$acks" "$PARTITIONS" "$RECORDS" "$RECORD_SIZE"
}

# run_scenario SYSTEM NAME RF ISR ACKS: writes $RUN/SYSTEM-NAME.{producer,consumer}.txt; returns non-zero on failure.
run_scenario() {
  local system="$1" name="$2" rf="$3" isr="$4" acks="$5" topic="perf-$2"
  local out="$RUN/$system-$name"
  log "$system: $(describe_scenario "$name" "$rf" "$isr" "$acks") (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  "$RUNNEL" topics --bootstrap-server "$BOOTSTRAP" --create --topic "$topic" --partitions "$PARTITIONS" \
    --replication-factor "$rf" --config min.insync.replicas="$isr" > "$out.create.txt" 2>&1 \
    || { cat "$out.create.txt" >&2; return 1; }
  timeout "$PERF_TIMEOUT_S" "$RUNNEL" producer-perf-test --topic "$topic" --num-records "$RECORDS" \
    --record-size "$RECORD_SIZE" --throughput -1 --producer-props bootstrap.servers="$BOOTSTRAP" acks="$acks" \
    > "$out.producer.txt" 2> "$out.producer.err" || { cat "$out.producer.err" >&2; return 1; }
  grep -F ' 50th' "$out.producer.txt" >&2 || return 1
  timeout "$PERF_TIMEOUT_S" "$RUNNEL" consumer-perf-test --bootstrap-server "$BOOTSTRAP" --topic "$topic" \
    --messages "$RECORDS" > "$out.consumer.txt" 2> "$out.consumer.err" || { cat "$out.consumer.err" >&2; return 1; }
  cat "$out.consumer.txt" >&2
}

run_system() {
  local system="$1" line name rf isr acks
  if [ "$system" = kafka ]; then
    fetch_kafka
    kafka_cluster_start || die "Apache Kafka did not start (logs in $RUN)"
  else
    runnel_cluster_start || die "Runnel did not start (logs in $RUN)"
  fi
  while IFS='|' read -r name rf isr acks; do
    run_scenario "$system" "$name" "$rf" "$isr" "$acks" || {
      log "$system: scenario $name FAILED"
      touch "$RUN/$system-$name.failed"
    }
  done < <(scenarios)
  stop_servers
}

# ---------------------------------------------------------------------------------------------------------------
# Report

# producer_numbers FILE: from the final producer line ("N records sent, R records/sec (M MB/sec), A ms avg latency,
# X ms max latency, P50 ms 50th, P95 ms 95th, P99 ms 99th, P999 ms 99.9th.") prints R M A X P50 P95 P99 P999.
producer_numbers() {
  grep -F ' 50th' "$1" | tail -1 | awk -F', ' '{
    split($2, rate, " "); mb = rate[3]; sub(/^\(/, "", mb)
    out = rate[1] " " mb
    for (i = 3; i <= 8; i++) { split($i, w, " "); out = out " " w[1] }
    print out
  }'
}

# consumer_numbers FILE: prints MB.sec nMsg.sec fetch.MB.sec fetch.nMsg.sec from the summary line.
consumer_numbers() {
  awk -F', ' 'NR > 1 && NF >= 10 {line = $0} END {split(line, f, ", "); print f[4], f[6], f[9], f[10]}' "$1"
}

report() {
  local name rf isr acks k r
  echo
  echo "Runnel vs Apache Kafka $KAFKA_VERSION on $(hostname), $(nproc) cores, $(bench_when); raw output in $RUN"
  while IFS='|' read -r name rf isr acks; do
    echo
    echo "## $(describe_scenario "$name" "$rf" "$isr" "$acks")"
    k=(); r=()
    if [ -f "$RUN/kafka-$name.consumer.txt" ] && [ ! -f "$RUN/kafka-$name.failed" ]; then
      read -r -a kp <<< "$(producer_numbers "$RUN/kafka-$name.producer.txt")"
      read -r -a kc <<< "$(consumer_numbers "$RUN/kafka-$name.consumer.txt")"
      k=("${kp[@]}" "${kc[@]}")
    fi
    if [ -f "$RUN/runnel-$name.consumer.txt" ] && [ ! -f "$RUN/runnel-$name.failed" ]; then
      read -r -a rp <<< "$(producer_numbers "$RUN/runnel-$name.producer.txt")"
      read -r -a rc <<< "$(consumer_numbers "$RUN/runnel-$name.consumer.txt")"
      r=("${rp[@]}" "${rc[@]}")
    fi
    printf '%-28s %16s %16s %14s\n' "" "Apache Kafka" "Runnel" "Runnel/Kafka"
    local labels=("producer records/sec" "producer MB/sec" "producer avg latency ms" "producer max latency ms"
      "producer p50 ms" "producer p95 ms" "producer p99 ms" "producer p99.9 ms"
      "consumer MB/sec" "consumer records/sec" "consumer fetch MB/sec" "consumer fetch records/sec")
    local j kv rv ratio
    for j in "${!labels[@]}"; do
      kv="${k[$j]:-failed}"
      rv="${r[$j]:-failed}"
      [ "$ONLY" = runnel ] && kv="-"
      [ "$ONLY" = kafka ] && rv="-"
      ratio="-"
      if [[ "$kv" =~ ^[0-9.]+$ ]] && [[ "$rv" =~ ^[0-9.]+$ ]]; then
        ratio="$(ratio_of "$rv" "$kv")"
      fi
      printf '%-28s %16s %16s %14s\n' "${labels[$j]}" "$kv" "$rv" "$ratio"
    done
  done < <(scenarios)
}

"$RUNNEL" --version > /dev/null # builds Runnel first if its sources changed, outside any measurement
[ "$ONLY" = runnel ] || run_system kafka
[ "$ONLY" = kafka ] || run_system runnel
report | tee "$RUN/report.txt"
