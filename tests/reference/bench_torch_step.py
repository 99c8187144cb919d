#!/usr/bin/python3
"""Reference training-step benchmark in PyTorch for `leap bench step`.

The same model, batch, image size, loss and optimizer as our trainer's single-process step (LocalStep):
backbone (ResNet-18 as torchvision builds it, fc = embedding layer of D outputs, or the small CNN) -> BatchNorm1d(D);
cosine classifier W [C, D] initialised N(0, 0.01^2); CosFace logits s (cos - m [j = y]); cross-entropy; SGD
(momentum 0.9, weight decay 5e-4). Each step gathers a batch of B rows from an in-memory image tensor, reads the
loss value (.item(), as our step does), runs backward and the optimizer step. torchvision is not needed: the
ResNet-18 below is torchvision's resnet18 layer for layer.

Run with Debian's python3-torch:
    /usr/bin/python3 tests/reference/bench_torch_step.py --backbone resnet18 --batch 32 --classes 10000 \
        --image 112 --threads 2 --warmup 2 --steps 5 --out step-torch.json
"""
import argparse
import json
import os
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    def __init__(self, inplanes, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or inplanes != planes:
            self.downsample = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + identity)


class ResNet18(nn.Module):
    def __init__(self, outputs, channels=3):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        layers, inplanes = [], 64
        for planes, stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
            layers += [BasicBlock(inplanes, planes, stride), BasicBlock(planes, planes, 1)]
            inplanes = planes
        self.layers = nn.Sequential(*layers)
        self.fc = nn.Linear(512, outputs)

    def forward(self, x):
        x = self.maxpool(F.relu(self.bn1(self.conv1(x))))
        x = self.layers(x)
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def small_cnn(channels, outputs):
    def block(i, o):
        return [nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU()]

    return nn.Sequential(*block(channels, 32), nn.MaxPool2d(2), *block(32, 64), nn.MaxPool2d(2), *block(64, 128),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(128, outputs))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--backbone", choices=["resnet18", "smallcnn"], default="resnet18")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--classes", type=int, default=10000)
    p.add_argument("--dim", type=int, default=512)
    p.add_argument("--image", type=int, default=112)
    p.add_argument("--channels", type=int, default=3)
    p.add_argument("--dataset", type=int, default=256, help="images held in memory; batches are drawn from them")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--scale", type=float, default=64.0)
    p.add_argument("--margin", type=float, default=0.35)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", required=True)
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    backbone = ResNet18(a.dim) if a.backbone == "resnet18" else small_cnn(a.channels, a.dim)
    network = nn.Sequential(backbone, nn.BatchNorm1d(a.dim))
    weight = nn.Parameter(torch.randn(a.classes, a.dim) * 0.01)
    optimizer = torch.optim.SGD(list(network.parameters()) + [weight], lr=0.1, momentum=0.9, weight_decay=5e-4)
    images = torch.randn(a.dataset, a.channels, a.image, a.image)
    labels = torch.randint(0, a.classes, (a.dataset,))
    order = torch.randperm(a.dataset)
    network.train()

    def step(s):
        rows = order[(torch.arange(a.batch) + s * a.batch) % a.dataset]
        x, y = images.index_select(0, rows), labels.index_select(0, rows)
        cosine = F.normalize(network(x), dim=1) @ F.normalize(weight, dim=1).t()
        logits = (cosine - F.one_hot(y, a.classes).to(cosine.dtype) * a.margin) * a.scale
        loss = F.cross_entropy(logits, y)
        loss_value = loss.item()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss_value

    for s in range(a.warmup):
        step(s)
    times = []
    cpu_before = time.process_time()
    for s in range(a.warmup, a.warmup + a.steps):
        start = time.perf_counter()
        step(s)
        times.append(time.perf_counter() - start)
    cpu = (time.process_time() - cpu_before) / a.steps
    mean = statistics.fmean(times)
    result = {
        "implementation": "pytorch",
        "version": f"torch {torch.__version__} (python3-torch)",
        "backbone": a.backbone,
        "batch": a.batch,
        "classes": a.classes,
        "dimension": a.dim,
        "image": a.image,
        "threads": torch.get_num_threads(),
        "warmup_steps": a.warmup,
        "steps": a.steps,
        "mean_seconds": mean,
        "min_seconds": min(times),
        "images_per_second": a.batch / mean,
        "cpu_seconds_per_step": cpu,
        "load_average_1m": os.getloadavg()[0],
    }
    with open(a.out, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    print(f"pytorch {a.backbone} B={a.batch} C={a.classes} {a.image}px threads={torch.get_num_threads()}: "
          f"{mean * 1e3:.1f} ms/step, {a.batch / mean:.1f} img/s")


if __name__ == "__main__":
    main()
