#!/usr/bin/python3
"""Reference input-pipeline benchmark in PyTorch for `leap bench data`.

The usual PyTorch recipe for face / re-ID training input: a Dataset that opens each JPEG with PIL, torchvision
transforms Resize((H, W)) -> RandomHorizontalFlip -> Pad(p) -> RandomCrop((H, W)) -> ToTensor -> Normalize(mean, std),
and a DataLoader with W worker processes, batch B, a seeded random sampler (without replacement, epoch after epoch)
and the default collate into [B, 3, H, W] float tensors. The first --warmup batches (worker start-up included) are not
timed; images/s is measured over the next --batches batches. CPU time counts the main process and every worker.

The images are the ones our loader trains on: --list names them (one "path<TAB>label" a line, written by
`leap bench data`), or --root lists an identity-folder tree (root/identity/image.jpg).

Then, in the main process, one image at a time on one thread (fastest of three passes): the time to open and decode
(PIL open + convert("RGB")) and the time of decode + the whole per-sample transform, to say where a worker's time goes.

Run with Debian's python3-torch (torchvision and PIL included):
    /usr/bin/python3 tests/reference/bench_torch_dataloader.py --root ../shared/data/lfw --height 112 --width 112 \
        --mean 0.5 0.5 0.5 --std 0.5 0.5 0.5 --pad-crop 4 --batch 64 --workers 2 --warmup 5 --batches 100 --out torch.json
"""
import argparse
import json
import os
import time

import torch
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset, RandomSampler
from torchvision import transforms

TICKS = os.sysconf("SC_CLK_TCK")


class ImageList(Dataset):
    def __init__(self, items, transform):
        self.items = items
        self.transform = transform

    def __len__(self):
        return len(self.items)

    def __getitem__(self, index):
        path, label = self.items[index]
        return self.transform(decode(path)), label


def decode(path):
    with Image.open(path) as image:
        return image.convert("RGB")


def read_items(a):
    if a.list:
        with open(a.list, encoding="utf-8") as f:
            return [(path, int(label)) for path, label in (line.rstrip("\n").split("\t") for line in f if line.strip())]
    items, label = [], 0
    for name in sorted(os.listdir(a.root)):
        folder = os.path.join(a.root, name)
        if not os.path.isdir(folder):
            continue
        files = sorted(f for f in os.listdir(folder) if f.lower().endswith((".jpg", ".jpeg", ".png")))
        if files:
            items += [(os.path.join(folder, f), label) for f in files]
            label += 1
    return items


def cpu_seconds(pids):
    """User + system CPU seconds of this process and of the given live processes (the loader's workers)."""
    total = time.process_time()
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


def main():
    p = argparse.ArgumentParser()
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--list", help="file of 'path<TAB>label' lines")
    source.add_argument("--root", help="identity-folder tree")
    p.add_argument("--dataset", default="")
    p.add_argument("--height", type=int, required=True)
    p.add_argument("--width", type=int, required=True)
    p.add_argument("--mean", type=float, nargs=3, default=[0.5, 0.5, 0.5])
    p.add_argument("--std", type=float, nargs=3, default=[0.5, 0.5, 0.5])
    p.add_argument("--pad-crop", type=int, default=4)
    p.add_argument("--no-flip", action="store_true")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--prefetch", type=int, default=2, help="DataLoader prefetch_factor (batches per worker)")
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--batches", type=int, default=60)
    p.add_argument("--profile-images", type=int, default=200)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", required=True)
    p.add_argument("--quiet", action="store_true", help="no summary line on stdout (the caller prints its own)")
    a = p.parse_args()

    size = (a.height, a.width)
    steps = [transforms.Resize(size)]
    if not a.no_flip:
        steps.append(transforms.RandomHorizontalFlip())
    if a.pad_crop > 0:
        steps += [transforms.Pad(a.pad_crop), transforms.RandomCrop(size)]
    steps += [transforms.ToTensor(), transforms.Normalize(a.mean, a.std)]
    transform = transforms.Compose(steps)
    items = read_items(a)
    dataset = ImageList(items, transform)
    total = a.warmup + a.batches
    sampler = RandomSampler(dataset, num_samples=total * a.batch, generator=torch.Generator().manual_seed(a.seed))
    loader = DataLoader(dataset, batch_size=a.batch, sampler=sampler, num_workers=a.workers, drop_last=True,
                        prefetch_factor=a.prefetch if a.workers > 0 else 2)

    batches = iter(loader)
    shape = None
    for _ in range(a.warmup):
        images, _ = next(batches)
        shape = list(images.shape)
    workers = [w.pid for w in getattr(batches, "_workers", [])]
    cpu_before = cpu_seconds(workers)
    start = time.perf_counter()
    for _ in range(a.batches):
        images, _ = next(batches)
        shape = list(images.shape)
    seconds = time.perf_counter() - start
    cpu = cpu_seconds(workers) - cpu_before
    del batches

    # Where a worker's time goes, one image at a time on one thread (the fastest of three passes after an untimed one):
    # decode alone, then decode + the whole transform.
    profiled = items[: a.profile_images]
    torch.set_num_threads(1)

    def per_image(work):
        for path, _ in profiled:
            work(path)
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            for path, _ in profiled:
                work(path)
            best = min(best, (time.perf_counter() - start) / max(1, len(profiled)))
        return best

    decode_seconds = per_image(decode)
    sample_seconds = per_image(lambda path: transform(decode(path)))

    timed_images = a.batches * a.batch
    result = {
        "implementation": "pytorch",
        "version": f"torch {torch.__version__}, torchvision {torchvision.__version__}, PIL {Image.__version__} (Debian python3)",
        "dataset": a.dataset,
        "images": len(items),
        "batch": a.batch,
        "workers": a.workers,
        "prefetch": a.prefetch,
        "warmup_batches": a.warmup,
        "batches": a.batches,
        "shape": shape,
        "pad_crop": a.pad_crop,
        "seconds": seconds,
        "images_per_second": timed_images / seconds,
        "cpu_seconds_per_image": cpu / timed_images,
        "codec_seconds_per_image": decode_seconds,
        "decode_seconds_per_image": decode_seconds,
        "sample_seconds_per_image": sample_seconds,
        "load_average_1m": os.getloadavg()[0],
    }
    with open(a.out, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    if not a.quiet:
        print(f"pytorch  {a.dataset} B={a.batch} workers={a.workers} {shape}: {timed_images / seconds:.0f} img/s, "
              f"cpu {cpu / timed_images * 1e3:.2f} ms/img (one image: decode {decode_seconds * 1e3:.2f} ms, "
              f"decode + transform {sample_seconds * 1e3:.2f} ms)")


if __name__ == "__main__":
    main()
