#!/usr/bin/python3
"""Independent reference values for Leap.Evaluation.ReId.ReIdEvaluator (Market-1501 rules).

Regenerate (from the repository root) with:

    /usr/bin/python3 tests/reference/generate_reid_reference.py

which rewrites tests/Leap.Data.Tests/Reference/reid_reference.json (commit the result). Needs only numpy; the
output is deterministic (numpy.random.default_rng / PCG64 with fixed seeds).

Definitions (the C# side documents the same ones):

* The gallery is ranked by distance ascending, ties broken by gallery index (numpy argsort kind="stable").
* Gallery images of the query's person AND the query's camera are removed, and so are junk images (person id -1).
* A match is a remaining image of the query's person; a query without a match is skipped (counted separately).
* CMC(r) = fraction of valid queries whose first match is within the first r remaining images.
* AP = mean over the matches of precision at the match's position; mAP = mean AP over valid queries.

This script works with boolean masks and cumulative sums over the whole ranking instead of the C# loop.
"""

import json
import os

import numpy as np

OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Leap.Data.Tests", "Reference", "reid_reference.json")
MAX_RANK = 10


def evaluate(dist, q_pid, q_cam, g_pid, g_cam, max_rank):
    cmc_hits = np.zeros(max_rank)
    aps = []
    skipped = 0
    for q in range(dist.shape[0]):
        order = np.argsort(dist[q], kind="stable")
        remove = ((g_pid[order] == q_pid[q]) & (g_cam[order] == q_cam[q])) | (g_pid[order] == -1)
        keep = order[~remove]
        match = (g_pid[keep] == q_pid[q]).astype(np.float64)
        if match.sum() == 0:
            skipped += 1
            continue
        first = int(np.flatnonzero(match)[0])
        cmc_hits[first:] += 1 if first < max_rank else 0
        precision = np.cumsum(match) / np.arange(1, len(match) + 1)
        aps.append(float((precision * match).sum() / match.sum()))
    valid = len(aps)
    return {
        "cmc": (cmc_hits / valid if valid else cmc_hits).tolist(),
        "map": float(np.mean(aps)) if valid else 0.0,
        "valid": valid,
        "skipped": skipped,
    }


def case(name, rng, queries, gallery, pids, cams, dim=None, integer_distances=False, junk=0):
    q_pid = rng.integers(0, pids, size=queries)
    q_cam = rng.integers(0, cams, size=queries)
    g_pid = rng.integers(0, pids, size=gallery)
    g_cam = rng.integers(0, cams, size=gallery)
    if junk:
        g_pid[rng.choice(gallery, size=junk, replace=False)] = -1
    out = {"name": name, "max_rank": MAX_RANK,
           "query_pids": q_pid.tolist(), "query_cams": q_cam.tolist(),
           "gallery_pids": g_pid.tolist(), "gallery_cams": g_cam.tolist()}
    if integer_distances:
        dist = rng.integers(0, 4, size=(queries, gallery)).astype(np.float64)
        out["distances"] = dist.ravel().tolist()
    else:
        # Embeddings pass through float32, as the C# Embeddings class stores them.
        qe = rng.standard_normal((queries, dim)).astype(np.float32)
        ge = rng.standard_normal((gallery, dim)).astype(np.float32)
        out["query_embeddings"] = qe.astype(np.float64).ravel().tolist()
        out["gallery_embeddings"] = ge.astype(np.float64).ravel().tolist()
        out["dimension"] = dim
        qn = qe.astype(np.float64) / np.linalg.norm(qe.astype(np.float64), axis=1, keepdims=True)
        gn = ge.astype(np.float64) / np.linalg.norm(ge.astype(np.float64), axis=1, keepdims=True)
        dist = 1.0 - qn @ gn.T
    out["expected"] = evaluate(dist, q_pid, q_cam, g_pid, g_cam, MAX_RANK)
    return out


def main():
    cases = [
        case("tied_integer_distances", np.random.default_rng(11), 25, 60, 8, 3, integer_distances=True),
        case("tied_with_junk", np.random.default_rng(12), 30, 80, 12, 2, integer_distances=True, junk=10),
        case("cosine_embeddings", np.random.default_rng(13), 40, 120, 15, 4, dim=16),
        case("cosine_sparse_matches", np.random.default_rng(14), 30, 50, 40, 2, dim=8, junk=5),
    ]
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "w") as f:
        json.dump({"generator": "tests/reference/generate_reid_reference.py", "numpy": np.__version__, "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
