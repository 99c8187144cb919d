# Sourced by the all-reduce benchmark scripts: the repository root as working directory, the CLI built, Debian's
# python3-torch (the gloo reference) installed, and record_run NAME writing docs/bench/NAME.run.json (start time,
# load, cores, $BENCH_NOTE) for the report.
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
OUT=docs/bench
CLI=src/Leap.Cli/bin/Release/net10.0/leap.dll
PY=/usr/bin/python3
if ! "$PY" -c 'import torch.distributed as d; assert d.is_gloo_available()' 2>/dev/null; then
  echo "Installing Debian package python3-torch (the gloo reference) ..." >&2
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq python3-torch >/dev/null; else sudo apt-get install -y -qq python3-torch >/dev/null; fi
fi
./leap --help >/dev/null   # builds the CLI
mkdir -p "$OUT"

record_run() {
  printf '{"started_utc": "%s", "load_average_1m": %s, "processor_count": %s, "note": "%s"}\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(cut -d' ' -f1 /proc/loadavg)" "$(nproc)" "${BENCH_NOTE:-}" > "$OUT/$1.run.json"
}
