#!/usr/bin/env bash
# All-reduce: our ring (TCP and gRPC transports) and gloo (Debian's python3-torch) back to back in one run, at
# N = 2 and 4 processes and 25 and 100 MiB per rank; results in docs/bench/, then docs/benchmarks.md.
# Usage: scripts/bench-allreduce.sh [iterations=10]
set -euo pipefail
cd "$(dirname "$0")/.."
ITER=${1:-10}
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
  "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(cut -d' ' -f1 /proc/loadavg)" "$(nproc)" "${BENCH_NOTE:-}" > "$OUT/allreduce.run.json"
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
