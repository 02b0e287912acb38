"""The questions residents asked before (`knowledge/labelled_questions.yaml`) as vectors: which of
them a new question is most like (character 1-3-grams, tf-idf, cosine), and their labels.

The matcher reads a question through the knowledge's own words; a resident who describes rather
than names ("她人回不来，我去查要带么子东西") leaves it unsure or wrong, and how others asked
like that, with their right answer, is the evidence `bot.matcher.second_opinion` weighs.
"""

from __future__ import annotations

import hashlib
import json
import re
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from bot.text import normalize

#: Character n-grams of these lengths make a question's vector.
GRAM_LENGTHS = (1, 2, 3)
#: numpy's fixed-width text type for them.
GRAM_DTYPE = f"<U{max(GRAM_LENGTHS)}"
#: A labelled question this similar (cosine) is the question asked again (`second_opinion`).
SAME = 0.9
#: The weight every gram has under every label before its questions are counted (`_likely`).
LIKELY_PRIOR = 0.01
#: A gram in at least this many labelled questions ("的", "档案", the letter "e") is also kept as a
#: dense row, a weight for every question: adding a row is one vector operation, where walking
#: its postings one by one took most of a lookup (round 25, 487 questions: the lookup's p50 0.96 ->
#: 0.66 ms, p99 2.9 -> 1.9 ms, the same similarities to 1e-14). A row is filled the first time it
#: is needed: filling them all at once cost the first answer 33 ms. 2,000 (188 rows, 26 MB) was no
#: faster than 4,000 (65 rows, 10 MB); 8,000 (16 rows) gave back a third of the gain.
DENSE_POSTINGS = 4000


def grams(normalized: str) -> Counter[str]:
    found = Counter([normalized[i : i + n] for n in GRAM_LENGTHS for i in range(len(normalized) - n + 1)])
    for gram in [g for g in found if g.isspace()]:
        del found[gram]
    return found


#: A question holding these (English, pinyin) is also kept as the matcher reads it (`readings_of`).
LATIN = re.compile(r"[A-Za-z]")
#: A reading's vector is this long, not 1: a translation loses words, so it is weaker evidence than
#: the same words written, and never "the question asked again" (`SAME`).
READING_WEIGHT = 0.85


def readings_of(labelled: dict[str, list[str]], read: Callable[[str], str]) -> dict[str, list[str]]:
    """Each question written in English or pinyin, as `read` (the matcher) reads it, by label.

    A new English question is looked up as read ("my grandpa's diary" -> 日记); the labelled
    English questions, kept only as written, met it only through the Chinese questions' words.
    With their readings beside them, the translations meet too (round 21, the 66 blind training
    sets in three folds, each read by a model trained on the other two: the 13 English sets'
    weighed readings right 2,378 -> 2,424 of 2,808, the others' 9,370 -> 9,389 of 10,737)."""
    out: dict[str, list[str]] = {}
    for label, questions in labelled.items():
        found = [r for q in questions if LATIN.search(q) and (r := read(q)) and r != normalize(q)]
        if found:
            out[label] = found
    return out


#: Built data by the labelled questions' digest: a /reload or a test's copy of the knowledge with
#: the same questions does not build them again (the two latest, as the matcher cache keeps).
_BUILT: dict[str, dict[str, Any]] = {}


def built(labelled: dict[str, list[str]], readings: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """`Neighbours.build`, once per distinct set of labelled questions in this process."""
    key = hashlib.sha256(json.dumps([labelled, readings], ensure_ascii=False).encode()).hexdigest()
    if key not in _BUILT:
        _BUILT[key] = Neighbours.build(labelled, readings)
        while len(_BUILT) > 2:
            _BUILT.pop(next(iter(_BUILT)))
    return _BUILT[key]


def _begins(ends: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Where each of the runs `at` begins, of runs laid end to end (`ends`): where the one before
    it ends (a gram's postings, its labels' pairs)."""
    return np.where(at > 0, ends[at - 1], 0)


def _positions(begins: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Every position of every run at once: each run's begin, counted on along it."""
    return np.repeat(begins - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))


#: `_most` reads the maxima of blocks this long first: 47,000 similarities are 184 blocks.
TOP_BLOCK = 256


def _most(values: np.ndarray, take: int) -> np.ndarray:
    """The positions of the `take` largest `values`, largest first (ties: the earlier first).

    A partition of the whole array cost 0.63 ms of a 1.1 ms lookup (round 33, 47,000 questions).
    The `take` largest block maxima are `take` values, so the `take`-th largest value is at least
    the `take`-th largest maximum: only the values that reach it (a few dozen) are sorted."""
    if take <= 0:
        return np.array([], dtype=np.intp)
    blocks = len(values) // TOP_BLOCK
    if blocks < take:
        candidates = np.arange(len(values))
    else:
        maxima = values[: blocks * TOP_BLOCK].reshape(blocks, TOP_BLOCK).max(axis=1)
        floor = np.partition(maxima, blocks - take)[blocks - take]
        candidates = np.flatnonzero(values >= floor)
    return candidates[np.lexsort((candidates, -values[candidates]))[:take]]


def _label_dtype(labels: int) -> type:
    """The narrowest integer type that numbers `labels` labels (a county's 60 fit in a byte)."""
    return np.int8 if labels <= 127 else np.int16 if labels <= 32767 else np.int32


def _question_dtype(questions: int) -> type:
    """The narrowest integer type that numbers `questions` rows (a county's 40,000 fit in 16 bits:
    its 3.2M postings' question numbers are 6 MB, not 12)."""
    return np.uint16 if questions <= 65535 else np.int32


class Neighbours:
    """The labelled questions' tf-idf vectors, stored by n-gram (an inverted index in flat
    arrays): a question's similarity to all of them is one weighted count per gram it holds."""

    def __init__(self, data: dict[str, Any]):
        self.labels: list[str] = data["labels"]
        self._label_of = np.frombuffer(data["label_of"], dtype=np.int32)
        # grams sorted, looked up by binary search: a few MB where a dict of them takes tens; kept
        # as numpy's fixed-width text, so loading them makes no Python string per gram
        self._grams = np.frombuffer(data["grams"], dtype=GRAM_DTYPE)
        self._idf = np.frombuffer(data["idf"], dtype=np.float32)
        #: where each gram's postings end (and the one before it's begin: no array of starts)
        self._ends = np.frombuffer(data["ends"], dtype=np.int32)
        self._questions = np.frombuffer(data["questions"], dtype=_question_dtype(len(self._label_of)))
        self._weights = np.frombuffer(data["weights"], dtype=np.float32)
        #: per gram, the labels whose questions hold it and their summed weight (`_used`), by gram
        self._pair_ends = np.frombuffer(data["pair_ends"], dtype=np.int32)
        self._pair_labels = np.frombuffer(data["pair_labels"], dtype=_label_dtype(len(self.labels)))
        self._pair_weights = np.frombuffer(data["pair_weights"], dtype=np.float32)
        self._count = len(self._label_of)
        # per label: the log of its questions' total gram weight, smoothed (`_likely`); the total
        # is summed when built (summing 1.2M postings here took 25 MB for a moment at every start)
        mass = np.frombuffer(data["label_mass"], dtype=np.float64)
        self._label_norm = np.log(mass + LIKELY_PRIOR * max(len(self._grams), 1))
        #: the last question looked up, how many nearest it kept, and what was found: one message
        #: is looked up up to three times (the second opinion, its "asked before", the clear pick)
        self._last: tuple[str, int, bool, Look] | None = None

    @staticmethod
    def build(labelled: dict[str, list[str]], readings: dict[str, list[str]] | None = None) -> dict[str, Any]:
        """The plain data `Neighbours` loads (marshal-able, cached with the matcher's index).
        Arrays throughout: a province's tens of thousands of questions build in seconds.
        `readings`: questions as the matcher read them (`readings_of`), at `READING_WEIGHT`."""
        readings = readings or {}
        labels = list(dict.fromkeys([*labelled, *readings]))
        number_of = {label: number for number, label in enumerate(labels)}
        label_of: list[int] = []
        length_of: list[float] = []
        gram_ids: dict[str, int] = {}
        # machine integers, not lists of Python ones: a province's millions of postings would
        # hold hundreds of MB for a moment at every build
        rows = array("i")
        columns = array("i")
        counts = array("i")
        for texts, length in ((labelled, 1.0), (readings, READING_WEIGHT)):
            for label, questions in texts.items():
                for question in questions:
                    found = grams(normalize(question))
                    rows.extend([len(label_of)] * len(found))
                    columns.extend([gram_ids.setdefault(g, len(gram_ids)) for g in found])
                    counts.extend(found.values())
                    label_of.append(number_of[label])
                    length_of.append(length)
        names = np.array(list(gram_ids), dtype=GRAM_DTYPE)
        ranked = np.argsort(names, kind="stable")
        rank_of = np.empty(len(names), dtype=np.int32)
        rank_of[ranked] = np.arange(len(names), dtype=np.int32)
        row_of = np.frombuffer(rows, dtype=np.int32) if rows else np.array([], dtype=np.int32)
        gram_of = rank_of[np.frombuffer(columns, dtype=np.int32)] if columns else np.array([], dtype=np.int32)
        del columns
        total = len(label_of)
        frequency = np.bincount(gram_of, minlength=len(names))
        idf = np.log((total + 1) / (frequency + 1)) + 1
        # each posting's tf-idf weight, in place: a province's millions of postings, one array
        weight = np.log(np.frombuffer(counts, dtype=np.int32).astype(np.float64))
        del counts
        weight += 1
        weight *= idf[gram_of]
        length = np.sqrt(np.bincount(row_of, weights=weight * weight, minlength=total))
        weight /= np.where(length > 0, length, 1.0)[row_of]
        weight *= np.array(length_of)[row_of]
        order = np.argsort(gram_of, kind="stable")  # postings by gram, questions in order
        del gram_of
        questions = row_of[order]
        weights = weight[order].astype(np.float32)
        del weight, order, row_of, rows  # what the pairs below need is in questions and weights
        ends = np.cumsum(frequency)
        label_of_array = np.array(label_of, dtype=np.int32)
        posting_labels = label_of_array[questions].astype(_label_dtype(len(labels)))
        mass = np.bincount(posting_labels, weights=weights, minlength=len(labels))
        # each (gram, label) pair once, its postings' weights summed: the naive Bayes reads a few
        # labels per gram, not every posting (round 26: 706,000 pairs for 3.2M postings; kept in
        # float32 like the postings, 4e-8 off the sum, every answer on 33 sets the same). Within
        # a gram the postings are put in label order, questions still in order within a label
        # (each question holds a gram once, so no sum changes), and each label's run is a pair.
        gram_at = np.repeat(np.arange(len(names), dtype=np.int32), frequency)
        by_label = np.lexsort((posting_labels, gram_at))
        questions, weights, posting_labels = questions[by_label], weights[by_label], posting_labels[by_label]
        del by_label
        first = np.ones(len(questions), dtype=bool)
        first[1:] = (gram_at[1:] != gram_at[:-1]) | (posting_labels[1:] != posting_labels[:-1])
        pair_weights = np.bincount(np.cumsum(first, dtype=np.int32) - 1, weights=weights)
        pair_labels = posting_labels[first]
        pair_ends = np.cumsum(np.bincount(gram_at[first], minlength=len(names)))
        del gram_at, posting_labels, first
        return {
            "labels": labels,
            "label_of": label_of_array.tobytes(),
            "grams": names[ranked].astype(GRAM_DTYPE).tobytes(),
            "idf": idf.astype(np.float32).tobytes(),
            "ends": ends.astype(np.int32).tobytes(),
            "questions": questions.astype(_question_dtype(total)).tobytes(),
            "weights": weights.tobytes(),
            "label_mass": mass.tobytes(),
            "pair_ends": pair_ends.astype(np.int32).tobytes(),
            "pair_labels": pair_labels.tobytes(),
            "pair_weights": pair_weights.astype(np.float32).tobytes(),
        }

    def __bool__(self) -> bool:
        return self._count > 0

    def nearest(self, normalized: str, count: int) -> list[tuple[str, float]]:
        """The labels of the `count` most similar labelled questions and their similarity (cosine),
        most similar first; none when the question shares no gram with them."""
        return self.look(normalized, count, likely=False).nearest

    def look(self, normalized: str, count: int, likely: bool = True) -> Look:
        """`nearest`, and (`likely`) how likely each label is by all of its questions together."""
        last = self._last
        if last is not None and last[0] == normalized and last[1] >= count and (last[2] or not likely):
            return Look(last[3].nearest[:count], dict(last[3].likely) if likely else {})
        found = self._look(normalized, count, likely)
        self._last = (normalized, count, likely, found)
        return Look(list(found.nearest), dict(found.likely))

    def _look(self, normalized: str, count: int, likely: bool) -> Look:
        found = grams(normalized)
        if not found or not len(self._grams):
            return Look([], {})
        asked = np.array(list(found), dtype=GRAM_DTYPE)
        at = np.minimum(np.searchsorted(self._grams, asked), len(self._grams) - 1)
        known = self._grams[at] == asked
        if not known.any():
            return Look([], {})
        at = at[known]
        tf = 1 + np.log(np.array(list(found.values()), dtype=np.float64)[known])
        query = tf * self._idf[at]
        query /= np.sqrt((query * query).sum())
        dense = self._dense
        row = dense.row_of[at]
        walked = row < 0
        at, walked_query, row, dense_query = at[walked], query[walked], row[~walked], query[~walked]
        self._filled(dense, row)
        ends = self._ends[at]
        starts = _begins(self._ends, at)
        # every walked gram's postings at once: its runs copied end to end (round 34: 0.54 ->
        # 0.37 ms for 87,000 postings, where gathering them by position built four arrays first)
        runs = list(zip(starts.tolist(), ends.tolist(), strict=True))
        questions = np.concatenate([self._questions[a:b] for a, b in runs]) if runs else self._questions[:0]
        weights = np.concatenate([self._weights[a:b] for a, b in runs]) if runs else self._weights[:0]
        similarity = np.bincount(
            questions, weights=weights * np.repeat(walked_query, ends - starts), minlength=self._count
        ).astype(np.float64, copy=False)  # no posting walked ("档案": all dense) counts in integers
        if len(row):
            # the rows summed in their own float32 (a few in 1e9 off), then added once: a float64
            # product per row allocated 300 KB each time (round 26: 0.32 -> 0.11 ms for 13 rows)
            # (round 33: each product into one scratch row, not a fresh 190 KB array per row)
            rows = np.zeros(self._count, dtype=np.float32)
            product = np.empty_like(rows)
            for r, weight in zip(row.tolist(), dense_query.astype(np.float32), strict=True):
                np.multiply(dense.weights[r], weight, out=product)
                rows += product
            similarity += rows
        closest = _most(similarity, min(count, self._count))
        nearest = [
            (self.labels[label], float(sim))
            for label, sim in zip(self._label_of[closest].tolist(), similarity[closest].tolist(), strict=True)
            if sim > 0
        ]
        if not likely:
            return Look(nearest, {})
        query = np.concatenate([walked_query, dense_query])
        return Look(nearest, self._likely(query, np.vstack([self._used(at), dense.used[row]])))

    def _used(self, grams: np.ndarray) -> np.ndarray:
        """grams x labels: the weight each label's questions give each of `grams` (`_likely`)."""
        labels = len(self.labels)
        begins = _begins(self._pair_ends, grams)
        lengths = self._pair_ends[grams] - begins
        pairs = _positions(begins, lengths)
        return np.bincount(
            np.repeat(np.arange(len(grams)), lengths) * labels + self._pair_labels[pairs],
            weights=self._pair_weights[pairs],
            minlength=len(grams) * labels,
        ).reshape(len(grams), labels)

    @cached_property
    def _dense(self) -> _DenseRows:
        """The grams kept as dense rows. The rows are zeros the system hands out untouched; each
        is filled the first time a question holds its gram (`_filled`), so the start and the first
        answer pay for a few rows, not all of them."""
        grams = np.flatnonzero(np.diff(self._ends, prepend=0) >= DENSE_POSTINGS)
        row_of = np.full(len(self._grams), -1, dtype=np.int32)
        row_of[grams] = np.arange(len(grams), dtype=np.int32)
        return _DenseRows(
            row_of=row_of,
            gram_of=grams,
            weights=np.zeros((len(grams), self._count), dtype=np.float32),
            used=np.zeros((len(grams), len(self.labels))),
            filled=np.zeros(len(grams), dtype=bool),
        )

    def _filled(self, dense: _DenseRows, rows: np.ndarray) -> None:
        """Fills the dense `rows` not filled yet from their grams' postings."""
        for r in rows[~dense.filled[rows]].tolist():
            gram = dense.gram_of[r]
            postings = slice(self._ends[gram - 1] if gram > 0 else 0, self._ends[gram])
            dense.weights[r, self._questions[postings]] = self._weights[postings]  # one per question
            dense.used[r] = self._used(np.array([gram]))[0]
            dense.filled[r] = True

    def _likely(self, query: np.ndarray, used: np.ndarray) -> dict[str, float]:
        """A multinomial naive Bayes over the labels: each gram of the question (by its tf-idf
        weight, `query`) as likely under a label as the label's questions use it (`used`: grams x
        labels), smoothed by LIKELY_PRIOR. The nearest questions say who asked alike; this says
        which answer's questions, all together, use these words (round 20, the blind training sets
        in three folds: 3,584 -> 3,668 of 4,559 weighed readings right)."""
        log_likely = (query[:, None] * (np.log(used + LIKELY_PRIOR) - self._label_norm[None, :])).sum(axis=0)
        chance = np.exp(log_likely - log_likely.max())
        chance /= chance.sum()
        return {self.labels[i]: float(chance[i]) for i in np.flatnonzero(chance >= 0.001).tolist()}


@dataclass(frozen=True)
class _DenseRows:
    """The grams most labelled questions share, each a row of weights (one per question)."""

    row_of: np.ndarray  # per gram: its row, -1 when its postings are walked
    gram_of: np.ndarray  # per row: its gram
    weights: np.ndarray  # rows x questions (float32), a row zeros until filled
    used: np.ndarray  # rows x labels: the weight each label's questions give the gram
    filled: np.ndarray  # per row: filled yet


@dataclass(frozen=True)
class Look:
    """What the labelled questions say about one question."""

    #: the labels of the most similar labelled questions and their similarity, most similar first
    nearest: list[tuple[str, float]]
    #: each label's chance (naive Bayes over its questions' grams), those of 0.001 or more
    likely: dict[str, float]
