#!/usr/bin/env bash
# One-command demo of the semantic-ranking plugin, from a fresh clone:
#   builds the plugin, starts a single Elasticsearch 9.5.3 node with it on
#   http://127.0.0.1:9200, and takes the tour of demo/dev-tools.txt: the catalogue
#   (demo/catalogue.jsonl) through the `semantic_embedding` processor, a
#   `semantic_hybrid` search with each hit's breakdown, query intent, a shopper's
#   events (demo/events.ndjson), profiles, a trained model, her search before and
#   after `personalized_blend`, and `_evaluate` of BM25 against the hybrid.
#
# Requirements: JDK >= 21, Maven, curl, unzip, python3 (for JSON handling).
# Environment overrides: JAVA_HOME, DEMO_PORT (default 9200), ES_HEAP (default 1g).
# Every request is in demo/dev-tools.txt (Kibana Dev Tools format); demo/run.py sends it.
set -euo pipefail

cd "$(dirname "$0")"
ROOT="$(pwd)"
ES_VERSION=9.5.3
PORT="${DEMO_PORT:-9200}"
NODE_DIR="target/demo-node"
NODE_SH="integ-tests/node.sh"
DEFAULT_JDK=/usr/lib/jvm/temurin-25-jdk-amd64

say() { printf '\n==> %s\n' "$*"; }
die() { echo "demo.sh: $*" >&2; exit 1; }

for tool in mvn curl unzip python3; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is required but not on PATH"
done

# ---------------------------------------------------------------- JDK >= 21
java_major() {
  # prints the feature version of "$1/bin/java", or nothing
  "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n1
}
jdk_ok() {
  [ -n "${1:-}" ] && [ -x "$1/bin/java" ] || return 1
  local m
  m="$(java_major "$1")"
  [ -n "$m" ] && [ "$m" -ge 21 ]
}
if ! jdk_ok "${JAVA_HOME:-}"; then
  jdk_ok "$DEFAULT_JDK" || die "need a JDK >= 21: set JAVA_HOME (tried '${JAVA_HOME:-}' and $DEFAULT_JDK)"
  export JAVA_HOME="$DEFAULT_JDK"
fi
export PATH="$JAVA_HOME/bin:$PATH"
export ES_JAVA_HOME="$JAVA_HOME"   # used by integ-tests/node.sh to run Elasticsearch
echo "Using JAVA_HOME=$JAVA_HOME (Java $(java_major "$JAVA_HOME"))"

# ---------------------------------------------------------------- build
say "Building the plugin (mvn package -DskipTests)"
mvn -B -q package -DskipTests
PLUGIN_ZIP="$(ls -1t target/semantic-ranking-*.zip 2>/dev/null | head -n1 || true)"
[ -n "$PLUGIN_ZIP" ] && [ -f "$PLUGIN_ZIP" ] || die "plugin zip not found in target/ after the build"
echo "Plugin: $PLUGIN_ZIP"

say "Fetching the Elasticsearch $ES_VERSION distribution"
mvn -B -q dependency:copy \
  -Dartifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip" \
  -DoutputDirectory=target/es-distribution
ES_ZIP="target/es-distribution/elasticsearch-$ES_VERSION.zip"
[ -f "$ES_ZIP" ] || die "$ES_ZIP not found"

# ---------------------------------------------------------------- node
DEMO_START=$(date +%s)
say "Installing and starting a single node on http://127.0.0.1:$PORT"
"$NODE_SH" stop "$NODE_DIR" >/dev/null 2>&1 || true   # a node left over from a previous run
"$NODE_SH" install "$NODE_DIR" "$ES_ZIP" "$PLUGIN_ZIP" "$PORT"
"$NODE_SH" start "$NODE_DIR"
ES_URL="$("$NODE_SH" url "$NODE_DIR")"

# ---------------------------------------------------------------- the tour
# Every request of the tour is in demo/dev-tools.txt, in Kibana Dev Tools format; demo/run.py sends them in order
# and prints what each answer shows.
say "The tour: ingest, hybrid search with its breakdown, query intent, personalization, evaluation"
TOUR_START=$(date +%s)
python3 demo/run.py "$ES_URL" demo/dev-tools.txt || die "the tour stopped (node log: $NODE_SH logs $NODE_DIR)"
TOUR_END=$(date +%s)

cat <<EOF


==> Done in $((TOUR_END - DEMO_START)) s after the build ($((TOUR_END - TOUR_START)) s for the tour). The node keeps running
    at $ES_URL (indices products, interactions, user_profiles; model demo-shop). Paste demo/dev-tools.txt into
    Kibana's Dev Tools to send the same requests by hand, or try:
      curl -s '$ES_URL/products/_search?q=headphones&pretty'
    Stop the node with:
      integ-tests/node.sh stop $NODE_DIR
EOF
