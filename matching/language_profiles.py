"""People grouped by their exact language list, and the language a pair of such profiles
would use: candidates.py decides languages per profile pair (a handful per city), and
PairFacts derives them again for single edges by the same steps."""

from __future__ import annotations

import numpy as np

from .languages import LEVEL_RANK, SHARED_MIN_RANK, TEACH_MIN_RANK
from .records import Participant


class LanguageProfiles:
    """Participants grouped by their exact language list. Pairs are decided per profile
    pair (a handful per city), so only compatible profile pairs are ever expanded."""

    def __init__(self, people: list[Participant], codes: dict[str, int], tandem: bool):
        # Keyed by the identities of the Language records first: instance_from_dict shares
        # equal ones, so most people's lists are sorted into a key only once.
        memo: dict[tuple[int, ...], int] = {}
        keys: list[tuple] = []
        seen = []
        for p in people:
            ids = tuple(map(id, p.languages))  # the records stay alive for the whole loop
            k = memo.get(ids)
            if k is None:
                k = memo[ids] = len(keys)
                keys.append(tuple(sorted((x.code, x.level, x.learning) for x in p.languages)))
            seen.append(k)
        unique = sorted(set(keys))
        where = {k: i for i, k in enumerate(unique)}
        self.of = np.array([where[k] for k in keys], dtype=np.int64)[np.array(seen, dtype=np.int64)]
        n_lang = max(1, len(codes))
        # speak[p, l]: spoken level rank usable here (C1+ to teach, B1+ to share), else 0;
        # learn[p, l]: learning level rank, else 0.
        self.speak = np.zeros((len(unique), n_lang), dtype=np.int8)
        self.learn = np.zeros((len(unique), n_lang), dtype=np.int8)
        floor = TEACH_MIN_RANK if tandem else SHARED_MIN_RANK
        for i, key in enumerate(unique):
            for code, level, learning in key:
                rank = LEVEL_RANK[level]
                if learning:
                    self.learn[i, codes[code]] = rank
                elif rank >= floor:
                    self.speak[i, codes[code]] = rank
        # wanted[p]: the languages p learns, best level first (then lowest index), padded
        # with n_lang; teaches[p, n_lang] is False. "The language y learns best among those
        # x can teach" is then the first of wanted[y] that x teaches: a few 1-D steps
        # instead of a (pairs x languages) table.
        order = np.argsort(-self.learn, axis=1, kind="stable")
        width = max(1, int((self.learn > 0).sum(axis=1).max(initial=0)))
        self.wanted = np.where(
            np.take_along_axis(self.learn, order, axis=1) > 0, order, n_lang
        )[:, :width]
        self.teaches = np.zeros((len(unique), n_lang + 1), dtype=bool)
        self.teaches[:, :n_lang] = self.speak > 0

    def taught(self, teacher: np.ndarray, learner: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per profile pair: the language `learner` learns best among those `teacher` can
        teach (lowest index on ties), and whether there is one."""
        choice = np.full(len(teacher), -1, dtype=np.int64)
        for k in range(self.wanted.shape[1]):
            lang = self.wanted[learner, k]
            hit = (choice < 0) & self.teaches[teacher, lang]
            choice[hit] = lang[hit]
        return np.maximum(choice, 0), choice >= 0

    def shared(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For profiles a and b broadcast against each other (a[:, None] and b[None, :] for
        every pair of two lists, row i * len(b) + j; or two equal-length lists): the
        language both speak best (highest lower level, then the closer levels, then the
        lowest index), and whether there is one."""
        # Levels are ranks below 8, so int16 holds every score (4x less to write than
        # int64: 383 x 343 profile pairs x 26 languages in one twinning of citizens at
        # 100 000).
        sa, sb = self.speak[a].astype(np.int16), self.speak[b].astype(np.int16)
        score = np.where((sa > 0) & (sb > 0), np.minimum(sa, sb) * 16 - np.abs(sa - sb), 0)
        return _choose(score.reshape(-1, score.shape[-1]))


def _choose(score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row: best language (highest score, then lowest index) and whether any is > 0."""
    best = np.argmax(score, axis=1)  # argmax returns the first (lowest index) maximum
    return best, score[np.arange(len(score)), best] > 0
