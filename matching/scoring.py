"""Pair scores in [0, 1] with fixed, documented weights, and their explanations.

score = 0.35 * interests + 0.25 * level_fit + 0.20 * overlap + 0.20 * waiting, where
- interests: Jaccard index of the two interest sets (0 when both are empty);
- level_fit: tandem/classroom: 1 - |learner level of u - learner level of v| / 5 (CEFR
  ranks A1=1 .. C2=6, native=7; capped), so two learners at the same stage fit best;
  citizen: 1 - |level gap in the shared language| / 4;
- overlap: min(common free hours per week, 5) / 5, using the minimum over the weeks;
- waiting: min(mean waiting days of the two, 60) / 60, so longer waits rank higher.
The optimiser works on weight = round(score * 10000) (an integer, so optimality and
comparisons with baselines are exact); the reported score is weight / 10000.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import threads
from .candidates import Candidates
from .languages import level_name
from .records import Participant

WEIGHTS = {"interests": 0.35, "level_fit": 0.25, "overlap_hours": 0.20, "waiting": 0.20}
SCALE = 10000
HOURS_FULL = 5.0
WAIT_FULL_DAYS = 60.0


class People:
    """Per-person facts the parts read: interest bit masks (one bit per distinct interest),
    their sizes, and waiting days. Built once, then read for any subset of edges."""

    def __init__(self, people: list[Participant]):
        vocab = sorted({i for p in people for i in p.interests})
        bit = {t: 1 << k for k, t in enumerate(vocab)}
        words = max(1, -(-len(vocab) // 64))
        full = [sum(bit[t] for t in set(p.interests)) for p in people]
        self.masks = np.zeros((len(people), words), dtype=np.uint64)
        for i in range(words):
            self.masks[:, i] = np.array(
                [(m >> (64 * i)) & 0xFFFFFFFFFFFFFFFF for m in full], dtype=np.uint64
            )
        self.count = np.bitwise_count(self.masks).sum(axis=1, dtype=np.int64)
        self.waiting = np.array([p.waiting_days for p in people], dtype=np.float64)


def parts(c: Candidates, who: People, tandem: bool) -> dict[str, np.ndarray]:
    """Each part's value in [0, 1] for every edge of `c` (see the module docstring)."""
    masks = who.masks
    if masks.shape[1] == 1:  # up to 64 distinct interests: one word per person
        flat = masks[:, 0]
        shared = np.bitwise_count(flat[c.u] & flat[c.v]).astype(np.int64)
    else:
        shared = np.zeros(len(c.u), dtype=np.int64)
        for c0 in range(0, len(c.u), 65536):
            u, v = c.u[c0 : c0 + 65536], c.v[c0 : c0 + 65536]
            shared[c0 : c0 + 65536] = np.bitwise_count(masks[u] & masks[v]).sum(axis=1)
    union = who.count[c.u] + who.count[c.v] - shared
    jaccard = np.divide(shared, union, out=np.zeros(len(c.u)), where=union > 0)
    # Ranks are stored as int8: widen before subtracting.
    if tandem:
        gap = c.rank2_u.astype(np.int64) - c.rank1_v
        fit = 1.0 - np.minimum(np.abs(gap), 5) / 5.0
    else:
        gap = c.rank1_u.astype(np.int64) - c.rank1_v
        fit = 1.0 - np.minimum(np.abs(gap), 4) / 4.0
    waiting = who.waiting
    wait = np.minimum((waiting[c.u] + waiting[c.v]) / 2.0, WAIT_FULL_DAYS) / WAIT_FULL_DAYS
    overlap = np.minimum(c.hours.astype(np.float64), HOURS_FULL) / HOURS_FULL
    return {"interests": jaccard, "level_fit": fit, "overlap_hours": overlap, "waiting": wait}


_CHUNK = 1 << 20
_BLOCK = 1 << 18  # the parts' float temporaries: 2 MB each


# Weights are at most SCALE: int32 holds them with room for every sum the solver forms of
# a few (72 MB at 18 M edges rather than int64's 145 MB; fresh memory costs about 2 s per
# GB on a VM).
WEIGHT_DTYPE = np.int32


def integer_weights(c: Candidates, who: People, tandem: bool) -> np.ndarray:
    """round(score * SCALE) per edge (WEIGHT_DTYPE), chunks of edges on the worker
    threads."""
    out = np.empty(len(c.u), dtype=WEIGHT_DTYPE)

    def chunk(c0: int) -> None:
        out[c0 : c0 + _CHUNK] = block_weights(c.take(slice(c0, c0 + _CHUNK)), who, tandem)

    threads.each(chunk, range(0, len(c.u), _CHUNK))  # chunks are independent
    return out


def block_weights(c: Candidates, who: People, tandem: bool) -> np.ndarray:
    """round(score * SCALE) per edge (WEIGHT_DTYPE), on the calling thread. The parts are
    computed _BLOCK edges at a time and dropped: only the chosen edges' parts are ever
    needed again (for explanations), and four float arrays per edge would double the
    engine's peak memory."""
    out = np.empty(len(c.u), dtype=WEIGHT_DTYPE)
    for c0 in range(0, len(c.u), _BLOCK):
        values = parts(c.take(slice(c0, c0 + _BLOCK)), who, tandem)
        score = sum(WEIGHTS[k] * values[k] for k in WEIGHTS)
        out[c0 : c0 + _BLOCK] = np.rint(np.asarray(score, dtype=np.float64) * SCALE)
    return out


def explanations(
    c: Candidates,
    values: dict[str, np.ndarray],
    people: list[Participant],
    lang_codes: list[str],
) -> list[dict[str, Any]]:
    """The explanation stored with each pair of `c` (u = the side with the smaller id).
    Columns become Python lists once, rather than NumPy scalars per field (24 000 tandem
    pairs: 0.33-0.71 s against 0.40-0.81 s)."""
    parts = {k: values[k].tolist() for k in WEIGHTS}
    us, vs, hours = c.u.tolist(), c.v.tolist(), c.hours.tolist()
    lang1, lang2 = c.lang1.tolist(), c.lang2.tolist()
    r1u, r1v, r2u, r2v = (c.rank1_u.tolist(), c.rank1_v.tolist(), c.rank2_u.tolist(),
                          c.rank2_v.tolist())
    found = []
    for e in range(len(us)):
        pu, pv = people[us[e]], people[vs[e]]
        out: dict[str, Any] = {
            "parts": {
                k: {
                    "value": round(parts[k][e], 4),
                    "weight": WEIGHTS[k],
                    "contribution": round(WEIGHTS[k] * parts[k][e], 4),
                }
                for k in WEIGHTS
            },
            "shared_interests": sorted(set(pu.interests) & set(pv.interests)),
            "overlap_hours_per_week": hours[e],
            "waiting_days": {pu.id: pu.waiting_days, pv.id: pv.waiting_days},
        }
        if lang2[e] >= 0:
            out["mode"] = "tandem"
            out["languages"] = [
                {
                    "code": lang_codes[lang1[e]],
                    "speaker": pu.id,
                    "speaker_level": level_name(r1u[e]),
                    "learner": pv.id,
                    "learner_level": level_name(r1v[e]),
                },
                {
                    "code": lang_codes[lang2[e]],
                    "speaker": pv.id,
                    "speaker_level": level_name(r2v[e]),
                    "learner": pu.id,
                    "learner_level": level_name(r2u[e]),
                },
            ]
        else:
            out["mode"] = "citizen"
            out["languages"] = [
                {
                    "code": lang_codes[lang1[e]],
                    "levels": {pu.id: level_name(r1u[e]), pv.id: level_name(r1v[e])},
                }
            ]
        found.append(out)
    return found
