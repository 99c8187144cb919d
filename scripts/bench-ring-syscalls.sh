#!/usr/bin/env bash
# Socket system calls per all-reduce of the ring, per transport: strace counts every receive and send call of all
# processes of one `leap bench allreduce` run (N = 2, 25 MiB, rank processes and launcher; setup included, so the
# per-all-reduce figure is a slight overestimate). Writes docs/bench/ring-syscalls-<transport>.json for `leap bench report`.
# Usage: scripts/bench-ring-syscalls.sh [iterations=10]   (installs Debian's strace if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
ITER=${1:-10}
N=2
MB=25
CLI=src/Leap.Cli/bin/Release/net10.0/leap.dll
if ! command -v strace >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq strace >/dev/null; else sudo apt-get install -y -qq strace >/dev/null; fi
fi
./leap --help >/dev/null   # builds the CLI
for transport in tcp grpc; do
  counts=$(mktemp)
  strace -f -c -e trace=recvfrom,recvmsg,read,sendto,sendmsg,write,writev -o "$counts" \
    dotnet "$CLI" bench allreduce --workers "$N" --mb "$MB" --iterations "$ITER" --transport "$transport" --out "$(mktemp)" >/dev/null
  calls() { local n; n=$(awk -v name="$1" '$NF == name { print $4 }' "$counts" | head -1); echo "${n:-0}"; }
  printf '{"transport": "%s", "workers": %d, "megabytes": %d, "all_reduces": %d, "recvfrom": %d, "read": %d, "sendto": %d, "sendmsg": %d, "write": %d, "started_utc": "%s"}\n' \
    "$transport" "$N" "$MB" "$((ITER + 1))" "$(calls recvfrom)" "$(calls read)" "$(calls sendto)" \
    "$(calls sendmsg)" "$(calls write)" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "docs/bench/ring-syscalls-$transport.json"
  cat "docs/bench/ring-syscalls-$transport.json"
  rm -f "$counts"
done
