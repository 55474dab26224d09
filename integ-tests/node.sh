#!/usr/bin/env bash
# Runs ONE real Elasticsearch node bound to 127.0.0.1 only, for integration
# tests, the demo and benchmarks.
#
#   node.sh install WORK_DIR ES_ZIP PLUGIN_ZIP|- HTTP_PORT
#   node.sh start   WORK_DIR
#   node.sh stop    WORK_DIR
#   node.sh kill9   WORK_DIR
#   node.sh logs    WORK_DIR
#   node.sh url     WORK_DIR
#
# Environment:
#   ES_JAVA_HOME  JDK (>= 21) used to run Elasticsearch; default
#                 /usr/lib/jvm/temurin-25-jdk-amd64
#   ES_HEAP       heap size written at install time (default 1g)
#   ES_USER       system user that runs the node when invoked as root
#                 (default semrank; Elasticsearch refuses to run as root)
#   START_TIMEOUT seconds to wait for the node to become yellow (default 180)
#   ES_AUTH       user:password for the readiness check of a node with security on
#   ES_NODE_NAME  the node's name, written at install time (default integ-node)
#   ES_SEED_HOSTS host:transport_port of every node of a cluster, comma-separated,
#                 written at install time (with ES_INITIAL_MASTERS, the names of
#                 the master-eligible nodes); without it the node is a single-node
#                 cluster. integ-tests/cluster.sh sets them.
#
# The node is identified only by WORK_DIR/es.pid and the port in its own
# config, so several nodes on different ports never interfere.
set -euo pipefail

ES_VERSION_DIR="elasticsearch-9.5.3"
DEFAULT_JAVA_HOME="/usr/lib/jvm/temurin-25-jdk-amd64"
ES_USER="${ES_USER:-semrank}"
START_TIMEOUT="${START_TIMEOUT:-180}"
STOP_TIMEOUT=60
CLUSTER_NAME="semantic-ranking-integ"

die() { echo "node.sh: $*" >&2; exit 1; }

usage() {
  sed -n '2,10p' "$0" >&2
  exit 2
}

is_root() { [ "$(id -u)" -eq 0 ]; }

abspath() {
  # absolute path without requiring the target to exist
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s/%s\n' "$(pwd)" "$1" ;;
  esac
}

resolve_java_home() {
  local jh="${ES_JAVA_HOME:-}"
  if [ -n "$jh" ] && [ -x "$jh/bin/java" ]; then
    printf '%s\n' "$jh"
    return
  fi
  if [ -n "$jh" ]; then
    echo "node.sh: ES_JAVA_HOME=$jh has no bin/java; using $DEFAULT_JAVA_HOME" >&2
  fi
  [ -x "$DEFAULT_JAVA_HOME/bin/java" ] || die "no JDK found at $DEFAULT_JAVA_HOME (set ES_JAVA_HOME to a JDK >= 21)"
  printf '%s\n' "$DEFAULT_JAVA_HOME"
}

es_home() { printf '%s/%s\n' "$1" "$ES_VERSION_DIR"; }

read_port() {
  local yml
  yml="$(es_home "$1")/config/elasticsearch.yml"
  [ -f "$yml" ] || die "$yml not found; run 'node.sh install' first"
  local port
  port="$(sed -n 's/^http\.port:[[:space:]]*\([0-9][0-9]*\).*/\1/p' "$yml" | head -n1)"
  [ -n "$port" ] || die "no http.port in $yml"
  printf '%s\n' "$port"
}

read_pid() {
  local f="$1/es.pid"
  [ -s "$f" ] || return 1
  local pid
  pid="$(tr -dc '0-9' < "$f")"
  [ -n "$pid" ] || return 1
  printf '%s\n' "$pid"
}

pid_alive() { kill -0 "$1" 2>/dev/null; }

log_file() { printf '%s/logs/%s.log\n' "$1" "$CLUSTER_NAME"; }

print_logs() {
  local wd="$1" n="${2:-200}" f
  f="$(log_file "$wd")"
  if [ -f "$f" ]; then
    echo "----- tail -n $n $f -----" >&2
    tail -n "$n" "$f" >&2
  else
    echo "node.sh: no log file at $f" >&2
  fi
}

ensure_user() {
  if ! id -u "$ES_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$ES_USER" 2>/dev/null \
      || id -u "$ES_USER" >/dev/null 2>&1 \
      || die "could not create system user $ES_USER"
  fi
}

# Make every ancestor of $1 traversable by ES_USER (adds o+x only where needed).
ensure_traversable() {
  local dir
  dir="$(dirname "$1")"
  local dirs=()
  while [ "$dir" != "/" ] && [ -n "$dir" ]; do
    dirs+=("$dir")
    dir="$(dirname "$dir")"
  done
  local i d
  # walk from / downwards so the test for each dir is meaningful
  for ((i=${#dirs[@]}-1; i>=0; i--)); do
    d="${dirs[$i]}"
    if ! runuser -u "$ES_USER" -- test -x "$d" 2>/dev/null; then
      echo "node.sh: chmod o+x $d (so $ES_USER can reach the node directory)" >&2
      chmod o+x "$d"
    fi
  done
}

as_es_user() {
  if is_root; then
    runuser -u "$ES_USER" -- "$@"
  else
    "$@"
  fi
}

cmd_install() {
  [ $# -eq 4 ] || usage
  local wd es_zip plugin_zip port
  wd="$(abspath "$1")"; es_zip="$(abspath "$2")"; plugin_zip="$3"; port="$4"
  [ -f "$es_zip" ] || die "ES zip not found: $es_zip"
  case "$port" in (''|*[!0-9]*) die "HTTP_PORT must be a number: $port" ;; esac
  [ "$port" -ge 1024 ] && [ "$port" -le 65435 ] || die "HTTP_PORT out of range: $port"
  if [ "$plugin_zip" != "-" ]; then
    plugin_zip="$(abspath "$plugin_zip")"
    [ -f "$plugin_zip" ] || die "plugin zip not found: $plugin_zip"
  fi
  case "$wd" in (/|/work|/work/main|/root|/tmp|/home) die "refusing to wipe $wd" ;; esac

  # refuse to wipe a directory whose node is still running
  local pid
  if pid="$(read_pid "$wd" 2>/dev/null)" && pid_alive "$pid"; then
    die "node in $wd is still running (pid $pid); run 'node.sh stop $wd' first"
  fi

  local java_home
  java_home="$(resolve_java_home)"

  rm -rf "$wd"
  mkdir -p "$wd/data" "$wd/logs"
  unzip -q "$es_zip" -d "$wd"
  local home
  home="$(es_home "$wd")"
  [ -x "$home/bin/elasticsearch" ] || die "unexpected zip layout: $home/bin/elasticsearch missing"

  if [ "$plugin_zip" != "-" ]; then
    ES_JAVA_HOME="$java_home" "$home/bin/elasticsearch-plugin" install --batch "file://$plugin_zip"
  fi

  local heap="${ES_HEAP:-1g}" discovery
  if [ -n "${ES_SEED_HOSTS:-}" ]; then
    [ -n "${ES_INITIAL_MASTERS:-}" ] || die "ES_SEED_HOSTS needs ES_INITIAL_MASTERS"
    discovery="discovery.seed_hosts: [${ES_SEED_HOSTS}]
cluster.initial_master_nodes: [${ES_INITIAL_MASTERS}]"
  else
    discovery="discovery.type: single-node"
  fi
  cat > "$home/config/elasticsearch.yml" <<EOF
# written by integ-tests/node.sh
cluster.name: $CLUSTER_NAME
node.name: ${ES_NODE_NAME:-integ-node}
network.host: 127.0.0.1
http.port: $port
transport.port: $((port + 100))
$discovery
xpack.security.enabled: false
path.data: $wd/data
path.logs: $wd/logs
cluster.routing.allocation.disk.threshold_enabled: false
action.destructive_requires_name: false
EOF
  mkdir -p "$home/config/jvm.options.d"
  printf -- '-Xms%s\n-Xmx%s\n' "$heap" "$heap" > "$home/config/jvm.options.d/heap.options"

  if is_root; then
    ensure_user
    chown -R "$ES_USER:" "$wd"
    ensure_traversable "$wd"
  fi
  echo "node.sh: installed $home (http://127.0.0.1:$port, heap $heap)"
}

cmd_start() {
  [ $# -eq 1 ] || usage
  local wd home port url java_home
  wd="$(abspath "$1")"
  home="$(es_home "$wd")"
  port="$(read_port "$wd")"
  url="http://127.0.0.1:$port"
  java_home="$(resolve_java_home)"

  local pid
  if pid="$(read_pid "$wd")" && pid_alive "$pid"; then
    echo "node.sh: node already running (pid $pid) at $url"
  else
    if curl -s -o /dev/null --max-time 2 "$url/"; then
      die "port $port is already served by another process; not starting"
    fi
    rm -f "$wd/es.pid"
    if is_root; then
      ensure_user
      ensure_traversable "$wd"
    fi
    # -d: the launcher returns once the node has started (or failed to start)
    # its console output (a copy of the startup log) goes to WORK_DIR/launcher.out
    echo "node.sh: starting elasticsearch in $home (http port $port) ..."
    rm -f "$wd/launcher.out"   # may be owned by another user from an earlier run
    # keep the JVM temp dir inside WORK_DIR instead of littering /tmp/elasticsearch-*
    mkdir -p "$wd/tmp"
    if is_root; then chown "$ES_USER:" "$wd/tmp"; fi
    if ! (cd "$home" && as_es_user env ES_JAVA_HOME="$java_home" ES_PATH_CONF="$home/config" ES_TMPDIR="$wd/tmp" \
            "$home/bin/elasticsearch" -d -p "$wd/es.pid" </dev/null >"$wd/launcher.out" 2>&1); then
      echo "node.sh: elasticsearch failed to start; launcher output:" >&2
      tail -n 60 "$wd/launcher.out" >&2 || true
      print_logs "$wd" 50
      exit 1
    fi
  fi

  local deadline=$((SECONDS + START_TIMEOUT)) body
  while :; do
    body="$(curl -s --max-time 35 ${ES_AUTH:+-u "$ES_AUTH"} "$url/_cluster/health?wait_for_status=yellow&timeout=30s" || true)"
    case "$body" in
      *'"status":"green"'*|*'"status":"yellow"'*)
        echo "node.sh: node is up at $url"
        return 0 ;;
    esac
    if pid="$(read_pid "$wd")" && ! pid_alive "$pid"; then
      echo "node.sh: elasticsearch process $pid died during startup" >&2
      print_logs "$wd" 100
      exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "node.sh: node at $url not yellow after ${START_TIMEOUT}s" >&2
      print_logs "$wd" 100
      exit 1
    fi
    sleep 1
  done
}

cmd_stop() {
  [ $# -eq 1 ] || usage
  local wd pid
  wd="$(abspath "$1")"
  if ! pid="$(read_pid "$wd")" || ! pid_alive "$pid"; then
    echo "node.sh: no node running in $wd"
    rm -f "$wd/es.pid"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while pid_alive "$pid"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "node.sh: pid $pid did not stop after ${STOP_TIMEOUT}s, sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.5
  done
  rm -f "$wd/es.pid"
  echo "node.sh: node stopped (pid $pid)"
}

cmd_kill9() {
  [ $# -eq 1 ] || usage
  local wd pid
  wd="$(abspath "$1")"
  if pid="$(read_pid "$wd")" && pid_alive "$pid"; then
    kill -KILL "$pid" 2>/dev/null || true
    local i
    for i in $(seq 1 50); do pid_alive "$pid" || break; sleep 0.1; done
    echo "node.sh: node killed (pid $pid)"
  else
    echo "node.sh: no node running in $wd"
  fi
  # stale pid file would be removed by ES on clean exit only
  rm -f "$wd/es.pid"
}

cmd_logs() {
  [ $# -eq 1 ] || usage
  local f
  f="$(log_file "$(abspath "$1")")"
  [ -f "$f" ] || die "no log file at $f"
  tail -n 200 "$f"
}

cmd_url() {
  [ $# -eq 1 ] || usage
  echo "http://127.0.0.1:$(read_port "$(abspath "$1")")"
}

[ $# -ge 1 ] || usage
sub="$1"; shift
case "$sub" in
  install) cmd_install "$@" ;;
  start)   cmd_start "$@" ;;
  stop)    cmd_stop "$@" ;;
  kill9)   cmd_kill9 "$@" ;;
  logs)    cmd_logs "$@" ;;
  url)     cmd_url "$@" ;;
  *)       usage ;;
esac
