#!/usr/bin/python3
"""Independent reference values for Leap.Evaluation.IdentificationEvaluator (MegaFace-style rank-1 with distractors).

Regenerate (from the repository root) with:

    /usr/bin/python3 tests/reference/generate_identification_reference.py

which rewrites tests/Leap.Data.Tests/Reference/identification_reference.json (commit the result). Needs only numpy;
deterministic (numpy.random.default_rng with fixed seeds).

Definition: for every ordered pair (i, j), i != j, of probes of one identity, the trial is correct when
score(i, j) > max over distractors d of score(i, d) (ties count as misses). This script computes it with a
boolean matrix over all pairs at once instead of the C# loops.
"""

import json
import os

import numpy as np

OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Leap.Data.Tests", "Reference", "identification_reference.json")


def evaluate(probe_scores, distractor_scores, ids):
    same = (ids[:, None] == ids[None, :]) & ~np.eye(len(ids), dtype=bool)
    best = distractor_scores.max(axis=1) if distractor_scores.shape[1] else np.full(len(ids), -np.inf)
    hit = same & (probe_scores > best[:, None])
    trials = int(same.sum())
    return {"trials": trials, "correct": int(hit.sum()), "rank1": float(hit.sum() / trials) if trials else None,
            "identities": int(len(np.unique(ids)))}


def embedding_case(name, rng, identities, per_identity, distractors, dim, spread):
    centres = rng.standard_normal((identities, dim))
    ids = np.repeat(np.arange(identities), per_identity)
    probes = (centres[ids] + spread * rng.standard_normal((len(ids), dim))).astype(np.float32)
    dis = rng.standard_normal((distractors, dim)).astype(np.float32)
    p = probes.astype(np.float64)
    d = dis.astype(np.float64)
    p /= np.linalg.norm(p, axis=1, keepdims=True)
    d /= np.linalg.norm(d, axis=1, keepdims=True)
    return {"name": name, "dimension": dim, "identities_of_probes": ids.tolist(),
            "probe_embeddings": probes.astype(np.float64).ravel().tolist(),
            "distractor_embeddings": dis.astype(np.float64).ravel().tolist(),
            "expected": evaluate(p @ p.T, p @ d.T, ids)}


def score_case(name, rng, probes, identities, distractors):
    # Small integer scores: many exact ties between mates and distractors.
    ids = rng.integers(0, identities, size=probes)
    s = rng.integers(0, 4, size=(probes, probes)).astype(np.float64)
    s = np.triu(s) + np.triu(s, 1).T
    ds = rng.integers(0, 4, size=(probes, distractors)).astype(np.float64)
    return {"name": name, "identities_of_probes": ids.tolist(), "probe_scores": s.ravel().tolist(),
            "distractor_scores": ds.ravel().tolist(), "expected": evaluate(s, ds, ids)}


def main():
    cases = [
        embedding_case("clustered-40x4-200-distractors", np.random.default_rng(11), 40, 4, 200, 16, 0.6),
        embedding_case("noisy-25x3-100-distractors", np.random.default_rng(12), 25, 3, 100, 8, 0.8),
        score_case("integer-scores-with-ties", np.random.default_rng(13), 60, 12, 2),
        score_case("integer-scores-singletons", np.random.default_rng(14), 30, 25, 5),
    ]
    with open(OUTPUT, "w", encoding="utf-8") as f:
        json.dump({"cases": cases}, f)
        f.write("\n")
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
