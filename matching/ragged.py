"""Ragged expansion: the index arithmetic every vectorised "one row per item per unit" step
(interval pieces, member pairs, neighbour lists) shares."""

from __future__ import annotations

import numpy as np


def ragged(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For items repeated counts[i] times: (item of each copy, copy number 0..counts[i]-1)."""
    item = np.repeat(np.arange(len(counts)), counts)
    return item, np.arange(len(item)) - np.repeat(np.cumsum(counts) - counts, counts)
