#!/usr/bin/python3
"""Reference all-reduce benchmark: torch.distributed with the gloo backend over 127.0.0.1.

Measures exactly what `leap bench allreduce` measures: N worker processes, a float32 tensor of X MB
(X * 2**20 bytes) per rank, summed in place; one warm-up all-reduce, then I timed iterations, each after
a barrier. Rank 0 reports its own times (and its process CPU time per iteration): algbw = bytes / mean time, busbw = algbw * 2(N-1)/N (nccl-tests).

With --bytes B instead of --mb it measures what `leap bench allreduce --bytes B` measures: the latency of small
all-reduces (a float32 tensor of B bytes), 50 untimed warm-ups, then I timed ones (default 2000), each after a
barrier; rank 0 reports the median, p90, minimum and mean microseconds per call and its CPU time per iteration
(barrier included).

Run with Debian's python3-torch (apt-get install -y python3-torch):
    /usr/bin/python3 tests/reference/bench_gloo_allreduce.py --workers 2 --mb 25 --iterations 10 --out gloo.json
    /usr/bin/python3 tests/reference/bench_gloo_allreduce.py --workers 2 --bytes 4096 --out latency-gloo-N2-4096B.json
"""
import argparse
import json
import os
import socket
import statistics
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


LATENCY_WARMUPS = 50


def quantile(sorted_values, q):
    """Linear interpolation between order statistics (numpy's default), as the product's report computes it."""
    position = q * (len(sorted_values) - 1)
    below = int(position)
    above = min(below + 1, len(sorted_values) - 1)
    return sorted_values[below] + (sorted_values[above] - sorted_values[below]) * (position - below)


def write(result, out):
    if out:
        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        with open(out, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2)
            f.write("\n")


def latency(rank, workers, nbytes, iterations, out):
    tensor = torch.zeros(nbytes // 4, dtype=torch.float32)
    for _ in range(LATENCY_WARMUPS):
        dist.all_reduce(tensor)
    times = []
    cpu_before = time.process_time()
    for _ in range(iterations):
        dist.barrier()
        start = time.perf_counter()
        dist.all_reduce(tensor)
        times.append((time.perf_counter() - start) * 1e6)
    cpu = (time.process_time() - cpu_before) * 1e6 / iterations
    if rank == 0:
        times.sort()
        result = {
            "implementation": "gloo",
            "algorithm": f"gloo all_reduce over TCP (torch {torch.__version__})",
            "transport": "gloo",
            "workers": workers,
            "bytes": nbytes,
            "iterations": iterations,
            "median_us": quantile(times, 0.5),
            "p90_us": quantile(times, 0.9),
            "min_us": times[0],
            "mean_us": statistics.fmean(times),
            "cpu_us_per_iteration": cpu,
        }
        print(f"{'algorithm':<66} {'N':>2} {'bytes':>8} {'median us':>10} {'p90 us':>10} {'min us':>10} {'cpu us/it':>10}")
        print(f"{result['algorithm']:<66} {workers:>2} {nbytes:>8} {result['median_us']:>10.1f} {result['p90_us']:>10.1f} "
              f"{result['min_us']:>10.1f} {cpu:>10.1f}")
        write(result, out)


def worker(rank, workers, megabytes, nbytes, iterations, port, out):
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = str(port)
    os.environ.setdefault("GLOO_SOCKET_IFNAME", "lo")
    dist.init_process_group("gloo", rank=rank, world_size=workers)
    if nbytes:
        latency(rank, workers, nbytes, iterations, out)
        dist.destroy_process_group()
        return
    elements = megabytes * (1 << 20) // 4
    tensor = torch.ones(elements, dtype=torch.float32)

    dist.all_reduce(tensor)  # warm-up: connections, buffers
    times = []
    cpu_before = time.process_time()
    for _ in range(iterations):
        dist.barrier()
        start = time.perf_counter()
        dist.all_reduce(tensor)
        times.append(time.perf_counter() - start)
    cpu = (time.process_time() - cpu_before) / iterations

    # Sanity check: ones summed over the ranks, every all-reduce multiplies by N.
    expected = float(workers) ** (iterations + 1)
    if abs(tensor[0].item() - expected) > 1e-5 * expected or abs(tensor[-1].item() - expected) > 1e-5 * expected:
        raise RuntimeError(f"rank {rank}: got {tensor[0].item()}, expected {expected}")

    if rank == 0:
        nbytes = elements * 4
        mean = statistics.fmean(times)
        algbw = nbytes / mean / 1e9
        result = {
            "implementation": "gloo",
            "algorithm": f"gloo all_reduce over TCP (torch {torch.__version__})",
            "transport": "gloo-tcp",
            "workers": workers,
            "megabytes": megabytes,
            "bytes": nbytes,
            "iterations": iterations,
            "mean_seconds": mean,
            "min_seconds": min(times),
            "algbw_gbps": algbw,
            "busbw_gbps": algbw * 2 * (workers - 1) / workers,
            "cpu_seconds_per_iteration": cpu,
        }
        print(f"{'algorithm':<66} {'N':>2} {'MB':>5} {'mean ms':>9} {'min ms':>9} {'algbw GB/s':>11} {'busbw GB/s':>11} {'cpu ms/it':>9}")
        print(f"{result['algorithm']:<66} {workers:>2} {megabytes:>5} {mean * 1e3:>9.2f} {min(times) * 1e3:>9.2f} "
              f"{algbw:>11.3f} {result['busbw_gbps']:>11.3f} {cpu * 1e3:>9.1f}")
        write(result, out)

    dist.destroy_process_group()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, required=True)
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--mb", type=int, help="bandwidth: tensor size per rank in MiB (2**20 bytes)")
    size.add_argument("--bytes", type=int, help="latency: tensor size per rank in bytes (a multiple of 4)")
    parser.add_argument("--iterations", type=int, help="timed all-reduces (default 10; with --bytes 2000)")
    parser.add_argument("--out", help="JSON file written by rank 0")
    args = parser.parse_args()
    iterations = args.iterations if args.iterations is not None else (2000 if args.bytes else 10)
    if args.workers < 2 or iterations < 1 or (args.mb is not None and args.mb < 1) or (args.bytes is not None and (args.bytes < 4 or args.bytes % 4)):
        parser.error("need --workers >= 2, --iterations >= 1, and --mb >= 1 or --bytes a positive multiple of 4")
    mp.spawn(worker, args=(args.workers, args.mb, args.bytes, iterations, free_port(), args.out), nprocs=args.workers, join=True)


if __name__ == "__main__":
    main()
