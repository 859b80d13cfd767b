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
#
# Example (the issue's benchmark): jepsen-tests/bench/reassign-bench.sh --bytes 1g --throttle 52428800
set -euo pipefail

BYTES_ARG=1g
RECORD_SIZE=1024
THROTTLE_ARG=52428800
KAFKA_VERSION=4.4.0
MOVE_TIMEOUT_S=1800
ONLY=""
KEEP=0
REPORT_FROM=""
# log4j's slf4j-1.x binding, the version of kafka_2.13 4.4.0's log4j-core; the distribution ships it in libs/.
LOG4J_VERSION=2.25.5
SERVER_JVM_OPTS="${SERVER_JVM_OPTS:--Xmx1g -Xms1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent} -Duser.language=en -Duser.country=US"
START_TIMEOUT_S=120
PRODUCE_TIMEOUT_S=3600
TOPIC=reassign-bench
CASES=(none throttle)

die() {
  echo "reassign-bench.sh: $*" >&2
  exit 2
}

usage() {
  sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

# bytes_of ARG: 123, 64k, 64m, 1g (binary units) as a byte count; empty when ARG is not one.
bytes_of() {
  local v="${1,,}" n
  [[ "$v" =~ ^([1-9][0-9]*)([kmg]?)$ ]] || return 0
  n="${BASH_REMATCH[1]}"
  case "${BASH_REMATCH[2]}" in
    k) n=$((n * 1024)) ;;
    m) n=$((n * 1024 * 1024)) ;;
    g) n=$((n * 1024 * 1024 * 1024)) ;;
  esac
  echo "$n"
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

ROOT="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH_DIR="$ROOT/jepsen-tests/bench"
RUNNEL="$ROOT/bin/runnel"
WORK="$ROOT/jepsen-tests/target/bench"

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
      ratio="$(awk -v a="$r" -v b="$k" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')"
    fi
    echo "| $(case_label "$c") | **$ratio** |"
  done
  echo
  echo "At the throttle, $(awk -v b="$BYTES" -v t="$THROTTLE" 'BEGIN { printf "%.1f", b / t }') s is the least the" \
    "move of the values alone could take (the log adds record and batch headers)."
}

if [ -n "$REPORT_FROM" ]; then
  [ -f "$REPORT_FROM/meta.env" ] || die "--report-from: $REPORT_FROM has no meta.env; give a run directory of this script"
  report "$REPORT_FROM"
  exit 0
fi

# ---------------------------------------------------------------------------------------------------------------
# Flags

BYTES="$(bytes_of "$BYTES_ARG")"
[ -n "$BYTES" ] || die "--bytes takes a positive byte count, optionally with k, m or g (KiB, MiB, GiB), got '$BYTES_ARG'"
THROTTLE="$(bytes_of "$THROTTLE_ARG")"
[ -n "$THROTTLE" ] || die "--throttle takes a positive byte count per second, optionally with k, m or g, got '$THROTTLE_ARG'"
[[ "$RECORD_SIZE" =~ ^[1-9][0-9]*$ ]] || die "--record-size takes a positive integer (bytes), got '$RECORD_SIZE'"
[ "$RECORD_SIZE" -le 1000000 ] || die "--record-size must be at most 1000000 (message.max.bytes), got '$RECORD_SIZE'"
[ "$RECORD_SIZE" -le "$BYTES" ] || die "--record-size ($RECORD_SIZE) must not exceed --bytes ($BYTES)"
[[ "$MOVE_TIMEOUT_S" =~ ^[1-9][0-9]*$ ]] || die "--timeout takes a positive number of seconds, got '$MOVE_TIMEOUT_S'"
case "$ONLY" in ""|kafka|runnel) ;; *) die "--only must be kafka or runnel, got '$ONLY'" ;; esac
[[ "$KAFKA_VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "--kafka-version takes a version such as 4.4.0, got '$KAFKA_VERSION'"
command -v java >/dev/null 2>&1 || die "'java' is not on PATH; install JDK 17+"
command -v mvn >/dev/null 2>&1 || die "'mvn' is not on PATH; install Maven 3.8+"

RECORDS=$((BYTES / RECORD_SIZE))

KAFKA_DIST="$WORK/kafka-$KAFKA_VERSION"
RUN="$WORK/reassign-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$WORK" "$RUN"

PIDS=()
stop_servers() {
  local pid
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] || continue
    for _ in $(seq 1 300); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  done
  PIDS=()
}
drop_data() {
  [ "$KEEP" = 1 ] || rm -rf "$RUN"/*-data
}
trap 'stop_servers; drop_data' EXIT
trap 'exit 130' INT TERM

log() {
  echo "== $*" >&2
}

# fail SYSTEM-CASE MESSAGE: records why a move has no figures (the report shows it) and says so.
fail() {
  echo "$2" > "$RUN/$1.failed"
  echo "reassign-bench.sh: $1: $2" >&2
  return 1
}

# ---------------------------------------------------------------------------------------------------------------
# Apache Kafka from Maven Central (the same download and layout as side-by-side.sh and cleaner-bench.sh)

fetch_kafka() {
  if [ -f "$KAFKA_DIST/.complete" ]; then
    return
  fi
  log "fetching org.apache.kafka:kafka_2.13:$KAFKA_VERSION and its runtime dependencies into $KAFKA_DIST/libs"
  rm -rf "$KAFKA_DIST"
  mkdir -p "$KAFKA_DIST"
  cat > "$KAFKA_DIST/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by jepsen-tests/bench/reassign-bench.sh to download Apache Kafka; not part of the build. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>io.runnel.bench</groupId>
  <artifactId>apache-kafka-download</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_2.13</artifactId>
      <version>$KAFKA_VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-slf4j-impl</artifactId>
      <version>$LOG4J_VERSION</version>
    </dependency>
  </dependencies>
</project>
EOF
  mvn -B -q -Dstyle.color=never -f "$KAFKA_DIST/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$KAFKA_DIST/libs" >&2 \
    || die "downloading Apache Kafka $KAFKA_VERSION failed (see above); Maven Central must be reachable"
  # side-by-side.sh's logging config: INFO to the file named by -Dbench.log.file, as the distribution's server.log.
  cat > "$KAFKA_DIST/log4j2.properties" <<'EOF'
# INFO to the file named by -Dbench.log.file, as the distribution's server.log.
status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = ${sys:bench.log.file}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.file.ref = file
EOF
  touch "$KAFKA_DIST/.complete"
}

client() {
  java -cp "$KAFKA_DIST/libs/*" "$BENCH_DIR/ReassignBenchClient.java" "$@"
}

# N free loopback ports, handed out by the kernel, one per line.
free_ports() {
  local src="$WORK/FreePorts.java"
  if [ ! -f "$src" ]; then
    cat > "$src" <<'EOF'
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Prints N free TCP ports of 127.0.0.1, one per line (all bound at once, then released). */
public class FreePorts {
    public static void main(String[] args) throws Exception {
        List<ServerSocket> sockets = new ArrayList<>();
        for (int i = 0; i < Integer.parseInt(args[0]); i++) {
            ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            sockets.add(s);
            System.out.println(s.getLocalPort());
        }
        for (ServerSocket s : sockets) {
            s.close();
        }
    }
}
EOF
  fi
  java "$src" "$1"
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

# await_line FILE TEXT PID: waits until FILE has a line containing TEXT; fails if PID exits or time runs out.
await_line() {
  local file="$1" text="$2" pid="$3" i
  for ((i = 0; i < START_TIMEOUT_S * 10; i++)); do
    if [ -f "$file" ] && grep -qF -- "$text" "$file"; then
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -20 "$file" >&2 || true
      echo "process $pid exited before logging '$text' (log: $file)" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "no '$text' in $file within ${START_TIMEOUT_S}s" >&2
  return 1
}

# start_kafka PREFIX: formats and starts both nodes, files named $RUN/PREFIX-node-N.*
start_kafka() {
  local prefix="$1" cluster_id id props roles listeners
  pick_ports
  cluster_id="$(java -cp "$KAFKA_DIST/libs/*" kafka.tools.StorageTool random-uuid)"
  for id in 1 2; do
    props="$RUN/$prefix-node-$id.properties"
    if [ "$id" = 1 ]; then
      roles=broker,controller
      listeners="PLAINTEXT://127.0.0.1:$BROKER1_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT"
    else
      roles=broker
      listeners="PLAINTEXT://127.0.0.1:$BROKER2_PORT"
    fi
    # Kafka's config/server.properties (KRaft) on our ports; node 2 as config/broker.properties, broker only.
    cat > "$props" <<EOF
process.roles=$roles
node.id=$id
controller.quorum.voters=$VOTERS
listeners=$listeners
advertised.listeners=${listeners%%,*}
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
num.network.threads=3
num.io.threads=8
socket.send.buffer.bytes=102400
socket.receive.buffer.bytes=102400
socket.request.max.bytes=104857600
log.dirs=$RUN/$prefix-data/node-$id
num.partitions=1
num.recovery.threads.per.data.dir=1
offsets.topic.replication.factor=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
log.retention.hours=168
log.segment.bytes=1073741824
log.retention.check.interval.ms=300000
group.initial.rebalance.delay.ms=0
EOF
    java -cp "$KAFKA_DIST/libs/*" kafka.tools.StorageTool format -t "$cluster_id" -c "$props" \
      > "$RUN/$prefix-node-$id.format.txt" 2>&1 \
      || { cat "$RUN/$prefix-node-$id.format.txt" >&2; fail "$prefix" "formatting Kafka node $id failed"; return 1; }
  done
  for id in 1 2; do
    # shellcheck disable=SC2086
    java $SERVER_JVM_OPTS -Dlog4j2.configurationFile="$KAFKA_DIST/log4j2.properties" \
      -Dbench.log.file="$RUN/$prefix-node-$id.log" -cp "$KAFKA_DIST/libs/*" kafka.Kafka \
      "$RUN/$prefix-node-$id.properties" > "$RUN/$prefix-node-$id.out" 2>&1 &
    PIDS+=($!)
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
  RUNNEL_HEAP_OPTS="$SERVER_JVM_OPTS" RUNNEL_OPTS="" "$RUNNEL" server-start "$ROOT/config/server.properties" \
    --override node.id=1 \
    --override listeners="PLAINTEXT://127.0.0.1:$BROKER1_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT" \
    --override advertised.listeners="PLAINTEXT://127.0.0.1:$BROKER1_PORT" \
    --override controller.quorum.voters="$VOTERS" \
    --override log.dirs="$RUN/$prefix-data/node-1" \
    > "$RUN/$prefix-node-1.out" 2> "$RUN/$prefix-node-1.log" &
  PIDS+=($!)
  RUNNEL_HEAP_OPTS="$SERVER_JVM_OPTS" RUNNEL_OPTS="" "$RUNNEL" server-start "$ROOT/config/broker.properties" \
    --override process.roles=broker \
    --override node.id=2 \
    --override listeners="PLAINTEXT://127.0.0.1:$BROKER2_PORT" \
    --override advertised.listeners="PLAINTEXT://127.0.0.1:$BROKER2_PORT" \
    --override controller.quorum.voters="$VOTERS" \
    --override log.dirs="$RUN/$prefix-data/node-2" \
    > "$RUN/$prefix-node-2.out" 2> "$RUN/$prefix-node-2.log" &
  PIDS+=($!)
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

cat > "$RUN/meta.env" <<EOF
KAFKA_VERSION=$KAFKA_VERSION
BYTES=$BYTES
RECORDS=$RECORDS
RECORD_SIZE=$RECORD_SIZE
THROTTLE=$THROTTLE
TOPIC=$TOPIC
HOST="$(hostname)"
CORES=$(nproc)
WHEN="$(date -u '+%Y-%m-%d %H:%M UTC')"
EOF

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
