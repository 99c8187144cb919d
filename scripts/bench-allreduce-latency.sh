#!/usr/bin/env bash
# Small-tensor all-reduce latency: our ring (TCP and gRPC transports) and gloo (Debian's python3-torch) back to back,
# at N = 2 and 4 processes and 4 B (a loss or stop flag) to 1 MiB per rank; results in docs/bench/latency-*.json,
# then docs/benchmarks.md.
# Usage: scripts/bench-allreduce-latency.sh [iterations=2000]
set -euo pipefail
ITER=${1:-2000}
source "$(dirname "$0")/lib/gloo-reference.sh"
record_run latency
for n in 2 4; do
  for bytes in 4 4096 65536 1048576; do
    for transport in tcp grpc; do
      dotnet "$CLI" bench allreduce --workers "$n" --bytes "$bytes" --iterations "$ITER" --transport "$transport" \
        --out "$OUT/latency-$transport-N$n-${bytes}B.json" | grep -v '^\[rank [1-9]'
    done
    "$PY" tests/reference/bench_gloo_allreduce.py --workers "$n" --bytes "$bytes" --iterations "$ITER" --out "$OUT/latency-gloo-N$n-${bytes}B.json"
  done
done
dotnet "$CLI" bench report
