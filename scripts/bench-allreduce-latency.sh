#!/usr/bin/env bash
# Small-tensor all-reduce latency: our ring (TCP and gRPC transports) and gloo (Debian's python3-torch) back to back,
# at N = 2 and 4 processes and 4 B (a loss or stop flag) to 1 MiB per rank; results in docs/bench/latency-*.json,
# then docs/benchmarks.md.
# Usage: scripts/bench-allreduce-latency.sh [iterations=2000]
set -euo pipefail
cd "$(dirname "$0")/.."
ITER=${1:-2000}
OUT=docs/bench
CLI=src/Leap.Cli/bin/Release/net10.0/leap.dll
PY=/usr/bin/python3
if ! "$PY" -c 'import torch.distributed as d; assert d.is_gloo_available()' 2>/dev/null; then
  echo "Installing Debian package python3-torch (the gloo reference) ..." >&2
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq python3-torch >/dev/null; else sudo apt-get install -y -qq python3-torch >/dev/null; fi
fi
./leap --help >/dev/null   # builds the CLI
mkdir -p "$OUT"
printf '{"started_utc": "%s", "load_average_1m": %s, "processor_count": %s, "note": "%s"}\n' \
  "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(cut -d' ' -f1 /proc/loadavg)" "$(nproc)" "${BENCH_NOTE:-}" > "$OUT/latency.run.json"
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
