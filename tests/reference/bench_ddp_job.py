#!/usr/bin/python3
"""PyTorch DDP (gloo) peer of `leap bench job`: the same job as `leap launch --workers N` on one box.

The quick-start job: the small CNN (as tests/reference/bench_torch_step.py builds it, = our SmallCnn) -> 64-d
BatchNorm1d embedding; or, with --backbone resnet18 --size 112 --channels 3 --dim 512 --batch 32, the ResNet-18 job
(torchvision's ResNet-18 -> 512-d BatchNorm1d, each batch resized bilinearly to 112x112 and its grey channel repeated,
as our loader does with Data:ImageHeight/ImageWidth = 112 and Data:Channels = 3); a cosine classifier W [C, D] (replicated here, as DDP does; ours is sharded by class);
CosFace s (cos - m [j = y]); cross-entropy; SGD (momentum 0.9, weight decay 5e-4); global batch B split over N
processes, T intra-op threads each (torchrun's OMP_NUM_THREADS). Images come from the IDX files (Fashion-MNIST) in
memory, scaled to [0, 1] and standardised; each rank draws its slice of a seeded global permutation per step.
Timing: per-step wall time on rank 0 after the warm-up steps (the all-reduce makes every rank wait for the slowest),
and CPU seconds per step summed over the ranks.

Run with Debian's python3-torch:
    /usr/bin/python3 tests/reference/bench_ddp_job.py --data /usr/share/datasets/fashion-mnist --workers 2 \
        --threads 1 --batch 128 --warmup 20 --steps 200 --out job-ddp.json
"""
import argparse
import gzip
import json
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_torch_step import ResNet18, small_cnn  # noqa: E402


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find(folder, stem):
    for name in (stem, stem + ".gz"):
        if os.path.exists(os.path.join(folder, name)):
            return os.path.join(folder, name)
    raise FileNotFoundError(f"{stem}[.gz] not in {folder}")


def worker(rank, a, port, results):
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = str(port)
    torch.set_num_threads(a.threads)
    dist.init_process_group("gloo", rank=rank, world_size=a.workers)
    images = torch.from_numpy(read_idx(find(a.data, "train-images-idx3-ubyte")).astype(np.float32) / 255.0)
    labels = torch.from_numpy(read_idx(find(a.data, "train-labels-idx1-ubyte")).astype(np.int64))
    images = ((images - images.mean()) / images.std()).unsqueeze(1).contiguous()
    classes = int(labels.max()) + 1
    torch.manual_seed(a.seed)
    backbone = ResNet18(a.dim, a.channels) if a.backbone == "resnet18" else small_cnn(a.channels, a.dim)
    model = nn.Sequential(backbone, nn.BatchNorm1d(a.dim))
    model.weight = nn.Parameter(torch.randn(classes, a.dim) * 0.01)
    ddp = nn.parallel.DistributedDataParallel(model)
    optimizer = torch.optim.SGD(ddp.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    local = a.batch // a.workers
    generator = torch.Generator().manual_seed(a.seed)
    order = torch.randperm(images.shape[0], generator=generator)
    ddp.train()

    def step(s, phases=None):
        mark = time.perf_counter()

        def close(name):
            nonlocal mark
            now = time.perf_counter()
            if phases is not None:
                phases.setdefault(name, []).append((now - mark) * 1e3)
            mark = now

        start = (s * a.batch + rank * local) % (images.shape[0] - local)
        rows = order[start:start + local]
        x, y = images.index_select(0, rows), labels.index_select(0, rows)
        if a.size != x.shape[-1]:
            x = F.interpolate(x, size=(a.size, a.size), mode="bilinear", align_corners=False)
        if a.channels != 1:
            x = x.expand(-1, a.channels, -1, -1).contiguous()
        close("data")
        embedding = ddp(x)
        close("forward")
        cosine = F.normalize(embedding, dim=1) @ F.normalize(ddp.module.weight, dim=1).t()
        logits = (cosine - F.one_hot(y, classes).to(cosine.dtype) * a.margin) * a.scale
        loss = F.cross_entropy(logits, y)
        loss_value = loss.item()
        close("loss")
        optimizer.zero_grad()
        loss.backward()
        close("backward + overlapped gradient all-reduce")
        optimizer.step()
        close("optimizer")
        return loss_value

    for s in range(a.warmup):
        step(s)
    dist.barrier()
    times = []
    phases = {}
    cpu_before = time.process_time()
    for s in range(a.warmup, a.warmup + a.steps):
        started = time.perf_counter()
        step(s, phases)
        times.append(time.perf_counter() - started)
    cpu = (time.process_time() - cpu_before) / a.steps
    medians = [{"phase": name, "median_ms": statistics.median(values)} for name, values in phases.items()]
    results[rank] = (statistics.fmean(times), statistics.median(times), cpu, medians)
    dist.barrier()
    dist.destroy_process_group()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True, help="folder with train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz]")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--batch", type=int, default=128, help="global batch, split over the workers")
    p.add_argument("--dim", type=int, default=64)
    p.add_argument("--backbone", choices=["smallcnn", "resnet18"], default="smallcnn")
    p.add_argument("--size", type=int, default=28, help="image side the batch is resized to (28 = as stored)")
    p.add_argument("--channels", type=int, default=1, help="1, or 3 (the grey channel repeated)")
    p.add_argument("--scale", type=float, default=24.0)
    p.add_argument("--margin", type=float, default=0.2)
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--port", type=int, default=29517)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    if a.batch % a.workers != 0:
        sys.exit(f"--batch {a.batch} must be divisible by --workers {a.workers}")

    manager = mp.Manager()
    results = manager.dict()
    wall = time.perf_counter()
    mp.spawn(worker, args=(a, a.port, results), nprocs=a.workers, join=True)
    wall = time.perf_counter() - wall
    mean, median, _, phase_medians = results[0]
    cpu = sum(results[r][2] for r in range(a.workers))
    result = {
        "implementation": "pytorch-ddp",
        "version": f"torch {torch.__version__} (python3-torch), gloo",
        "workers": a.workers,
        "threads_per_worker": a.threads,
        "batch": a.batch,
        "dimension": a.dim,
        "backbone": a.backbone,
        "image_size": a.size,
        "channels": a.channels,
        "warmup_steps": a.warmup,
        "steps": a.steps,
        "mean_seconds": mean,
        "median_seconds": median,
        "images_per_second": a.batch / median,
        "cpu_seconds_per_step": cpu,
        "wall_seconds": wall,
        "load_average_1m": os.getloadavg()[0],
        "phase_medians_ms": phase_medians,
    }
    with open(a.out, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    print(f"pytorch DDP {a.backbone} {a.size}px, {a.workers} x {a.threads} thread(s), B={a.batch}: {median * 1e3:.1f} ms/step (median), "
          f"{a.batch / median:.0f} img/s, {cpu * 1e3:.1f} CPU ms/step")


if __name__ == "__main__":
    main()
