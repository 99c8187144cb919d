#!/usr/bin/python3
"""Independent reference values for the Leap.Core margin transforms (CosFace / ArcFace, with and without LEAP's alpha).

Regenerate (from the repository root) with:

    /usr/bin/python3 tests/reference/generate_margin_reference.py

(Debian's python3-torch, CPU; not a pyenv python3) which rewrites
tests/Leap.Core.Tests/Reference/margin_reference.json (commit the result). Inputs are drawn from fixed seeds and stored
in the JSON, so the C# tests never depend on this script's random stream.

This is written from the paper's equations (CVPR 2020 LEAP, Eq. 1, 2, 7, 8), not ported from the C# code. Everything
is float64. For each case:

    cos    = F.normalize(x) @ F.normalize(W).T           (F.normalize: v / max(||v||, 1e-12))
    theta  = acos(cos)                                   (no clamping: no input is within 1e-6 of cos = +-1)
    CosFace, no alpha:   logit_j = s (cos_j - m [j = y])
    CosFace, alpha:      logit_j = s (cos(clip(theta_j + alpha_j, 0, pi)) - m [j = y])
    ArcFace, no alpha:   logit_y = s cos(clip(theta_y + m, 0, pi)),            logit_j = s cos_j (j != y)
    ArcFace, alpha:      logit_y = s cos(clip(theta_y + alpha_y + m, 0, pi)),  logit_j = s cos(clip(theta_j + alpha_j, 0, pi))
    label y = -1: the row has no target column (no margin anywhere in the row).
    alpha is [B, C] (one draw per column) or [B, 1] (one draw per sample, broadcast over columns); head rows are 0.
    loss   = mean over rows of cross_entropy(logits, ce_target); ce_target = label, except for label -1 rows, where
             it is an arbitrary column (stored) so that gradients flow through every row's logits.

The ArcFace gradient is autograd's true gradient of the formula above (no straight-through estimator).
Recorded per case: loss, logits [B, C], grad_x = d loss / d x [B, D], grad_w = d loss / d W [C, D].

Cross-entropy gradients vanish on rows the softmax already classifies with a wide margin (e.g. the almost-aligned
edge rows, where d logit / d cos ~ 1 / sin(theta) is largest), so each case also records the gradients of a probe
loss, sum(logits * probe) with a fixed N(0, 1) probe [B, C] stored with the inputs: grad_x_probe, grad_w_probe. That
checks the vector-Jacobian product of every logit with O(1) weights.
"""

import json
import math
import os

import torch
import torch.nn.functional as F

OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Leap.Core.Tests", "Reference", "margin_reference.json")
DTYPE = torch.float64

CONFIGS = [
    ("CosFace", 24.0, 0.2),
    ("CosFace", 64.0, 0.35),
    ("ArcFace", 16.0, 0.2),
    ("ArcFace", 64.0, 0.5),
]


def unit(v):
    return v / v.norm()


def orthogonal_unit(direction, generator):
    """A unit vector orthogonal to `direction` (Gram-Schmidt on a random draw)."""
    d = unit(direction)
    r = torch.randn(d.shape, generator=generator, dtype=DTYPE)
    r = r - (r @ d) * d
    return unit(r)


def at_angle(w_row, angle, norm, generator):
    """A feature of length `norm` at exactly `angle` radians from w_row (up to rounding)."""
    d = unit(w_row)
    u = orthogonal_unit(d, generator)
    return norm * (math.cos(angle) * d + math.sin(angle) * u)


def cosine_matrix(x, w):
    return F.normalize(x, p=2.0, dim=1, eps=1e-12) @ F.normalize(w, p=2.0, dim=1, eps=1e-12).t()


def margin_logits(kind, s, m, cos, labels, alpha):
    batch, classes = cos.shape
    one_hot = torch.zeros(batch, classes, dtype=DTYPE)
    for i, y in enumerate(labels.tolist()):
        if y >= 0:
            one_hot[i, y] = 1.0
    if kind == "CosFace":
        if alpha is None:
            return s * (cos - m * one_hot)
        theta = torch.acos(cos)
        return s * (torch.cos(torch.clamp(theta + alpha, 0.0, math.pi)) - m * one_hot)
    if kind == "ArcFace":
        theta = torch.acos(cos)
        if alpha is None:
            target = torch.cos(torch.clamp(theta + m, 0.0, math.pi))
            return s * torch.where(one_hot > 0, target, cos)
        return s * torch.cos(torch.clamp(theta + alpha + m * one_hot, 0.0, math.pi))
    raise ValueError(kind)


def clip_counts(kind, m, cos, labels, alpha):
    """How many angles the clip to [0, pi] actually moved (documentation and a sanity check of the edge cases)."""
    theta = torch.acos(cos)
    shift = torch.zeros_like(cos) if alpha is None else alpha.expand_as(cos).clone()
    if kind == "ArcFace":
        for i, y in enumerate(labels.tolist()):
            if y >= 0:
                shift[i, y] += m
    elif alpha is None:
        return 0, 0
    angle = theta + shift
    return int((angle < 0).sum()), int((angle > math.pi).sum())


def to_list(t):
    return [float(v) for v in t.reshape(-1).tolist()] if t.dim() == 1 else [to_list(r) for r in t]


def make_inputs(name, seed, batch, dim, classes, head_rows, minus_one_rows, edge):
    g = torch.Generator().manual_seed(seed)
    w = torch.randn(classes, dim, generator=g, dtype=DTYPE) * (0.5 + torch.rand(classes, 1, generator=g, dtype=DTYPE))
    x = torch.randn(batch, dim, generator=g, dtype=DTYPE) * (0.5 + torch.rand(batch, 1, generator=g, dtype=DTYPE))
    labels = torch.randint(0, classes, (batch,), generator=g)
    if edge:
        # row 0: almost aligned with its class weight (theta_y = 1e-3)
        # row 1: almost anti-aligned (theta_y = pi - 1e-3)
        # row 2: theta_y = 2.9, so theta_y + m > pi for m = 0.35 / 0.5 (row 1 exceeds pi for every m > 1e-3)
        # row 3: almost aligned with a NON-target column (theta = 1e-3 there, with alpha pushing it below 0)
        x[0] = at_angle(w[labels[0]], 1e-3, 1.7, g)
        x[1] = at_angle(w[labels[1]], math.pi - 1e-3, 0.9, g)
        x[2] = at_angle(w[labels[2]], 2.9, 1.3, g)
        other = (int(labels[3]) + 1) % classes
        x[3] = at_angle(w[other], 1e-3, 2.1, g)
    ce_target = labels.clone()
    for r in minus_one_rows:
        ce_target[r] = (int(labels[r]) + 2) % classes
        labels[r] = -1
    cos = cosine_matrix(x, w)
    theta = torch.acos(cos)
    tail = torch.ones(batch, 1, dtype=DTYPE)
    for r in head_rows:
        tail[r] = 0.0

    # per-column alpha: N(0, 0.1^2) on tail rows, zeros on head rows, plus draws large enough to hit both clips
    column = 0.1 * torch.randn(batch, classes, generator=g, dtype=DTYPE) * tail
    tail_rows = [r for r in range(batch) if r not in head_rows]
    r_low, r_high = tail_rows[-1], tail_rows[-2]
    column[r_low, 1] = -(float(theta[r_low, 1]) + 0.2)  # clip at 0
    column[r_high, 2] = (math.pi - float(theta[r_high, 2])) + 0.2  # clip at pi
    if edge:
        column[0, int(labels[0])] = -0.25  # aligned target below 0 (CosFace, ArcFace m = 0.2)
        column[1, int(labels[1])] = 0.05  # anti-aligned target above pi
        column[3, (int(labels[3]) + 1) % classes] = -0.02  # aligned non-target column below 0

    # per-sample alpha [B, 1]: N(0, 0.1^2) on tail rows, one row shifted far enough that some columns clip each way
    sample = 0.1 * torch.randn(batch, 1, generator=g, dtype=DTYPE) * tail
    sample[r_low, 0] = -1.3
    sample[r_high, 0] = 1.3
    if edge:
        sample[0, 0] = -0.05
        sample[1, 0] = 0.05

    for r in head_rows:
        assert float(column[r].abs().sum()) == 0.0 and float(sample[r, 0]) == 0.0

    probe = torch.randn(batch, classes, generator=g, dtype=DTYPE)

    return {
        "name": name,
        "batch": batch,
        "dim": dim,
        "classes": classes,
        "x": to_list(x),
        "w": to_list(w),
        "labels": [int(v) for v in labels.tolist()],
        "ce_target": [int(v) for v in ce_target.tolist()],
        "head_rows": list(head_rows),
        "alpha_column": to_list(column),
        "alpha_sample": to_list(sample),
        "probe": to_list(probe),
        "theta": to_list(theta),
    }


def forward(inputs, kind, s, m, alpha_mode):
    x = torch.tensor(inputs["x"], dtype=DTYPE, requires_grad=True)
    w = torch.tensor(inputs["w"], dtype=DTYPE, requires_grad=True)
    labels = torch.tensor(inputs["labels"], dtype=torch.int64)
    alpha = None if alpha_mode == "none" else torch.tensor(inputs["alpha_" + alpha_mode], dtype=DTYPE)
    cos = cosine_matrix(x, w)
    return x, w, labels, alpha, cos, margin_logits(kind, s, m, cos, labels, alpha)


def run_case(inputs, kind, s, m, alpha_mode):
    x, w, labels, alpha, cos, logits = forward(inputs, kind, s, m, alpha_mode)
    loss = F.cross_entropy(logits, torch.tensor(inputs["ce_target"], dtype=torch.int64), reduction="mean")
    loss.backward()
    px, pw, _, _, _, probe_logits = forward(inputs, kind, s, m, alpha_mode)
    (probe_logits * torch.tensor(inputs["probe"], dtype=DTYPE)).sum().backward()
    for t in (loss, logits, x.grad, w.grad, px.grad, pw.grad):
        assert torch.isfinite(t).all(), (inputs["name"], kind, s, m, alpha_mode)
    low, high = clip_counts(kind, m, cos.detach(), labels, alpha)
    return {
        "name": f"{inputs['name']}/{kind}/s{s:g}/m{m:g}/alpha-{alpha_mode}",
        "inputs": inputs["name"],
        "kind": kind,
        "scale": s,
        "margin": m,
        "alpha": alpha_mode,
        "clipped_low": low,
        "clipped_high": high,
        "loss": float(loss),
        "logits": to_list(logits.detach()),
        "grad_x": to_list(x.grad),
        "grad_w": to_list(w.grad),
        "grad_x_probe": to_list(px.grad),
        "grad_w_probe": to_list(pw.grad),
    }


def main():
    input_sets = [
        make_inputs("basic", seed=20200614, batch=6, dim=8, classes=5, head_rows=[0, 1], minus_one_rows=[], edge=False),
        make_inputs("edge", seed=7, batch=6, dim=8, classes=5, head_rows=[4], minus_one_rows=[5], edge=True),
        make_inputs("large", seed=1234, batch=16, dim=32, classes=40, head_rows=[0, 1, 2, 3, 4, 5], minus_one_rows=[9],
                    edge=False),
    ]
    cases = []
    for inputs in input_sets:
        modes = ["none", "column", "sample"] if inputs["name"] != "large" else ["none", "column"]
        for kind, s, m in CONFIGS:
            for mode in modes:
                cases.append(run_case(inputs, kind, s, m, mode))

    # The edge cases really are edge cases.
    edge = next(i for i in input_sets if i["name"] == "edge")
    theta = torch.tensor(edge["theta"], dtype=DTYPE)
    ys = edge["labels"]
    assert abs(float(theta[0, ys[0]]) - 1e-3) < 1e-9
    assert abs(float(theta[1, ys[1]]) - (math.pi - 1e-3)) < 1e-9
    assert float(theta[2, ys[2]]) + 0.35 > math.pi
    assert all(c["clipped_low"] > 0 and c["clipped_high"] > 0 for c in cases if c["alpha"] != "none")
    assert any(c["clipped_high"] > 0 for c in cases if c["alpha"] == "none" and c["kind"] == "ArcFace")

    document = {
        "generator": "tests/reference/generate_margin_reference.py",
        "regenerate": "/usr/bin/python3 tests/reference/generate_margin_reference.py",
        "torch": torch.__version__,
        "inputs": input_sets,
        "cases": cases,
    }
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=None, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {os.path.normpath(OUTPUT)}")


if __name__ == "__main__":
    main()
