"""A second opinion from questions residents asked before (`knowledge/labelled_questions.yaml`).

The matcher reads a question through the knowledge's own words; a resident who describes rather
than names ("她人回不来，我去查要带么子东西") leaves it unsure or wrong. The office's labelled
questions hold many such phrasings with their right answer: the labels of the most similar ones
(character n-grams, tf-idf, cosine) vote, and a clear vote settles what the matcher's own
reading left weak. A reading that a rule made (a chat pattern, a referral word, a contact
question) is not second-guessed.

The thresholds were chosen on the project's training sets, each left out of the labelled file
in turn while it was measured, and accepted on the held-out sets (docs/matcher_round18_log.md).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from bot.labelled import DECLINE
from bot.matcher.model import Candidate, MatchResult
from bot.text import normalize

#: Character n-grams of these lengths make a question's vector.
GRAM_LENGTHS = (1, 2, 3)
#: numpy's fixed-width text type for them.
GRAM_DTYPE = f"<U{max(GRAM_LENGTHS)}"
#: How many of the most similar labelled questions vote.
NEIGHBOURS = 5
#: The chat intents' ids begin so (greeting, thanks, 人工…): recognised by chat.yaml's patterns.
CHAT = "chat/"
#: A vote declines an answer or a suggestion only when less than this share of the question's
#: words are the knowledge's own (the matcher's `coverage`).
DECLINE_BELOW_COVERAGE = {"answer": 0.7, "suggest": 0.5}
#: A labelled question this similar (cosine) is the question asked again: its label settles it.
SAME = 0.9
#: The first note of readings made by weighing words (not by a rule): those a vote may settle.
WEIGHED_READINGS = frozenset({"coverage", "synonyms", "homophone", "english", "pinyin", "cantonese"})
#: Per decision of the matcher: the share of the vote the winning label needs, and how similar
#: the closest labelled question must be, to overrule it. An unsure reading (suggest) yields
#: to the largest share (two fifths of the vote); an answer to a clear majority, a decline to a
#: clearer one.
OVERRULE = {"answer": (0.8, 0.15), "decline": (0.9, 0.15), "suggest": (0.4, 0.15)}


@dataclass(frozen=True)
class Vote:
    """The label most of the closest labelled questions carry; a question asked before in (almost)
    the same words carries its own label alone (`SAME`)."""

    label: str
    share: float
    similarity: float


def grams(normalized: str) -> Counter[str]:
    found = Counter(normalized[i : i + n] for n in GRAM_LENGTHS for i in range(len(normalized) - n + 1))
    for gram in [g for g in found if g.isspace()]:
        del found[gram]
    return found


#: Built data by the labelled questions' digest: a /reload or a test's copy of the knowledge with
#: the same questions does not build them again (the two latest, as the matcher cache keeps).
_BUILT: dict[str, dict[str, Any]] = {}


def built(labelled: dict[str, list[str]]) -> dict[str, Any]:
    """`Neighbours.build`, once per distinct set of labelled questions in this process."""
    key = hashlib.sha256(json.dumps(labelled, ensure_ascii=False).encode()).hexdigest()
    if key not in _BUILT:
        _BUILT[key] = Neighbours.build(labelled)
        while len(_BUILT) > 2:
            _BUILT.pop(next(iter(_BUILT)))
    return _BUILT[key]


class Neighbours:
    """The labelled questions' tf-idf vectors, stored by n-gram (an inverted index in flat
    arrays): a question's similarity to all of them is one weighted count per gram it holds."""

    def __init__(self, data: dict[str, Any]):
        self.labels: list[str] = data["labels"]
        self._label_of = np.frombuffer(data["label_of"], dtype=np.int32)
        # grams sorted, looked up by binary search: a few MB where a dict of them takes tens
        self._grams = np.array(data["grams"].split("\n") if data["grams"] else [], dtype=GRAM_DTYPE)
        self._idf = np.frombuffer(data["idf"], dtype=np.float32)
        self._starts = np.frombuffer(data["starts"], dtype=np.int32)
        self._ends = np.frombuffer(data["ends"], dtype=np.int32)
        self._questions = np.frombuffer(data["questions"], dtype=np.int32)
        self._weights = np.frombuffer(data["weights"], dtype=np.float32)
        self._count = len(self._label_of)

    @staticmethod
    def build(labelled: dict[str, list[str]]) -> dict[str, Any]:
        """The plain data `Neighbours` loads (marshal-able, cached with the matcher's index).
        Arrays throughout: a province's tens of thousands of questions build in seconds."""
        labels = list(labelled)
        label_of: list[int] = []
        gram_ids: dict[str, int] = {}
        rows: list[int] = []
        columns: list[int] = []
        counts: list[int] = []
        for number, questions in enumerate(labelled.values()):
            for question in questions:
                found = grams(normalize(question))
                rows.extend([len(label_of)] * len(found))
                columns.extend([gram_ids.setdefault(g, len(gram_ids)) for g in found])
                counts.extend(found.values())
                label_of.append(number)
        names = np.array(list(gram_ids), dtype=GRAM_DTYPE)
        ranked = np.argsort(names, kind="stable")
        rank_of = np.empty(len(names), dtype=np.int32)
        rank_of[ranked] = np.arange(len(names), dtype=np.int32)
        row_of = np.array(rows, dtype=np.int32)
        gram_of = rank_of[np.array(columns, dtype=np.int32)] if columns else np.array([], dtype=np.int32)
        total = len(label_of)
        frequency = np.bincount(gram_of, minlength=len(names))
        idf = np.log((total + 1) / (frequency + 1)) + 1
        weight = (1 + np.log(np.array(counts, dtype=np.float64))) * idf[gram_of]
        length = np.sqrt(np.bincount(row_of, weights=weight * weight, minlength=total))
        weight = weight / np.where(length > 0, length, 1.0)[row_of]
        order = np.argsort(gram_of, kind="stable")  # postings by gram, questions in order
        ends = np.cumsum(frequency)
        return {
            "labels": labels,
            "label_of": np.array(label_of, dtype=np.int32).tobytes(),
            "grams": "\n".join(names[ranked].tolist()),
            "idf": idf.astype(np.float32).tobytes(),
            "starts": (ends - frequency).astype(np.int32).tobytes(),
            "ends": ends.astype(np.int32).tobytes(),
            "questions": row_of[order].tobytes(),
            "weights": weight[order].astype(np.float32).tobytes(),
        }

    def __bool__(self) -> bool:
        return self._count > 0

    def vote(self, normalized: str) -> Vote | None:
        """The label the closest labelled questions agree on, with its share of their votes."""
        found = grams(normalized)
        if not found or not len(self._grams):
            return None
        asked = np.array(list(found), dtype=GRAM_DTYPE)
        at = np.minimum(np.searchsorted(self._grams, asked), len(self._grams) - 1)
        known = self._grams[at] == asked
        if not known.any():
            return None
        at = at[known]
        tf = 1 + np.log(np.array(list(found.values()), dtype=np.float64)[known])
        query = tf * self._idf[at]
        query /= np.sqrt((query * query).sum())
        starts, ends = self._starts[at], self._ends[at]
        spans = [slice(a, b) for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
        questions = np.concatenate([self._questions[span] for span in spans])
        weights = np.concatenate([self._weights[span] for span in spans]) * np.repeat(query, ends - starts)
        similarity = np.bincount(questions, weights=weights, minlength=self._count)
        take = min(NEIGHBOURS, self._count)
        closest = np.argpartition(-similarity, take - 1)[:take]
        votes = np.bincount(self._label_of[closest], weights=similarity[closest], minlength=len(self.labels))
        best = int(np.argmax(votes))
        total = float(votes.sum())
        if total <= 0:
            return None
        nearest = int(closest[np.argmax(similarity[closest])])
        if similarity[nearest] >= SAME:
            return Vote(self.labels[self._label_of[nearest]], 1.0, float(similarity[nearest]))
        return Vote(self.labels[best], float(votes[best]) / total, float(similarity[nearest]))


def _may_become(result: MatchResult, ours: str, label: str) -> bool:
    """Chat is what chat.yaml's patterns recognise: a vote gives it only to a question the matcher
    found nothing in ("谢谢，人防工程被人占了归谁管" is the question, not thanks). Another office's
    business is not a vote's to claim for a question our own words cover ("哪里查档")."""
    if label.startswith(CHAT):
        return result.intent == "decline" or ours.startswith(CHAT)
    if label == DECLINE:
        return result.coverage < DECLINE_BELOW_COVERAGE[result.intent]
    return True


class SecondOpinion:
    """Settles a weak reading by the labelled questions' vote (see the module docstring)."""

    def __init__(
        self,
        neighbours: Neighbours,
        titles: dict[str, str],
        decline_to: Callable[[str], tuple[str | None, bool]],
    ):
        self.neighbours = neighbours
        self.titles = titles
        #: who handles a question the vote calls another office's business (the hotline at least),
        #: and whether the question's own words named that office
        self.decline_to = decline_to

    def weighs(self, result: MatchResult) -> bool:
        """Whether a vote may settle `result`: a reading made by weighing words, not by a rule
        (a service the question asks for, by `intents.yaml`, is a rule's)."""
        notes = result.notes
        if not self.neighbours or not notes or "service" in notes:
            return False
        return notes[0].split(":")[0] in WEIGHED_READINGS

    def settle(
        self, result: MatchResult, read: str, text: str, limit: int = 3, county: str | None = None
    ) -> MatchResult:
        """`read`: the question as the matcher read it (normalised, typos and homophones
        repaired, pinyin and English put in Chinese); `text`: as written, for a referral;
        `county`: the department whose county the question names or speaks, else the one the
        conversation remembers."""
        if not self.weighs(result):
            return result
        vote = self.neighbours.vote(read)
        ours = result.top[0].id if result.intent != "decline" and result.top else DECLINE
        if vote is None or vote.label == ours:
            return result
        share, similarity = OVERRULE[result.intent]
        if vote.share < share or vote.similarity < similarity or not _may_become(result, ours, vote.label):
            return result
        notes = result.notes + (f"labelled:{vote.share:.2f}",)
        if vote.label == DECLINE:
            if result.intent == "decline":
                return result
            referral, named = self.decline_to(text)
            if not named:  # no office named: the hotline forwards it, no claim whose it is
                notes += ("unknown topic",)
            return replace(result, intent="decline", top=[], notes=notes, referral=referral)
        if county and not vote.label.startswith(CHAT) and vote.label.split("/")[0] != county:
            return result  # the county named or spoken outweighs how others asked
        best = max((c.score for c in result.top), default=0.0)
        first = Candidate(
            vote.label, self.titles.get(vote.label, vote.label), max(best, round(100 * vote.share, 1))
        )
        rest = [c for c in result.top if c.id != vote.label][: max(limit - 1, 0)]
        return replace(result, intent="answer", top=[first, *rest], notes=notes, referral=None)
