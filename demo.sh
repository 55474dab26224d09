#!/usr/bin/env bash
# One-command demo of the semantic-ranking plugin, from a fresh clone:
#   builds the plugin, starts a single Elasticsearch 9.5.3 node with it on
#   http://127.0.0.1:9200, indexes demo/catalogue.jsonl through the
#   `semantic_embedding` ingest processor and runs a few kNN searches.
#
# Requirements: JDK >= 21, Maven, curl, unzip, python3 (for JSON handling).
# Environment overrides: JAVA_HOME, DEMO_PORT (default 9200), ES_HEAP (default 1g).
# The REST bodies used here are also in demo/dev-tools.txt (Kibana Dev Tools format).
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
say "Installing and starting a single node on http://127.0.0.1:$PORT"
"$NODE_SH" stop "$NODE_DIR" >/dev/null 2>&1 || true   # a node left over from a previous run
"$NODE_SH" install "$NODE_DIR" "$ES_ZIP" "$PLUGIN_ZIP" "$PORT"
"$NODE_SH" start "$NODE_DIR"
ES_URL="$("$NODE_SH" url "$NODE_DIR")"

# es METHOD PATH [BODY|@FILE] [CONTENT_TYPE] -> prints the response body; fails on HTTP >= 300
es() {
  local method="$1" path="$2" body="${3:-}" ctype="${4:-application/json}"
  local out code
  local args=(-sS -X "$method" "$ES_URL$path" -H "Content-Type: $ctype" -w '\n%{http_code}')
  if [ -z "$body" ]; then
    out="$(curl "${args[@]}")" || true
  elif [ "${body#@}" != "$body" ]; then
    out="$(curl "${args[@]}" --data-binary "$body")" || true      # @file
  else
    out="$(printf '%s' "$body" | curl "${args[@]}" --data-binary @-)" || true
  fi
  code="${out##*$'\n'}"
  out="${out%$'\n'*}"
  case "$code" in
    2[0-9][0-9]) printf '%s\n' "$out" ;;
    *)
      echo "demo.sh: $method $path failed (HTTP ${code:-none}):" >&2
      echo "$out" >&2
      return 1 ;;
  esac
}

# ---------------------------------------------------------------- pipeline + index
say "Creating ingest pipeline products-embed (semantic_embedding processor)"
es PUT /_ingest/pipeline/products-embed '{
  "description": "Embeds title + description into product_vector",
  "processors": [
    { "semantic_embedding": { "fields": ["title", "description"], "target_field": "product_vector" } }
  ]
}' >/dev/null

say "Creating index products"
es PUT /products '{
  "settings": { "index": { "default_pipeline": "products-embed", "number_of_replicas": 0 } },
  "mappings": {
    "properties": {
      "title":          { "type": "text" },
      "description":    { "type": "text" },
      "brand":          { "type": "keyword" },
      "product_type":   { "type": "keyword" },
      "colour":         { "type": "keyword" },
      "price":          { "type": "float" },
      "product_vector": { "type": "dense_vector", "dims": 384, "index": true, "similarity": "cosine" }
    }
  }
}' >/dev/null

# ---------------------------------------------------------------- bulk load
say "Indexing demo/catalogue.jsonl"
BULK_FILE="target/demo-bulk.ndjson"
python3 - demo/catalogue.jsonl "$BULK_FILE" <<'PY'
import json, sys
src, dst = sys.argv[1], sys.argv[2]
with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as out:
    for line in f:
        line = line.strip()
        if not line:
            continue
        doc = json.loads(line)
        doc_id = doc.pop("id")
        out.write(json.dumps({"index": {"_index": "products", "_id": doc_id}}) + "\n")
        out.write(json.dumps(doc, ensure_ascii=False) + "\n")
PY
BULK_RESP="$(es POST '/_bulk?refresh=true' "@$BULK_FILE" application/x-ndjson)"
printf '%s' "$BULK_RESP" | python3 -c '
import json, sys
r = json.load(sys.stdin)
items = r.get("items", [])
failed = [i for i in items if "error" in next(iter(i.values()))]
if r.get("errors") or failed:
    print("bulk indexing reported errors (%d of %d items failed); first failures:" % (len(failed), len(items)), file=sys.stderr)
    for i in failed[:3]:
        print(json.dumps(next(iter(i.values())), indent=2), file=sys.stderr)
    sys.exit(1)
print("indexed %d products in %d ms" % (len(items), r.get("took", 0)))
' || die "bulk load failed (see errors above; node log: $NODE_SH logs $NODE_DIR)"
COUNT="$(es GET /products/_count | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')"
echo "products in index: $COUNT"

# ---------------------------------------------------------------- semantic searches
search() {
  local query="$1" body resp lexical
  # the semantic_intent query: the node encodes the text once and runs kNN over product_vector
  body="$(python3 -c 'import json,sys; print(json.dumps({"query":{"semantic_intent":{"query":sys.argv[1],"field":"product_vector","k":3,"num_candidates":50}},"size":3,"_source":["title","price"]}))' "$query")"
  resp="$(es POST /products/_search "$body")" || return 1
  # the same words with BM25, for comparison
  body="$(python3 -c 'import json,sys; print(json.dumps({"query":{"multi_match":{"query":sys.argv[1],"fields":["title","description"]}},"size":1,"_source":["title"]}))' "$query")"
  lexical="$(es POST /products/_search "$body")" || return 1
  printf '%s\n%s' "$resp" "$lexical" | python3 -c '
import json, sys
q = sys.argv[1]
semantic, lexical = [json.loads(line) for line in sys.stdin.read().split("\n", 1)]
print("\nQuery: \"%s\"" % q)
hits = semantic["hits"]["hits"]
if not hits:
    print("   (no hits)")
for n, h in enumerate(hits, 1):
    s = h["_source"]
    print("   %d. [%.4f] %s  (%s, $%.2f)" % (n, h["_score"], s.get("title"), h["_id"], s.get("price", 0)))
top = lexical["hits"]["hits"]
print("   BM25 top hit: %s" % (top[0]["_source"]["title"] if top else "(none)"))
' "$query"
}

say "Semantic searches (semantic_intent query over product_vector, top 3; BM25 top hit for comparison)"
for q in \
  "something to listen to music while jogging" \
  "make coffee in the morning" \
  "charge my phone" \
  "comfortable place to sit in the living room"; do
  search "$q" || die "search for '$q' failed (node log: $NODE_SH logs $NODE_DIR)"
done

cat <<EOF

==> Done. The node keeps running at $ES_URL (index: products, pipeline: products-embed).
    Try the requests in demo/dev-tools.txt, e.g.
      curl -s '$ES_URL/products/_search?q=headphones&pretty'
    Stop the node with:
      integ-tests/node.sh stop $NODE_DIR
EOF
