# bench-lib.sh: shell functions shared by the benchmark scripts beside it (cleaner-bench.sh, reassign-bench.sh,
# side-by-side.sh, txn-bench.sh). Not a program: each script sources it from its own directory, right after
# `set -euo pipefail`:
#
#   . "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"
#
# Sourcing it defines the functions below and these variables (nothing else runs):
#   BENCH_SCRIPT       the sourcing script's file name, e.g. cleaner-bench.sh (prefix of its error messages)
#   BENCH_SCRIPT_PATH  the sourcing script's path as invoked (bench_usage reads its header from it)
#   ROOT               the repository root (two directories above this file, symlinks resolved)
#   BENCH_DIR          $ROOT/jepsen-tests/bench
#   RUNNEL             $ROOT/bin/runnel
#   WORK               $ROOT/jepsen-tests/target/bench (Kafka's download, FreePorts.java and the run directories)
#   LOG4J_VERSION      the log4j-slf4j-impl version fetch_kafka adds to Kafka's jars
#
# The functions read the sourcing script's settings where they say so: KAFKA_VERSION, KAFKA_DIST, RUN, PIDS,
# START_TIMEOUT_S, SERVER_JVM_OPTS, ONLY, RECORD_SIZE, BYTES, BYTES_ARG, KEEP, BENCH_MAVEN_REPO.
# shellcheck shell=bash

BENCH_SCRIPT="${BASH_SOURCE[1]##*/}"
BENCH_SCRIPT_PATH="${BASH_SOURCE[1]}"
ROOT="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck disable=SC2034 # used by the scripts that source this file
BENCH_DIR="$ROOT/jepsen-tests/bench"
RUNNEL="$ROOT/bin/runnel"
WORK="$ROOT/jepsen-tests/target/bench"
# log4j's slf4j-1.x binding, the version of kafka_2.13 4.2.2's and 4.4.0's log4j-core; the distribution ships it in libs/.
LOG4J_VERSION=2.25.5

# ---------------------------------------------------------------------------------------------------------------
# Messages and flags

# die MESSAGE...: prints "SCRIPT: MESSAGE" to stderr and exits 2 (a bad flag or a missing tool).
die() {
  echo "$BENCH_SCRIPT: $*" >&2
  exit 2
}

# log MESSAGE...: prints "== MESSAGE" to stderr (progress).
log() {
  echo "== $*" >&2
}

# fail NAME MESSAGE: writes MESSAGE to $RUN/NAME.failed (the report shows it), prints "SCRIPT: NAME: MESSAGE" to
# stderr and returns 1. NAME is a system (kafka, runnel) or a system-case (kafka-throttle).
fail() {
  echo "$2" > "$RUN/$1.failed"
  echo "$BENCH_SCRIPT: $1: $2" >&2
  return 1
}

# bench_usage FIRST LAST: prints lines FIRST..LAST of the sourcing script (its header) without the leading "# ".
bench_usage() {
  sed -n "$1,$2p" "$BENCH_SCRIPT_PATH" | sed 's/^# \{0,1\}//'
}

# bytes_of ARG: prints 123, 64k, 64m, 1g (binary units, any case) as a byte count; prints nothing when ARG is not one.
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

# parse_bytes_flag: sets BYTES to the byte count of --bytes (BYTES_ARG); dies when it is not one.
parse_bytes_flag() {
  BYTES="$(bytes_of "$BYTES_ARG")"
  [ -n "$BYTES" ] || die "--bytes takes a positive byte count, optionally with k, m or g (KiB, MiB, GiB), got '$BYTES_ARG'"
}

# check_record_size: dies unless --record-size (RECORD_SIZE) is a positive integer, at most 1000000 and at most BYTES.
check_record_size() {
  [[ "$RECORD_SIZE" =~ ^[1-9][0-9]*$ ]] || die "--record-size takes a positive integer (bytes), got '$RECORD_SIZE'"
  [ "$RECORD_SIZE" -le 1000000 ] || die "--record-size must be at most 1000000 (message.max.bytes), got '$RECORD_SIZE'"
  [ "$RECORD_SIZE" -le "$BYTES" ] || die "--record-size ($RECORD_SIZE) must not exceed --bytes ($BYTES)"
}

# check_only: dies unless --only (ONLY) is empty, kafka or runnel.
check_only() {
  case "$ONLY" in ""|kafka|runnel) ;; *) die "--only must be kafka or runnel, got '$ONLY'" ;; esac
}

# require_tools: dies unless java and mvn are on PATH.
require_tools() {
  command -v java >/dev/null 2>&1 || die "'java' is not on PATH; install JDK 17+"
  command -v mvn >/dev/null 2>&1 || die "'mvn' is not on PATH; install Maven 3.8+"
}

# check_run_flags TIMEOUT: dies unless TIMEOUT (the --timeout value) is a positive integer, --only (ONLY) is valid and
# --kafka-version (KAFKA_VERSION) looks like 4.4.0, in that order; then require_tools.
check_run_flags() {
  [[ "$1" =~ ^[1-9][0-9]*$ ]] || die "--timeout takes a positive number of seconds, got '$1'"
  check_only
  [[ "$KAFKA_VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "--kafka-version takes a version such as 4.4.0, got '$KAFKA_VERSION'"
  require_tools
}

# ---------------------------------------------------------------------------------------------------------------
# Runs and reports

# setup_run PREFIX: sets KAFKA_DIST (Kafka's download for KAFKA_VERSION, shared by the scripts) and RUN (a new
# $WORK/PREFIX-YYYYmmdd-HHMMSS) and creates WORK and RUN.
setup_run() {
  KAFKA_DIST="$WORK/kafka-$KAFKA_VERSION"
  RUN="$WORK/$1-$(date +%Y%m%d-%H%M%S)"
  mkdir -p "$WORK" "$RUN"
}

# report_from_and_exit RUN_DIR: for --report-from: prints the sourcing script's `report RUN_DIR` and exits 0; dies
# when RUN_DIR has no meta.env.
report_from_and_exit() {
  [ -f "$1/meta.env" ] || die "--report-from: $1 has no meta.env; give a run directory of this script"
  report "$1"
  exit 0
}

# bench_when: prints the current UTC time as "YYYY-mm-dd HH:MM UTC".
bench_when() {
  date -u '+%Y-%m-%d %H:%M UTC'
}

# write_meta NAME...: writes $RUN/meta.env (what the report reads back): a NAME=value line for each named variable,
# then HOST (quoted host name), CORES (processor count) and WHEN (quoted bench_when).
write_meta() {
  local name
  {
    for name in "$@"; do
      echo "$name=${!name}"
    done
    echo "HOST=\"$(hostname)\""
    echo "CORES=$(nproc)"
    echo "WHEN=\"$(bench_when)\""
  } > "$RUN/meta.env"
}

# ratio_of A B: prints A / B with two decimals, or "-" when B is not positive.
ratio_of() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'
}

# ---------------------------------------------------------------------------------------------------------------
# Processes and ports

# stop_servers: sends TERM to every pid in PIDS, waits up to 30 s for each to exit, KILLs what is left; empties PIDS.
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

# free_ports N: prints N distinct free TCP ports of 127.0.0.1, one per line (handed out by the kernel, all bound at
# once, then released), with a small Java program written to $WORK/FreePorts.java on first use.
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

# await_line FILE TEXT PID [die]: waits (up to START_TIMEOUT_S, polling every 0.1 s) until FILE has a line containing
# TEXT and returns 0. Fails if PID exits first (after printing FILE's last 20 lines) or time runs out: prints why to
# stderr and returns 1, or with "die" dies with it (exit 2).
await_line() {
  local file="$1" text="$2" pid="$3" on_fail="${4:-}" i why="no '$2' in $1 within ${START_TIMEOUT_S}s"
  for ((i = 0; i < START_TIMEOUT_S * 10; i++)); do
    if [ -f "$file" ] && grep -qF -- "$text" "$file"; then
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -20 "$file" >&2 || true
      why="process $pid exited before logging '$text' (log: $file)"
      break
    fi
    sleep 0.1
  done
  [ "$on_fail" = die ] && die "$why"
  echo "$why" >&2
  return 1
}

# ---------------------------------------------------------------------------------------------------------------
# Apache Kafka from Maven Central: org.apache.kafka:kafka_2.13:KAFKA_VERSION and its runtime dependencies in
# $KAFKA_DIST/libs, one download per version for all the scripts.

# maven_libs DIST ARTIFACT: downloads org.apache.kafka:ARTIFACT:KAFKA_VERSION and its runtime dependencies (plus
# log4j-slf4j-impl LOG4J_VERSION) into DIST/libs with a throwaway DIST/pom.xml and `mvn dependency:copy-dependencies`
# (into a fresh DIST). Maven's local repository is BENCH_MAVEN_REPO when set, else Maven's default. Dies when Maven
# fails.
maven_libs() {
  local dist="$1" artifact="$2" repo=()
  [ -n "${BENCH_MAVEN_REPO:-}" ] && repo=("-Dmaven.repo.local=$BENCH_MAVEN_REPO")
  log "fetching org.apache.kafka:$artifact:$KAFKA_VERSION and its runtime dependencies into $dist/libs"
  rm -rf "$dist"
  mkdir -p "$dist"
  cat > "$dist/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by jepsen-tests/bench/$BENCH_SCRIPT to download Apache Kafka; not part of the build. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>io.runnel.bench</groupId>
  <artifactId>apache-kafka-download</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>$artifact</artifactId>
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
  mvn -B -q -Dstyle.color=never "${repo[@]}" -f "$dist/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$dist/libs" >&2 \
    || die "downloading org.apache.kafka:$artifact:$KAFKA_VERSION failed (see above); Maven Central must be reachable"
}

# fetch_kafka: unless $KAFKA_DIST/.complete exists, downloads Kafka's jars (kafka_2.13, plus log4j-slf4j-impl
# LOG4J_VERSION, so the broker logs like the distribution) with maven_libs, and writes $KAFKA_DIST/log4j2.properties
# (INFO to the file named by -Dbench.log.file).
fetch_kafka() {
  if [ -f "$KAFKA_DIST/.complete" ]; then
    return
  fi
  maven_libs "$KAFKA_DIST" kafka_2.13
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

# fetch_kafka_tools DIST: unless DIST/.complete exists, downloads org.apache.kafka:kafka-tools:KAFKA_VERSION (the
# distribution's ProducerPerformance, TopicCommand, GetOffsetShell...) and its runtime dependencies into DIST/libs
# with maven_libs, and writes DIST/log4j2.properties: WARN to stderr, as the distribution's tools-log4j2.yaml.
fetch_kafka_tools() {
  local dist="$1"
  if [ -f "$dist/.complete" ]; then
    return
  fi
  maven_libs "$dist" kafka-tools
  cat > "$dist/log4j2.properties" <<'EOF'
# WARN to stderr, as the distribution's config/tools-log4j2.yaml.
status = warn
appender.stderr.type = Console
appender.stderr.name = stderr
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = stderr
EOF
  touch "$dist/.complete"
}

# kafka_java ARGS...: runs java with Kafka's jars ($KAFKA_DIST/libs/*) as the classpath.
kafka_java() {
  java -cp "$KAFKA_DIST/libs/*" "$@"
}

# kafka_server_properties ID BROKER_PORT CONTROLLER_PORT VOTERS LOG_DIRS RF: prints a KRaft node's server
# properties, Kafka's config/server.properties on 127.0.0.1 ports: with a CONTROLLER_PORT a combined
# broker+controller node, with an empty one a broker only (as config/broker.properties); VOTERS is
# controller.quorum.voters; RF is the replication factor of the internal topics (offsets, share state, transactions).
kafka_server_properties() {
  local id="$1" broker_port="$2" controller_port="$3" voters="$4" log_dirs="$5" rf="$6" roles listeners
  if [ -n "$controller_port" ]; then
    roles=broker,controller
    listeners="PLAINTEXT://127.0.0.1:$broker_port,CONTROLLER://127.0.0.1:$controller_port"
  else
    roles=broker
    listeners="PLAINTEXT://127.0.0.1:$broker_port"
  fi
  cat <<EOF
process.roles=$roles
node.id=$id
controller.quorum.voters=$voters
listeners=$listeners
advertised.listeners=PLAINTEXT://127.0.0.1:$broker_port
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
num.network.threads=3
num.io.threads=8
socket.send.buffer.bytes=102400
socket.receive.buffer.bytes=102400
socket.request.max.bytes=104857600
log.dirs=$log_dirs
num.partitions=1
num.recovery.threads.per.data.dir=1
offsets.topic.replication.factor=$rf
share.coordinator.state.topic.replication.factor=$rf
share.coordinator.state.topic.min.isr=1
transaction.state.log.replication.factor=$rf
transaction.state.log.min.isr=1
log.retention.hours=168
log.segment.bytes=1073741824
log.retention.check.interval.ms=300000
group.initial.rebalance.delay.ms=0
EOF
}

# kafka_format CLUSTER_ID PROPS OUT: formats the storage of the node configured by PROPS with StorageTool, its output
# in OUT; on failure prints OUT to stderr and returns 1.
kafka_format() {
  kafka_java kafka.tools.StorageTool format -t "$1" -c "$2" > "$3" 2>&1 || { cat "$3" >&2; return 1; }
}

# kafka_node_start LOG4J_CONFIG PROPS OUT [LOG_FILE]: starts a Kafka node (kafka.Kafka PROPS, SERVER_JVM_OPTS,
# log4j2 configured by LOG4J_CONFIG, -Dbench.log.file=LOG_FILE when given) in the background, stdout and stderr to
# OUT, and appends its pid to PIDS.
kafka_node_start() {
  local log_file=()
  [ $# -ge 4 ] && log_file=("-Dbench.log.file=$4")
  # shellcheck disable=SC2086
  java $SERVER_JVM_OPTS -Dlog4j2.configurationFile="$1" "${log_file[@]}" -cp "$KAFKA_DIST/libs/*" kafka.Kafka \
    "$2" > "$3" 2>&1 &
  PIDS+=($!)
}

# ---------------------------------------------------------------------------------------------------------------
# Runnel

# runnel_node_start CONFIG ID BROKER_PORT CONTROLLER_PORT VOTERS LOG_DIRS OUT LOG [KEY=VALUE...]: starts
# `bin/runnel server-start CONFIG` in the background (heap and GC options SERVER_JVM_OPTS, no RUNNEL_OPTS) with
# --override for node.id=ID, listeners and advertised.listeners on 127.0.0.1 (a CONTROLLER listener only when
# CONTROLLER_PORT is not empty), controller.quorum.voters=VOTERS, log.dirs=LOG_DIRS, then each KEY=VALUE; stdout to
# OUT, stderr (its log) to LOG. Appends its pid (the JVM's: bin/runnel execs java) to PIDS.
runnel_node_start() {
  local config="$1" id="$2" broker_port="$3" controller_port="$4" voters="$5" log_dirs="$6" out="$7" log="$8" kv
  local listeners="PLAINTEXT://127.0.0.1:$broker_port" overrides=()
  [ -n "$controller_port" ] && listeners+=",CONTROLLER://127.0.0.1:$controller_port"
  shift 8
  for kv in "$@"; do
    overrides+=(--override "$kv")
  done
  RUNNEL_HEAP_OPTS="$SERVER_JVM_OPTS" RUNNEL_OPTS="" "$RUNNEL" server-start "$config" \
    --override node.id="$id" \
    --override listeners="$listeners" \
    --override advertised.listeners="PLAINTEXT://127.0.0.1:$broker_port" \
    --override controller.quorum.voters="$voters" \
    --override log.dirs="$log_dirs" \
    "${overrides[@]}" > "$out" 2> "$log" &
  PIDS+=($!)
}

# ---------------------------------------------------------------------------------------------------------------
# Clusters of NODES combined (broker + controller) nodes on 127.0.0.1

# cluster_ports: picks 2 * NODES free ports and sets BROKER_PORTS, CONTROLLER_PORTS (arrays, node i at index i - 1),
# VOTERS (controller.quorum.voters) and BOOTSTRAP (bootstrap.servers).
cluster_ports() {
  local ports i
  mapfile -t ports < <(free_ports $((2 * NODES)))
  BROKER_PORTS=()
  CONTROLLER_PORTS=()
  VOTERS=""
  BOOTSTRAP=""
  for ((i = 0; i < NODES; i++)); do
    BROKER_PORTS+=("${ports[$((2 * i))]}")
    CONTROLLER_PORTS+=("${ports[$((2 * i + 1))]}")
    VOTERS+="${VOTERS:+,}$((i + 1))@127.0.0.1:${ports[$((2 * i + 1))]}"
    BOOTSTRAP+="${BOOTSTRAP:+,}127.0.0.1:${ports[$((2 * i))]}"
  done
}

# kafka_cluster_start: formats and starts NODES Kafka nodes (Kafka's config/server.properties, KRaft combined, on
# cluster_ports' ports, the internal topics sized to the cluster; data in $RUN/kafka-node-I-data, logs in
# $RUN/kafka-node-I.log) and waits for each to start. Needs fetch_kafka first. On failure: fail kafka, returns 1.
kafka_cluster_start() {
  cluster_ports
  local cluster_id i id props
  cluster_id="$(kafka_java kafka.tools.StorageTool random-uuid)"
  for ((i = 0; i < NODES; i++)); do
    id=$((i + 1))
    props="$RUN/kafka-node-$id.properties"
    kafka_server_properties "$id" "${BROKER_PORTS[$i]}" "${CONTROLLER_PORTS[$i]}" "$VOTERS" "$RUN/kafka-node-$id-data" \
      "$NODES" > "$props"
    kafka_format "$cluster_id" "$props" "$RUN/kafka-node-$id.format.txt" \
      || { fail kafka "formatting Kafka node $id failed"; return 1; }
  done
  for ((i = 0; i < NODES; i++)); do
    id=$((i + 1))
    kafka_node_start "$KAFKA_DIST/log4j2.properties" "$RUN/kafka-node-$id.properties" "$RUN/kafka-node-$id.out" \
      "$RUN/kafka-node-$id.log"
  done
  for ((i = 0; i < NODES; i++)); do
    await_line "$RUN/kafka-node-$((i + 1)).log" "Kafka Server started" "${PIDS[$i]}" \
      || { fail kafka "Kafka node $((i + 1)) did not start"; return 1; }
  done
  log "Apache Kafka $KAFKA_VERSION: $NODES node(s) up, bootstrap $BOOTSTRAP"
}

# runnel_cluster_start: starts NODES Runnel nodes (config/server.properties on cluster_ports' ports; data in
# $RUN/runnel-node-I-data, logs in $RUN/runnel-node-I.log) and waits until each broker is unfenced. On failure:
# fail runnel, returns 1.
runnel_cluster_start() {
  cluster_ports
  local i id
  for ((i = 0; i < NODES; i++)); do
    id=$((i + 1))
    runnel_node_start "$ROOT/config/server.properties" "$id" "${BROKER_PORTS[$i]}" "${CONTROLLER_PORTS[$i]}" "$VOTERS" \
      "$RUN/runnel-node-$id-data" "$RUN/runnel-node-$id.out" "$RUN/runnel-node-$id.log"
  done
  for ((i = 0; i < NODES; i++)); do
    await_line "$RUN/runnel-node-$((i + 1)).log" "Broker $((i + 1)) is now unfenced" "${PIDS[$i]}" \
      || { fail runnel "Runnel node $((i + 1)) did not start"; return 1; }
  done
  log "Runnel: $NODES node(s) up, bootstrap $BOOTSTRAP"
}
