#!/usr/bin/env bash
# Performance benchmarks of issue #7, back to back in one run, then docs/benchmarks.md:
#   1. training-step throughput, ours vs PyTorch (tests/reference/bench_torch_step.py): ResNet-18 and SmallCnn, 112x112
#   2. LEAP overhead: LEAP-CF / LEAP-AF vs CosFace / ArcFace, same model and batch, interleaved rounds
#   3. model-parallel classifier: C = 25K, 100K, 1M (D = 512) on N = 1, 2, 4 processes, full and partial FC (r = 0.1)
#   4. distributed job: leap launch --workers 2 of the quick-start job vs leap train vs PyTorch DDP, 3 interleaved repeats
# Sized for a shared 2-core box (about 35 min under load); every figure lands in docs/bench/*.json.
# Usage: scripts/bench-perf.sh [--quick]   (--quick: fewer steps, classifier up to 100K, for a smoke run)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=docs/bench
CLI=src/Leap.Cli/bin/Release/net10.0/leap.dll
THREADS=$(nproc)
QUICK=${1:-}
./leap --help >/dev/null   # builds the CLI
mkdir -p "$OUT"
if [ ! -x /usr/bin/python3 ] || ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "note: /usr/bin/python3 with torch (Debian python3-torch) is missing; leap bench step records that the PyTorch reference did not run." >&2
fi
step() { dotnet "$CLI" bench step --threads "$THREADS" "$@"; }

if [ "$QUICK" = --quick ]; then
  step --backbone SmallCnn --batch 16 --image 32 --classes 1000 --warmup 1 --steps 2
  dotnet "$CLI" bench leap-overhead --backbone SmallCnn --batch 16 --image 32 --classes 1000 --warmup 1 --steps 1 --rounds 2 --threads "$THREADS"
  CLASSES="25000 100000"
  JOB="--steps 30 --repeats 1"
else
  step --backbone ResNet18 --batch 16 --image 112 --classes 10000 --warmup 1 --steps 3
  step --backbone SmallCnn --batch 32 --image 112 --classes 10000 --warmup 1 --steps 3
  dotnet "$CLI" bench leap-overhead --backbone SmallCnn --batch 32 --image 112 --classes 10000 --warmup 1 --steps 2 --rounds 2 --threads "$THREADS"
  CLASSES="25000 100000 1000000"
  JOB="--steps 300 --repeats 3"
fi
for c in $CLASSES; do
  steps=3; [ "$c" -ge 1000000 ] && steps=2
  for n in 1 2 4; do
    for r in 1 0.1; do
      dotnet "$CLI" bench classifier --classes "$c" --workers "$n" --sample-rate "$r" --batch 64 --warmup 1 --steps "$steps" | grep -v '^\[rank [1-9]'
    done
  done
done
# shellcheck disable=SC2086
dotnet "$CLI" bench job --workers 2 $JOB
dotnet "$CLI" bench report
