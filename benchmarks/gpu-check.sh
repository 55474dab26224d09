#!/usr/bin/env bash
# The check a maintainer with one NVIDIA GPU runs (issue 18): the CUDA build has never run on a GPU here.
#
#   benchmarks/gpu-check.sh
#
# 1. says which GPU and driver the machine has (nvidia-smi), and stops if none;
# 2. runs the ingest benchmark on the CPU build: a real node, the Chorus catalogue (19,406 products) through the
#    semantic_embedding pipeline (target/benchmarks/ingest-cpu.md);
# 3. builds the plugin with ONNX Runtime's CUDA build (mvn -Pgpu; the node needs CUDA 12 and cuDNN 9) and runs the
#    same benchmark on a node started with semantic_ranking.encoder.device: cuda, which fails at start when CUDA is
#    not available (target/benchmarks/ingest-gpu.md);
# 4. prints both reports, the device each node's models API reported, and the pipeline's docs/s on the GPU over the
#    CPU's.
#
# What it prints on a machine with a GPU, in this order: the nvidia-smi line ("NVIDIA ..., <driver>, <memory>"),
# Maven's output of both runs, then
#   CPU: Node encoder device: cpu (setting: default) ... | bulk through the semantic_embedding pipeline (node) | N | ...
#   GPU: Node encoder device: cuda (setting: cuda) ...   | bulk through the semantic_embedding pipeline (node) | M | ...
#   pipeline docs/s, GPU over CPU: M/N
# A GPU node whose models API says anything but "cuda" did not use the GPU; the script exits 1 then.
# Takes about 10 minutes on the project's machine for the CPU run; Maven Central must be reachable for the CUDA jar.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export PATH="$JAVA_HOME/bin:$PATH"

if ! command -v nvidia-smi >/dev/null 2>&1 || ! nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader; then
  echo "gpu-check: no NVIDIA GPU here (nvidia-smi failed); nothing to check" >&2
  exit 2
fi

mkdir -p target/benchmarks
# the raw in-JVM encoder runs are the CPU's; on the GPU run only the node is measured
mvn -B -ntp -Pbench verify -Dit.test=IngestBenchmark -Dbench.raw=false
cp target/benchmarks/ingest.md target/benchmarks/ingest-cpu.md

mvn -B -ntp -Pbench,gpu verify -Dit.test=IngestBenchmark -Dbench.raw=false -Dbench.encoder.device=cuda
cp target/benchmarks/ingest.md target/benchmarks/ingest-gpu.md

pipeline() { grep 'bulk through the semantic_embedding pipeline' "$1" | awk -F'|' '{gsub(/ /, "", $3); print $3}'; }
echo "CPU: $(head -n1 target/benchmarks/ingest-cpu.md) $(grep 'bulk through the semantic_embedding pipeline' target/benchmarks/ingest-cpu.md)"
echo "GPU: $(head -n1 target/benchmarks/ingest-gpu.md) $(grep 'bulk through the semantic_embedding pipeline' target/benchmarks/ingest-gpu.md)"
cpu="$(pipeline target/benchmarks/ingest-cpu.md)"
gpu="$(pipeline target/benchmarks/ingest-gpu.md)"
echo "pipeline docs/s, GPU over CPU: $gpu/$cpu = $(awk -v g="$gpu" -v c="$cpu" 'BEGIN { printf "%.2f", g / c }')"
if ! head -n1 target/benchmarks/ingest-gpu.md | grep -q 'device: cuda'; then
  echo "gpu-check: the GPU node did not report device cuda" >&2
  exit 1
fi
