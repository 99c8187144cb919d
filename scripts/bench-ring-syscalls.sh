#!/usr/bin/env bash
# Socket system calls per all-reduce of the ring, per transport: strace counts every receive and send call of all
# processes of one `leap bench allreduce` run (N = 2, 25 MiB, rank processes and launcher; setup included, so the
# per-all-reduce figure is a slight overestimate; read/write include the processes' file and pipe I/O, recvmsg and
# writev are counted with them; failed calls (EAGAIN) are not counted). Writes docs/bench/ring-syscalls-<transport>.json for `leap bench report`.
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
    dotnet "$CLI" bench allreduce --workers "$N" --mb "$MB" --iterations "$ITER" --transport "$transport" --out "$counts.json" >/dev/null
  # Successful calls only: strace -c's errors column (5th of 6 when present) holds the EAGAIN retries of non-blocking sockets.
  grep -q ' total$' "$counts" || { echo "strace wrote no summary for $transport" >&2; exit 1; }
  calls() { awk -v name="$1" '$NF == name { n = $4 - (NF == 6 ? $5 : 0) } END { print n + 0 }' "$counts"; }
  printf '{"transport": "%s", "workers": %d, "megabytes": %d, "all_reduces": %d, "recvfrom": %d, "read": %d, "sendto": %d, "sendmsg": %d, "write": %d, "started_utc": "%s"}\n' \
    "$transport" "$N" "$MB" "$((ITER + 1))" "$(calls recvfrom)" "$(( $(calls read) + $(calls recvmsg) ))" "$(calls sendto)" \
    "$(calls sendmsg)" "$(( $(calls write) + $(calls writev) ))" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "docs/bench/ring-syscalls-$transport.json"
  cat "docs/bench/ring-syscalls-$transport.json"
  rm -f "$counts" "$counts.json"
done
