"""Scoring every entry at once, for a province's knowledge (issue 15).

At 100x the county's knowledge, copies of one department's entries score alike: the third best
score is reached by dozens of near-identical entries, so no bound prunes them, and scoring each
in Python costs ~100 ms for a vague question. Here the same arithmetic runs over arrays (one
slot per entry, one per unit), every entry at once: a few dozen numpy operations per question
word, whatever the number of entries holding it.

Exact, not an approximation: every step repeats `Scorer.score`'s Python arithmetic in the same
order (sums word by word, the same products), so each entry gets bit-for-bit the same bound,
score and coverage, ties included (`tests/test_matcher_scan.py` compares the two on the question
files). numpy is imported only for knowledge this large (`Scorer` decides): a county's ~50
entries are cheaper in plain Python, and the bot keeps numpy's 15 MB and start-up out."""

from __future__ import annotations

import heapq

import numpy as np

from bot.matcher.index import Index
from bot.matcher.model import BIGRAM, BODY_WEIGHT, OTHER_COUNTY
from bot.text import HAN_RUN_RE

#: A first-seen key packs (word position, rank within the word's units) above the unit number.
_UNIT_BITS = 32
_UNIT_MASK = (1 << _UNIT_BITS) - 1
#: ... and the word's position above both (ranks stay below 2**20)
_WORD_SHIFT = _UNIT_BITS + 20

#: A question whose words (and similar example questions) reach at most this share of the
#: entries is scored over those entries only: the rest score 0 and are never returned, and a
#: specific clause ("恢复", "自查") then costs arrays of hundreds, not of every entry.
COMPACT_SHARE = 0.3


class _WordUnits:
    """Every unit holding a question word, as arrays: where it is, how strongly the word is
    there (`scoring.strength`), and its rank in `Scorer._units_at`'s order (exact hits first,
    then by the first character pair that found it), which decides ties between passages."""

    __slots__ = ("body", "body_entry", "body_order", "body_strength", "head_entry", "head_value", "holders")

    def __init__(self, head_entry, head_value, body, body_strength, body_rank, body_entry):
        #: entries holding the word in a head field, and the best weight x strength there
        self.head_entry: np.ndarray = head_entry
        self.head_value: np.ndarray = head_value
        #: body units (global numbers) holding the word, its strength and rank in each
        self.body: np.ndarray = body
        self.body_strength: np.ndarray = body_strength
        #: the entry owning each body unit
        self.body_entry: np.ndarray = body_entry
        #: (rank, unit) packed: the order `Scorer.score` meets the units within the word
        self.body_order: np.ndarray = (body_rank << _UNIT_BITS) | body
        #: every entry holding the word, head or body
        self.holders: np.ndarray = np.union1d(head_entry, body_entry)


class FullScan:
    """`Scorer.score` for all entries at once over arrays built from one index."""

    def __init__(self, index: Index):
        docs = index.docs
        self._unit_ids = index.unit_ids
        self.n_entries = len(docs)
        #: per unit (numbered across entries: each entry's head units, then its body units)
        weights: list[float] = []
        owner: list[int] = []
        in_head: list[bool] = []
        for i, doc in enumerate(docs):
            weights += [u.weight for u in doc.head] + [BODY_WEIGHT] * len(doc.body)
            owner += [i] * (len(doc.head) + len(doc.body))
            in_head += [True] * len(doc.head) + [False] * len(doc.body)
        self._unit_is_head = np.array(in_head, dtype=bool)
        self._unit_weight = np.array(weights, dtype=np.float64)
        self._unit_entry = np.array(owner, dtype=np.int64)
        self._chat = np.array([d.loc.kind == "chat" for d in docs], dtype=bool)
        self._department = [d.loc.department.id if d.loc.department else None for d in docs]
        self._elsewhere: dict[str, np.ndarray] = {}
        self._words: dict[str, _WordUnits] = {}

    # ------------------------------------------------------------------ per word

    def _term(self, term: str) -> np.ndarray:
        """The units holding a term (global numbers, ascending)."""
        packed = self._unit_ids.get(term)
        if packed is None:
            return np.zeros(0, dtype=np.int64)
        return np.frombuffer(packed, dtype=np.int32).astype(np.int64)

    def _units(self, word: str) -> _WordUnits:
        """The word's units, as `Scorer._units_at` lists them for each entry (its own term at
        strength 1; else a two-character word as a pair inside a longer word, 0.8; a longer
        word with at most one pair missing, 0.7 x the share found). Memoised."""
        cached = self._words.get(word)
        if cached is not None:
            return cached
        exact = self._term(word)
        units, strength, rank = [exact], [np.ones(len(exact))], [np.zeros(len(exact), dtype=np.int64)]
        han = HAN_RUN_RE.fullmatch(word) is not None
        if len(word) == 2 and han:
            pair = self._term(BIGRAM + word)
            pair = pair[~np.isin(pair, exact, assume_unique=True)]
            units.append(pair)
            strength.append(np.full(len(pair), 0.8))
            rank.append(np.ones(len(pair), dtype=np.int64))
        elif len(word) >= 3 and han:
            grams = [self._term(BIGRAM + word[k : k + 2]) for k in range(len(word) - 1)]
            held = np.concatenate(grams)
            which = np.concatenate([np.full(len(g), k, dtype=np.int64) for k, g in enumerate(grams)])
            # per unit: how many pairs hold it, and the first that does (the order they are met)
            unique, first, hits = np.unique(held, return_index=True, return_counts=True)
            keep = (hits >= len(grams) - 1) & ~np.isin(unique, exact, assume_unique=True)
            units.append(unique[keep])
            strength.append(0.7 * hits[keep] / len(grams))
            rank.append(1 + which[first[keep]])
        g, s, r = np.concatenate(units), np.concatenate(strength), np.concatenate(rank)
        head = self._unit_is_head[g]
        best_head = np.zeros(self.n_entries)
        np.maximum.at(best_head, self._unit_entry[g[head]], self._unit_weight[g[head]] * s[head])
        head_entry = np.flatnonzero(best_head)
        body = g[~head]
        cached = _WordUnits(
            head_entry, best_head[head_entry], body, s[~head], r[~head], self._unit_entry[body]
        )
        if len(self._words) >= 4096:
            self._words.clear()
        self._words[word] = cached
        return cached

    def _penalised(self, department: str) -> np.ndarray:
        """Entries of another department than the one the question names (score x 0.4)."""
        got = self._elsewhere.get(department)
        if got is None:
            got = self._elsewhere[department] = np.array(
                [d is not None and d != department for d in self._department], dtype=bool
            )
        return got

    # ------------------------------------------------------------------ per question

    def score(
        self,
        words: list[str],
        weights: list[float],
        fuzzy: dict[int, float],
        department: str | None = None,
    ) -> list[tuple[int, float, float]]:
        """(doc index, score, coverage), best first: the entries `Scorer.score` returns."""
        total = sum(weights) or 1.0
        found = [self._units(w) for w in words]
        # The entries scored: all, or (a specific question) only those it reaches, numbered
        # in the same order so that ties fall the same way.
        ids = self._reached(found, fuzzy)
        if ids is None:
            n_entries, chat = self.n_entries, self._chat
            head_at = [w.head_entry for w in found]
            body_at = [w.body_entry for w in found]
            similar = list(fuzzy)
        else:
            n_entries, chat = len(ids), self._chat[ids]
            # each entry's position among them (a fresh array: questions are scored in threads)
            position = np.empty(self.n_entries, dtype=np.int64)
            position[ids] = np.arange(n_entries)
            head_at = [position[w.head_entry] for w in found]
            body_at = [position[w.body_entry] for w in found]
            similar = position[list(fuzzy)] if fuzzy else []
        # Head fields: per word, the best weight x strength in each entry.
        explained = np.zeros((len(words), n_entries))
        for j, w in enumerate(found):
            explained[j, head_at[j]] = w.head_value
        head_mass = _weighted_sum(weights, explained)
        # Body passages: each passage's mass of question words, then each entry's best passage.
        mass = np.zeros(len(self._unit_weight))
        for j, w in enumerate(found):
            mass[w.body] += weights[j] * w.body_strength
        best_unit, best_mass = _best_passages(found, body_at, mass, n_entries)
        body = best_mass * BODY_WEIGHT
        sim = np.zeros(n_entries)
        if fuzzy:
            sim[similar] = list(fuzzy.values())
        bound = 65.0 * np.minimum(1.0, (head_mass + body) / total) + 0.35 * sim
        # A word found in the best passage is explained there if that beats its head fields.
        for j, w in enumerate(found):
            entries = body_at[j]
            there = best_unit[entries] == w.body
            row, value = explained[j], BODY_WEIGHT * w.body_strength[there]
            at = entries[there]
            row[at] = np.maximum(row[at], value)
        lexical = _weighted_sum(weights, explained) / total
        covered = np.zeros(n_entries)
        for j, weight in enumerate(weights):
            covered += weight * (explained[j] > 0.5)  # + weight or + 0.0: Python's sum, word by word
        coverage = covered / total
        score = (65.0 * lexical + 0.35 * sim) * (0.6 + 0.4 * coverage)
        score = np.where(chat, score * coverage, score)
        if department:
            elsewhere = self._penalised(department)
            penalised = ~chat & (elsewhere if ids is None else elsewhere[ids])
            score = np.where(penalised, score * OTHER_COUNTY, score)
        return _best_first(bound, score, coverage, ids)

    def _reached(self, found: list[_WordUnits], fuzzy: dict[int, float]) -> np.ndarray | None:
        """The entries holding a question word or a similar example question (ascending), or
        None when they are more than COMPACT_SHARE of all: every other entry scores 0."""
        most = COMPACT_SHARE * self.n_entries
        if any(len(w.holders) > most for w in found):
            return None  # a word as common as 档案
        reached = np.zeros(self.n_entries, dtype=bool)
        for w in found:
            reached[w.holders] = True
        if fuzzy:
            reached[list(fuzzy)] = True
        ids = np.flatnonzero(reached)
        return None if len(ids) > most else ids


def _best_passages(
    found: list[_WordUnits], body_at: list[np.ndarray], mass: np.ndarray, n_entries: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per entry its body unit of most mass (-1 and 0.0 where none): on a tie, the one
    `Scorer.score` meets first (by word, then by rank within the word's units). `body_at`: the
    entry (as numbered in this question) of each word's body units."""
    if not any(len(w.body) for w in found):
        return np.full(n_entries, -1, dtype=np.int64), np.zeros(n_entries)
    units = np.concatenate([w.body for w in found])
    first = np.concatenate([(j << _WORD_SHIFT) | w.body_order for j, w in enumerate(found)])
    entries = np.concatenate(body_at)
    unit_mass = mass[units]
    best_mass = np.zeros(n_entries)
    np.maximum.at(best_mass, entries, unit_mass)
    tied = unit_mass == best_mass[entries]
    key = np.full(n_entries, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(key, entries[tied], first[tied])
    best_unit = np.where(key == np.iinfo(np.int64).max, -1, key & _UNIT_MASK)
    return best_unit, best_mass


def _weighted_sum(weights: list[float], rows: np.ndarray) -> np.ndarray:
    """sum(w * e for w, e in zip(weights, row)) per entry, added word by word as Python's sum."""
    acc = np.zeros(rows.shape[1])
    for j, weight in enumerate(weights):
        acc = acc + weight * rows[j]
    return acc


def _best_first(
    bound: np.ndarray, score: np.ndarray, coverage: np.ndarray, ids: np.ndarray | None = None
) -> list[tuple[int, float, float]]:
    """`Scorer.score`'s last step: by bound (best first, higher index first on a tie), keep
    each entry scoring above 0 until the bound falls below the third best score so far; then
    best score first (lower index first on a tie). `ids`: the doc index of each position, when
    only some entries were scored (ascending, so ties fall as among all)."""
    positive = np.flatnonzero(score > 0)
    reaching = _reaching_third(positive, bound, score)
    if reaching is not None:
        chosen = reaching[np.lexsort((reaching, -score[reaching]))]
        docs = chosen if ids is None else ids[chosen]
        return list(zip(docs.tolist(), score[chosen].tolist(), coverage[chosen].tolist(), strict=True))
    order = positive[np.lexsort((-positive, -bound[positive]))]
    results: list[tuple[int, float, float]] = []
    best3: list[float] = []
    docs = order if ids is None else ids[order]
    for i, ub, s, c in zip(
        docs.tolist(), bound[order].tolist(), score[order].tolist(), coverage[order].tolist(), strict=True
    ):
        if len(best3) >= 3 and ub < best3[0]:
            break
        results.append((i, s, c))
        if len(best3) < 3:
            heapq.heappush(best3, s)
        elif s > best3[0]:
            heapq.heapreplace(best3, s)
    results.sort(key=lambda r: (-r[1], r[0]))
    return results


def _reaching_third(positive: np.ndarray, bound: np.ndarray, score: np.ndarray) -> np.ndarray | None:
    """The entries the walk in `_best_first` keeps, found without walking the thousands a vague
    question reaches: those whose bound reaches the third best score T, when the walk stops at
    the first bound under T, i.e. when three scores of at least T come before it (have bounds
    of at least T: a score never exceeds its bound, but this is checked, not assumed). None
    when there is no third score or rounding broke that: then walk."""
    if len(positive) < 3:
        return None
    scores = score[positive]
    third = np.partition(scores, -3)[-3]
    reaching = bound[positive] >= third
    if np.count_nonzero(reaching & (scores >= third)) < 3:
        return None
    return positive[reaching]
