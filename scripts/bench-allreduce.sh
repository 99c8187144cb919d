#!/usr/bin/env bash
# All-reduce: our ring (TCP and gRPC transports) and gloo (Debian's python3-torch) back to back in one run, at
# N = 2 and 4 processes and 25 and 100 MiB per rank; results in docs/bench/, then docs/benchmarks.md.
# Usage: scripts/bench-allreduce.sh [iterations=10]
set -euo pipefail
ITER=${1:-10}
source "$(dirname "$0")/lib/gloo-reference.sh"
record_run allreduce
for n in 2 4; do
  for mb in 25 100; do
    for transport in tcp grpc; do
      dotnet "$CLI" bench allreduce --workers "$n" --mb "$mb" --iterations "$ITER" --transport "$transport" \
        --out "$OUT/allreduce-$transport-N$n-${mb}MB.json" | grep -v '^\[rank [1-9]'
    done
    "$PY" tests/reference/bench_gloo_allreduce.py --workers "$n" --mb "$mb" --iterations "$ITER" --out "$OUT/gloo-N$n-${mb}MB.json"
  done
done
dotnet "$CLI" bench report
