#!/usr/bin/python3
"""Independent reference values for the Leap.Evaluation metrics.

Regenerate (from the repository root) with:

    /usr/bin/python3 tests/reference/generate_metric_reference.py

which rewrites tests/Leap.Data.Tests/Reference/metric_reference.json (commit the result). Needs only numpy.
The output is deterministic for a given numpy version (fixed seeds, numpy.random.default_rng / PCG64).

The C# code sorts and sweeps; this script brute-forces every candidate with numpy broadcasting, so the two share
definitions but no algorithm. The definitions (documented on the C# side too):

* Pairs are "same" iff score > threshold (strict).
* k-fold accuracy: the pairs, in order, are split into k contiguous folds, the first n % k one larger
  (numpy.array_split, as scikit-learn's KFold without shuffling). For each fold the threshold is chosen on the other
  folds among the candidates u0 - 1, (u_i + u_i+1) / 2, u_max + 1 over the distinct training scores u, taking the
  smallest candidate of maximal training accuracy; the held-out accuracy uses that threshold. The std over folds is
  the population std (ddof = 0, as InsightFace's verification code reports).
* TPR@FPR: with N negatives, m = floor(FPR * N + 1e-9) false positives are allowed; m = 0 means "not available"
  (null). The threshold is the smallest negative score t with #(negatives > t) <= m; TPR = mean(positives > t).
* AUC: Mann-Whitney statistic, a tied positive/negative pair counting one half.
* Angular spread: per class, the mean over samples of arccos(x . c / |c|) with x the L2-normalised embedding and c
  the mean of the class's normalised embeddings; per group (head / tail), the mean over classes and the 95%
  half-width 1.96 * std(ddof = 1) / sqrt(number of classes).
"""

import json
import math
import os

import numpy as np

OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Leap.Data.Tests", "Reference", "metric_reference.json")
TARGET_FPRS = [1e-2, 1e-3, 1e-4, 1e-5]


def kfold_accuracy(scores, same, folds):
    indices = np.arange(len(scores))
    accuracies, thresholds = [], []
    for test in np.array_split(indices, folds):
        train = np.setdiff1d(indices, test)
        s, y = scores[train], same[train]
        u = np.unique(s)
        candidates = np.concatenate([[u[0] - 1.0], (u[:-1] + u[1:]) / 2.0, [u[-1] + 1.0]])
        correct = ((s[None, :] > candidates[:, None]) == y[None, :]).sum(axis=1)
        threshold = float(candidates[int(np.argmax(correct))])
        thresholds.append(threshold)
        accuracies.append(float(np.mean((scores[test] > threshold) == same[test])))
    return {
        "fold_accuracies": accuracies,
        "fold_thresholds": thresholds,
        "mean": float(np.mean(accuracies)),
        "std": float(np.std(accuracies)),
        "mean_threshold": float(np.mean(thresholds)),
    }


def tpr_at_fpr(scores, same, target):
    pos, neg = scores[same], scores[~same]
    allowed = math.floor(target * len(neg) + 1e-9)
    if allowed < 1:
        return {"target": target, "tpr": None, "threshold": None, "achieved_fpr": None}
    candidates = np.unique(neg)
    false_positives = (neg[None, :] > candidates[:, None]).sum(axis=1)
    threshold = float(candidates[false_positives <= allowed].min())
    return {
        "target": target,
        "tpr": float(np.mean(pos > threshold)),
        "threshold": threshold,
        "achieved_fpr": float(np.mean(neg > threshold)),
    }


def auc(scores, same):
    pos, neg = scores[same], scores[~same]
    wins = 0.0
    for chunk in np.array_split(pos, max(1, len(pos) // 200)):
        wins += float((chunk[:, None] > neg[None, :]).sum()) + 0.5 * float((chunk[:, None] == neg[None, :]).sum())
    return wins / (len(pos) * len(neg))


def verification_case(name, rng, positives, negatives, decimals, folds):
    same = np.array([True] * positives + [False] * negatives)
    rng.shuffle(same)
    raw = np.where(same, rng.normal(0.45, 0.2, len(same)), rng.normal(0.05, 0.2, len(same)))
    scores = np.round(np.clip(raw, -1.0, 1.0), decimals)  # rounding makes many deliberate ties
    return {
        "name": name,
        "folds": folds,
        "scores": [float(v) for v in scores],
        "is_same": [bool(v) for v in same],
        "distinct_scores": int(len(np.unique(scores))),
        "kfold": kfold_accuracy(scores, same, folds),
        "tpr_at_fpr": [tpr_at_fpr(scores, same, t) for t in TARGET_FPRS],
        "auc": auc(scores, same),
    }


def cosine_case(rng):
    n, d = 40, 8
    emb = rng.normal(size=(n, d)).astype(np.float32)
    pairs = []
    while len(pairs) < 60:
        i, j = (int(v) for v in rng.integers(0, n, 2))
        if i != j:
            pairs.append([i, j])
    x = emb.astype(np.float64)
    scores = [float(x[i] @ x[j] / (np.linalg.norm(x[i]) * np.linalg.norm(x[j]))) for i, j in pairs]
    return {"dimension": d, "embeddings": [float(v) for v in emb.ravel()], "pairs": pairs, "scores": scores}


def angular_case(rng):
    d, classes = 16, 14
    head = list(range(6))
    embeddings, labels = [], []
    for c in range(classes):
        size = int(rng.integers(12, 30)) if c in head else int(rng.integers(2, 8))
        spread = 0.35 if c in head else 0.2
        centre = rng.normal(size=d)
        centre /= np.linalg.norm(centre)
        for _ in range(size):
            embeddings.append(centre + spread * rng.normal(size=d) * rng.uniform(0.5, 3.0))
            labels.append(c)
    order = rng.permutation(len(labels))
    emb = np.array(embeddings, dtype=np.float32)[order]
    labels = [int(v) for v in np.array(labels)[order]]

    x = emb.astype(np.float64)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    per_class = []
    for c in sorted(set(labels)):
        members = x[np.array(labels) == c]
        centre = members.mean(axis=0)
        cosines = np.clip(members @ centre / np.linalg.norm(centre), -1.0, 1.0)
        per_class.append({"class_id": c, "is_head": c in head, "count": len(members), "mean_angle": float(np.mean(np.arccos(cosines)))})

    def group(is_head):
        angles = np.array([p["mean_angle"] for p in per_class if p["is_head"] == is_head])
        return {"count": len(angles), "mean": float(angles.mean()), "half_width_95": float(1.96 * angles.std(ddof=1) / math.sqrt(len(angles)))}

    return {
        "dimension": d,
        "embeddings": [float(v) for v in emb.ravel()],
        "labels": labels,
        "head_classes": head,
        "per_class": per_class,
        "head": group(True),
        "tail": group(False),
    }


def main():
    rng = np.random.default_rng(20200614)
    reference = {
        "generator": "tests/reference/generate_metric_reference.py (numpy " + np.__version__ + ")",
        "verification": [
            verification_case("lfw_like_600_two_decimals", rng, 300, 300, 2, 10),
            verification_case("uneven_folds_203_one_decimal", rng, 71, 132, 1, 7),
            verification_case("large_13000_three_decimals", rng, 1000, 12000, 3, 10),
        ],
        "cosine": cosine_case(rng),
        "angular_spread": angular_case(rng),
    }
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "w") as f:
        json.dump(reference, f, separators=(",", ":"))
        f.write("\n")
    for case in reference["verification"]:
        print(case["name"], "distinct", case["distinct_scores"], "acc", case["kfold"]["mean"],
              [t["tpr"] for t in case["tpr_at_fpr"]], "auc", case["auc"])
    print("angular head", reference["angular_spread"]["head"], "tail", reference["angular_spread"]["tail"])


if __name__ == "__main__":
    main()
