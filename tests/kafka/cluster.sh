# Real Apache Kafka for tests and benchmarks: three combined broker+controller
# KRaft nodes on 127.0.0.1, from the jars Maven resolves (tests/kafka/pom.xml).
# Source this file (POSIX sh or bash), then:
#
#   kc_fetch VERSION        resolve the jars into the cache (once per version)
#   kc_start VERSION        format and start three nodes, wait until all are
#                           ready; sets KC_BOOTSTRAP (all three) and KC_B1..3
#   kc_stop                 SIGTERM to every node at once, SIGKILL after a bound
#   kc_pause N / kc_resume N  SIGSTOP / SIGCONT node N
#   kc_tool CLASS ARGS...   one of Kafka's CLIs, from the same classpath
#   kc_topics / kc_configs / kc_groups / kc_delete_records / kc_produce /
#   kc_consume ARGS...      the usual CLIs, by their bin/*.sh names
#   kc_active_controller    node id of the active KRaft controller
#
# kc_start installs a trap on EXIT INT TERM that stops the cluster, so no JVM
# survives the script that started it (a caller with its own trap calls
# kc_stop from it).  Nothing is written inside the source tree: jars go to
# $KAFKAUDIT_KAFKA_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/kafkaudit),
# node data and logs to a fresh scratch directory under $KC_SCRATCH_PARENT
# (default ${TMPDIR:-/tmp}), removed by kc_stop unless KC_KEEP=1.
#
# The versions tested (tests/CMakeLists.txt) are the newest 3.9.x and 4.x on
# Maven Central when this was written: 3.9.2 and 4.4.0.
KC_HERE=${KC_HERE:-$(cd "$(dirname "${KC_SELF:-${BASH_SOURCE:-$0}}")" && pwd)}
KC_CACHE=${KAFKAUDIT_KAFKA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kafkaudit}
# Small heaps and a cheap JIT: the nodes and CLIs share two cores with the
# build.  -Xshare:auto uses the JDK's class data archive when it has one.
KC_JVM="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Djava.awt.headless=true"
KC_BROKER_HEAP=${KC_BROKER_HEAP:-"-Xms128m -Xmx384m"}
KC_TOOL_HEAP=${KC_TOOL_HEAP:-"-Xmx192m"}
KC_READY_TIMEOUT=${KC_READY_TIMEOUT:-180}
KC_STOP_TIMEOUT=${KC_STOP_TIMEOUT:-30}
KC_PIDS=""
KC_DIR=""

kc_log() { echo "kafka-harness: $*" >&2; }

kc_major() { echo "${1%%.*}"; }

# kc_fetch VERSION: sets KC_LIB to a directory of every jar the broker and
# the CLIs need.  A finished download is marked with .complete, so an
# interrupted one is redone.
kc_fetch() {
    v=$1
    KC_LIB=$KC_CACHE/kafka-$v
    [ -f "$KC_LIB/.complete" ] && return 0
    command -v mvn >/dev/null 2>&1 || { kc_log "mvn not found (apt-get install maven)"; return 1; }
    command -v java >/dev/null 2>&1 || { kc_log "java not found (apt-get install openjdk-17-jdk-headless)"; return 1; }
    case $(kc_major "$v") in
        3) prof=kafka39 ;;
        *) prof=kafka4 ;;
    esac
    kc_log "resolving Kafka $v jars from Maven Central into $KC_LIB"
    rm -rf "$KC_LIB"
    mkdir -p "$KC_CACHE" || return 1
    # the pom's build directory must not be the source tree either
    kc_mvn_out=$(mktemp -d "${TMPDIR:-/tmp}/kc-mvn.XXXXXX") || return 1
    if ! mvn -q -B -f "$KC_HERE/pom.xml" -P "$prof" -Dkafka.version="$v" \
            -Dlib.dir="$KC_LIB" -DbuildDirectory="$kc_mvn_out" \
            package >"$kc_mvn_out/mvn.log" 2>&1; then
        kc_log "Maven could not resolve Kafka $v:"; tail -20 "$kc_mvn_out/mvn.log" >&2
        rm -rf "$kc_mvn_out" "$KC_LIB"; return 1
    fi
    rm -rf "$kc_mvn_out"
    ls "$KC_LIB"/kafka_2.13-"$v".jar >/dev/null 2>&1 || { kc_log "no kafka_2.13-$v.jar in $KC_LIB"; return 1; }
    touch "$KC_LIB/.complete"
}

# N distinct free TCP ports on 127.0.0.1, chosen below the kernel's
# ephemeral range (an outgoing connection cannot take one between the choice
# and the broker's bind), held together while chosen.
kc_free_ports() {
    /usr/bin/python3 - "$1" <<'EOF2'
import random, socket, sys
try:
    lo = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
except Exception:
    lo = 32768
ss = []
while len(ss) < int(sys.argv[1]):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", random.randrange(10000, max(lo, 10001))))
        ss.append(s)
    except OSError:
        s.close()
print(" ".join(str(s.getsockname()[1]) for s in ss))
EOF2
}

kc_logging_flags() { # $1 = broker|tool
    if [ "$(kc_major "$KC_VERSION")" = 3 ]; then
        echo "-Dlog4j.configuration=file:$KC_DIR/log4j-$1.properties"
    else
        echo "-Dlog4j2.configurationFile=$KC_DIR/log4j2-$1.properties"
    fi
}

kc_tool() {
    # shellcheck disable=SC2086
    java $KC_TOOL_HEAP $KC_JVM $(kc_logging_flags tool) -cp "$KC_LIB/*" "$@"
}

kc_topics()  { kc_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$KC_B1" "$@"; }
# ConfigCommand and ConsoleProducer moved from core (kafka.*) to the tools
# module (org.apache.kafka.tools.*) in 4.x
kc_configs() {
    if [ "$(kc_major "$KC_VERSION")" = 3 ]; then
        kc_tool kafka.admin.ConfigCommand --bootstrap-server "$KC_B1" "$@"
    else
        kc_tool org.apache.kafka.tools.ConfigCommand --bootstrap-server "$KC_B1" "$@"
    fi
}
kc_groups()  { kc_tool org.apache.kafka.tools.consumer.group.ConsumerGroupCommand --bootstrap-server "$KC_B1" "$@"; }
kc_delete_records() { kc_tool org.apache.kafka.tools.DeleteRecordsCommand --bootstrap-server "$KC_B1" "$@"; }
kc_consume() { kc_tool org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "$KC_B1" "$@"; }
kc_produce() {
    if [ "$(kc_major "$KC_VERSION")" = 3 ]; then
        kc_tool kafka.tools.ConsoleProducer --bootstrap-server "$KC_B1" "$@"
    else
        kc_tool org.apache.kafka.tools.ConsoleProducer --bootstrap-server "$KC_B1" "$@"
    fi
}
kc_active_controller() {
    kc_tool org.apache.kafka.tools.MetadataQuorumCommand --bootstrap-server "$KC_B1" \
        describe --status | sed -n 's/^LeaderId:[[:space:]]*//p'
}

kc_pid() { eval "echo \$KC_PID$1"; }
kc_pause()  { kill -STOP "$(kc_pid "$1")"; }
kc_resume() { kill -CONT "$(kc_pid "$1")"; }

# kc_start VERSION [EXTRA_PROPERTIES_FILE]: the extra file is appended to
# every node's server.properties (static broker configuration).  A start
# that fails because another process took a chosen port is retried on new
# ports (twice).
kc_start() {
    for kc_try in 1 2 3; do
        kc_start_once "$@" && return 0
        kc_bind_failed=0
        [ -n "$KC_DIR" ] && grep -qs 'BindException' "$KC_DIR"/node*/out.log && kc_bind_failed=1
        kc_stop
        [ $kc_bind_failed = 1 ] || return 1
        kc_log "a port was taken meanwhile; starting again on other ports"
    done
    return 1
}

kc_start_once() {
    KC_VERSION=$1
    extra=${2:-}
    kc_fetch "$KC_VERSION" || return 1
    trap 'kc_stop' EXIT
    trap 'kc_stop; trap - EXIT; exit 130' INT
    trap 'kc_stop; trap - EXIT; exit 143' TERM
    KC_DIR=$(mktemp -d "${KC_SCRATCH_PARENT:-${TMPDIR:-/tmp}}/kafkaudit-kafka-$KC_VERSION.XXXXXX") || return 1
    set -- $(kc_free_ports 6)
    KC_B1=127.0.0.1:$1 KC_B2=127.0.0.1:$2 KC_B3=127.0.0.1:$3
    KC_C1=$4 KC_C2=$5 KC_C3=$6
    KC_BOOTSTRAP=$KC_B1,$KC_B2,$KC_B3
    export KC_BOOTSTRAP KC_B1 KC_B2 KC_B3 KC_DIR KC_VERSION KC_LIB
    voters="1@127.0.0.1:$KC_C1,2@127.0.0.1:$KC_C2,3@127.0.0.1:$KC_C3"
    for lvl in broker:INFO tool:WARN; do
        name=${lvl%%:*} level=${lvl#*:}
        cat >"$KC_DIR/log4j2-$name.properties" <<EOF
appender.out.type=Console
appender.out.name=OUT
appender.out.target=SYSTEM_ERR
appender.out.layout.type=PatternLayout
appender.out.layout.pattern=[%d] %p %m (%c)%n
rootLogger.level=$level
rootLogger.appenderRef.out.ref=OUT
EOF
        cat >"$KC_DIR/log4j-$name.properties" <<EOF
log4j.rootLogger=$level, out
log4j.appender.out=org.apache.log4j.ConsoleAppender
log4j.appender.out.Target=System.err
log4j.appender.out.layout=org.apache.log4j.PatternLayout
log4j.appender.out.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
    done
    for n in 1 2 3; do
        eval "port=\${KC_B$n#127.0.0.1:} cport=\$KC_C$n"
        mkdir -p "$KC_DIR/node$n"
        {
            echo "process.roles=broker,controller"
            echo "node.id=$n"
            echo "controller.quorum.voters=$voters"
            echo "listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport"
            echo "advertised.listeners=PLAINTEXT://127.0.0.1:$port"
            echo "controller.listener.names=CONTROLLER"
            echo "inter.broker.listener.name=PLAINTEXT"
            echo "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"
            echo "log.dirs=$KC_DIR/node$n/data"
            # small and quick: few internal partitions, no rebalance delay,
            # fencing after 3 s without a heartbeat, ISR shrink after 4 s
            echo "offsets.topic.num.partitions=3"
            echo "group.initial.rebalance.delay.ms=0"
            echo "replica.lag.time.max.ms=4000"
            echo "broker.heartbeat.interval.ms=500"
            echo "broker.session.timeout.ms=3000"
            echo "num.network.threads=2"
            echo "num.io.threads=2"
            echo "background.threads=2"
            echo "num.replica.fetchers=1"
            echo "num.recovery.threads.per.data.dir=1"
            echo "log.cleaner.threads=1"
            echo "log.cleaner.dedupe.buffer.size=8388608"
            [ -n "$extra" ] && cat "$extra"
        } >"$KC_DIR/server-$n.properties"
    done
    cid=$(kc_tool kafka.tools.StorageTool random-uuid) || { kc_log "random-uuid failed"; return 1; }
    for n in 1 2 3; do
        kc_tool kafka.tools.StorageTool format -t "$cid" -c "$KC_DIR/server-$n.properties" \
            >"$KC_DIR/format-$n.log" 2>&1 &
        eval "fpid$n=\$!"
    done
    for n in 1 2 3; do
        eval "wait \$fpid$n" || { kc_log "format of node $n failed:"; cat "$KC_DIR/format-$n.log" >&2; return 1; }
    done
    KC_T0=$(date +%s.%N)
    for n in 1 2 3; do
        # shellcheck disable=SC2086
        java $KC_BROKER_HEAP $KC_JVM $(kc_logging_flags broker) \
            -Dkafka.logs.dir="$KC_DIR/node$n" -cp "$KC_LIB/*" \
            kafka.Kafka "$KC_DIR/server-$n.properties" >"$KC_DIR/node$n/out.log" 2>&1 &
        eval "KC_PID$n=\$!"
        KC_PIDS="$KC_PIDS $!"
    done
    export KC_PID1 KC_PID2 KC_PID3
    kc_wait_ready || return 1
    KC_START_SECONDS=$(awk -v a="$KC_T0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b - a}')
    kc_log "Kafka $KC_VERSION: 3 nodes ready in ${KC_START_SECONDS}s at $KC_BOOTSTRAP ($KC_DIR)"
}

kc_wait_ready() {
    deadline=$(( $(date +%s) + KC_READY_TIMEOUT ))
    for n in 1 2 3; do
        while ! grep -q 'Kafka Server started' "$KC_DIR/node$n/out.log" 2>/dev/null; do
            if ! kill -0 "$(kc_pid $n)" 2>/dev/null; then
                kc_log "node $n exited during start-up:"; tail -30 "$KC_DIR/node$n/out.log" >&2
                return 1
            fi
            if [ "$(date +%s)" -ge $deadline ]; then
                kc_log "node $n not ready after ${KC_READY_TIMEOUT}s:"; tail -30 "$KC_DIR/node$n/out.log" >&2
                return 1
            fi
            sleep 0.2
        done
    done
}

# Resident memory of the three nodes, in MiB (from /proc).
kc_rss_mib() {
    t=0
    for p in $KC_PIDS; do
        r=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
        t=$((t + ${r:-0}))
    done
    echo $((t / 1024))
}

# SIGTERM to every node at once (one at a time, the last would wait for a
# quorum that is gone), then SIGKILL what is left after KC_STOP_TIMEOUT.
# Stopped (paused) nodes are continued so that they can act on the signal.
kc_stop() {
    [ -n "$KC_PIDS" ] || { kc_cleanup_dir; return 0; }
    # shellcheck disable=SC2086
    kill -TERM $KC_PIDS 2>/dev/null
    # shellcheck disable=SC2086
    kill -CONT $KC_PIDS 2>/dev/null
    deadline=$(( $(date +%s) + KC_STOP_TIMEOUT ))
    while :; do
        alive=""
        for p in $KC_PIDS; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
        [ -z "$alive" ] && break
        if [ "$(date +%s)" -ge $deadline ]; then
            kc_log "SIGKILL to$alive after ${KC_STOP_TIMEOUT}s"
            # shellcheck disable=SC2086
            kill -KILL $alive 2>/dev/null
        fi
        sleep 0.2
    done
    for p in $KC_PIDS; do wait "$p" 2>/dev/null; done
    KC_PIDS=""
    kc_cleanup_dir
}

kc_cleanup_dir() {
    if [ -n "$KC_DIR" ] && [ "${KC_KEEP:-0}" != 1 ]; then rm -rf "$KC_DIR"; fi
    KC_DIR=""
}
