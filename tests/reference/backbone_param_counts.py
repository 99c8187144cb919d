#!/usr/bin/python3
"""Independent parameter counts of the face backbones (IResNet-18/34/50, MobileFaceNet) in PyTorch.

Run (from the repository root) with:

    /usr/bin/python3 tests/reference/backbone_param_counts.py

(Debian's python3-torch, CPU) and copy the printed counts into tests/Leap.Training.Tests/FaceBackboneTests.cs.

Written from the published architectures, not ported from the C# code:
  * IResNet (Deng et al., ArcFace, CVPR 2019; insightface arcface_torch backbones/iresnet.py): conv3x3(3->64) + BN +
    PReLU; four stages of "improved" basic blocks BN-conv3x3-BN-PReLU-conv3x3(stride)-BN (+ 1x1 conv + BN shortcut
    when the shape changes), widths 64/128/256/512, first block of each stage stride 2; head BN2d - dropout - flatten -
    FC(512 * h * w -> D) - BN1d(D), with h x w the final map (7 x 7 at 112 x 112).
  * MobileFaceNet (Chen et al., CCBR 2018, Table 1): conv3x3 s2 64, depthwise conv3x3 64, bottlenecks
    (t, c, n, s) = (2, 64, 5, 2), (4, 128, 1, 2), (2, 128, 6, 1), (4, 128, 1, 2), (2, 128, 2, 1), conv1x1 512,
    linear global depthwise conv (kernel = final map), linear 512 -> D (no bias), BN1d(D). Every non-linear conv is
    conv + BN + PReLU; a bottleneck is expand 1x1 - depthwise 3x3 (stride) - linear project 1x1 (+ identity when the
    stride is 1 and the width stays).
Each network is also run once on a zero batch to check that the head's input size matches the final map.
"""
import math

import torch
from torch import nn


def conv_bn(cin, cout, kernel, stride=1, padding=0, groups=1, prelu=True):
    layers = [nn.Conv2d(cin, cout, kernel, stride, padding, groups=groups, bias=False), nn.BatchNorm2d(cout)]
    if prelu:
        layers.append(nn.PReLU(cout))
    return nn.Sequential(*layers)


class ImprovedBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.body = nn.Sequential(
            nn.BatchNorm2d(cin), nn.Conv2d(cin, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout), nn.PReLU(cout),
            nn.Conv2d(cout, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout))
        self.shortcut = conv_bn(cin, cout, 1, stride, prelu=False) if stride != 1 or cin != cout else nn.Identity()

    def forward(self, x):
        return self.body(x) + self.shortcut(x)


def iresnet(layers, dimension, height, width):
    modules = [conv_bn(3, 64, 3, 1, 1)]
    cin = 64
    for count, cout in zip(layers, (64, 128, 256, 512)):
        for i in range(count):
            modules.append(ImprovedBlock(cin, cout, 2 if i == 0 else 1))
            cin = cout
    final = (math.ceil(height / 16), math.ceil(width / 16))
    modules += [nn.BatchNorm2d(512), nn.Dropout(0.0), nn.Flatten(),
                nn.Linear(512 * final[0] * final[1], dimension), nn.BatchNorm1d(dimension)]
    return nn.Sequential(*modules)


class Bottleneck(nn.Module):
    def __init__(self, cin, cout, expansion, stride):
        super().__init__()
        hidden = cin * expansion
        self.residual = stride == 1 and cin == cout
        self.body = nn.Sequential(
            conv_bn(cin, hidden, 1),
            conv_bn(hidden, hidden, 3, stride, 1, groups=hidden),
            conv_bn(hidden, cout, 1, prelu=False))

    def forward(self, x):
        y = self.body(x)
        return x + y if self.residual else y


def mobilefacenet(dimension, height, width):
    modules = [conv_bn(3, 64, 3, 2, 1), conv_bn(64, 64, 3, 1, 1, groups=64)]
    cin = 64
    for t, c, n, s in ((2, 64, 5, 2), (4, 128, 1, 2), (2, 128, 6, 1), (4, 128, 1, 2), (2, 128, 2, 1)):
        for i in range(n):
            modules.append(Bottleneck(cin, c, t, s if i == 0 else 1))
            cin = c
    final = (math.ceil(height / 16), math.ceil(width / 16))
    modules += [conv_bn(128, 512, 1), conv_bn(512, 512, final, groups=512, prelu=False), nn.Flatten(),
                nn.Linear(512, dimension, bias=False), nn.BatchNorm1d(dimension)]
    return nn.Sequential(*modules)


BUILDERS = {
    "IResNet18": lambda d, h, w: iresnet((2, 2, 2, 2), d, h, w),
    "IResNet34": lambda d, h, w: iresnet((3, 4, 6, 3), d, h, w),
    "IResNet50": lambda d, h, w: iresnet((3, 4, 14, 3), d, h, w),
    "MobileFaceNet": mobilefacenet,
}


def main():
    torch.set_grad_enabled(False)
    for name, build in BUILDERS.items():
        for dimension, height, width in ((512, 112, 112), (512, 128, 64), (128, 112, 112)):
            network = build(dimension, height, width).eval()
            out = network(torch.zeros(1, 3, height, width))
            assert tuple(out.shape) == (1, dimension), out.shape
            count = sum(p.numel() for p in network.parameters())
            print(f"{name:14s} D={dimension:4d} {height}x{width}: {count} parameters")


if __name__ == "__main__":
    main()
