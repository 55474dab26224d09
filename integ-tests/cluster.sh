#!/usr/bin/env bash
# Runs a cluster of N real Elasticsearch nodes on 127.0.0.1 (default 3), each
# one node of integ-tests/node.sh with its own ports, data path and logs, all
# master-eligible data nodes of one cluster, the plugin installed on each.
#
#   cluster.sh install    DIR ES_ZIP PLUGIN_ZIP BASE_HTTP_PORT [N]
#   cluster.sh start      DIR            (every node, in parallel; waits for all N)
#   cluster.sh stop       DIR
#   cluster.sh kill9      DIR I          (SIGKILL node I, 0-based)
#   cluster.sh start-node DIR I          (start node I again; waits for it to join)
#   cluster.sh urls       DIR
#
# Node I serves HTTP on BASE_HTTP_PORT + I and transport on BASE_HTTP_PORT + 100 + I,
# lives in DIR/node-I, and is named node-I. The environment of node.sh applies
# (ES_JAVA_HOME, ES_HEAP, ES_USER, START_TIMEOUT).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
NODE="$HERE/node.sh"
START_TIMEOUT="${START_TIMEOUT:-240}"

die() { echo "cluster.sh: $*" >&2; exit 1; }
usage() { sed -n '2,15p' "$0" >&2; exit 2; }

abspath() {
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s/%s\n' "$(pwd)" "$1" ;;
  esac
}

conf() {
  local f="$1/cluster.conf"
  [ -f "$f" ] || die "$f not found; run 'cluster.sh install' first"
  # shellcheck disable=SC1090
  . "$f"
}

cmd_install() {
  [ $# -ge 4 ] && [ $# -le 5 ] || usage
  local dir es_zip plugin_zip base n
  dir="$(abspath "$1")"; es_zip="$2"; plugin_zip="$3"; base="$4"; n="${5:-3}"
  case "$n" in (''|*[!0-9]*) die "N must be a number: $n" ;; esac
  [ "$n" -ge 1 ] && [ "$n" -le 9 ] || die "N must be between 1 and 9: $n"
  case "$dir" in (/|/work|/work/main|/root|/tmp|/home) die "refusing to wipe $dir" ;; esac
  if [ -f "$dir/cluster.conf" ]; then
    cmd_stop "$dir" || true
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  local seeds="" masters="" i
  for ((i = 0; i < n; i++)); do
    seeds="${seeds:+$seeds,}127.0.0.1:$((base + 100 + i))"
    masters="${masters:+$masters,}node-$i"
  done
  for ((i = 0; i < n; i++)); do
    ES_NODE_NAME="node-$i" ES_SEED_HOSTS="$seeds" ES_INITIAL_MASTERS="$masters" \
      "$NODE" install "$dir/node-$i" "$es_zip" "$plugin_zip" "$((base + i))"
  done
  printf 'BASE=%s\nN=%s\n' "$base" "$n" > "$dir/cluster.conf"
  echo "cluster.sh: installed $n nodes in $dir (http ports $base..$((base + n - 1)))"
}

# waits until the cluster seen from node $2 has $3 nodes
wait_nodes() {
  local dir="$1" i="$2" want="$3" url body deadline=$((SECONDS + START_TIMEOUT))
  url="http://127.0.0.1:$((BASE + i))"
  while :; do
    body="$(curl -s --max-time 35 "$url/_cluster/health?wait_for_nodes=$want&timeout=30s" || true)"
    case "$body" in
      *'"timed_out":false'*) echo "cluster.sh: $want nodes in the cluster (seen from node-$i)"; return 0 ;;
    esac
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "cluster.sh: the cluster did not reach $want nodes in ${START_TIMEOUT}s: $body" >&2
      "$NODE" logs "$dir/node-$i" >&2 || true
      return 1
    fi
    sleep 1
  done
}

cmd_start() {
  [ $# -eq 1 ] || usage
  local dir i pids=() failed=0
  dir="$(abspath "$1")"
  conf "$dir"
  # together: a master needs a majority of the master-eligible nodes, so none becomes ready alone
  for ((i = 0; i < N; i++)); do
    START_TIMEOUT="$START_TIMEOUT" "$NODE" start "$dir/node-$i" > "$dir/start-$i.out" 2>&1 &
    pids+=($!)
  done
  for ((i = 0; i < N; i++)); do
    if ! wait "${pids[$i]}"; then
      echo "cluster.sh: node-$i failed to start:" >&2
      cat "$dir/start-$i.out" >&2
      failed=1
    fi
  done
  [ "$failed" -eq 0 ] || { cmd_stop "$dir" || true; exit 1; }
  wait_nodes "$dir" 0 "$N"
}

cmd_stop() {
  [ $# -eq 1 ] || usage
  local dir i
  dir="$(abspath "$1")"
  conf "$dir"
  for ((i = 0; i < N; i++)); do
    "$NODE" stop "$dir/node-$i" || true
  done
}

node_index() {
  case "$1" in (''|*[!0-9]*) die "I must be a number: $1" ;; esac
  [ "$1" -lt "$N" ] || die "no node $1 in a cluster of $N"
}

cmd_kill9() {
  [ $# -eq 2 ] || usage
  local dir
  dir="$(abspath "$1")"
  conf "$dir"
  node_index "$2"
  "$NODE" kill9 "$dir/node-$2"
}

cmd_start_node() {
  [ $# -eq 2 ] || usage
  local dir
  dir="$(abspath "$1")"
  conf "$dir"
  node_index "$2"
  START_TIMEOUT="$START_TIMEOUT" "$NODE" start "$dir/node-$2"
  wait_nodes "$dir" "$2" "$N"
}

cmd_urls() {
  [ $# -eq 1 ] || usage
  local dir i
  dir="$(abspath "$1")"
  conf "$dir"
  for ((i = 0; i < N; i++)); do
    echo "http://127.0.0.1:$((BASE + i))"
  done
}

[ $# -ge 1 ] || usage
sub="$1"; shift
case "$sub" in
  install)    cmd_install "$@" ;;
  start)      cmd_start "$@" ;;
  stop)       cmd_stop "$@" ;;
  kill9)      cmd_kill9 "$@" ;;
  start-node) cmd_start_node "$@" ;;
  urls)       cmd_urls "$@" ;;
  *)          usage ;;
esac
