"""Which answer wins when the matcher's reading and the labelled questions disagree: a logistic
model over what each side says about each candidate answer.

Round 18 let the questions residents asked before overrule the matcher by fixed shares of their
vote (four fifths of it to overrule an answer). Alone, the five nearest questions were right
more often than the matcher on sets neither had seen, and the two were right on different
questions: how far to trust each depends on how sure each is (the matcher's score, lead and
coverage; how similar the nearest questions are and how many agree). This model weighs those
signals, learned from blind training sets the matcher was never tuned on, each measured with its
own questions left out of the labelled ones (`scripts/train_combiner.py`, which also writes
`bot.matcher.combiner_weights`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from bot.labelled import DECLINE
from bot.matcher import combiner_weights as trained
from bot.matcher.model import CHAT, MatchResult

#: How many of the nearest labelled questions the features look at (and offer as candidates).
NEAREST = 10

#: What the model reads about a candidate answer, in order.
FEATURES = (
    "ours_answer",  # the matcher's own answer...
    "ours_suggest",  # ...its first suggestion...
    "ours_decline",  # ...or its decline
    "matcher_second",  # the matcher's second candidate
    "matcher_third",
    "matcher_score",  # the matcher's score for it (a hundredth)
    "matcher_ratio",  # ...as a share of its best score
    "share_3",  # the share of the 3, 5, 10 nearest questions' similarity that carries it
    "share_5",
    "share_10",
    "closest",  # the similarity of the nearest question that carries it
    "closest_behind",  # ...less that of the nearest question of all
    "nearest_is",  # the nearest question of all carries it
    "decline",  # it is "another office's business"
    "decline_coverage",  # ...for a question whose words the knowledge covers this much
    "chat",
    "share_5_answer",  # share_5 when the matcher answered, suggested, declined
    "share_5_suggest",
    "share_5_decline",
    "ours_coverage",  # the matcher's own pick: how much of the question its words cover
    "ours_lead",  # ...how far its score leads the next (a hundredth)
    "ours_repaired",  # ...read after a repair (homophone, pinyin, English, synonyms)
    "as_written_share_5",  # share_5, closest and nearest_is for the question as written, where
    "as_written_closest",  # the matcher repaired it (English, pinyin, homophones): others may
    "as_written_nearest_is",  # have asked in the same English or pinyin
    "decline_named",  # declining where the matcher declined for an office the words name
    "likely",  # its chance by all of its labelled questions together (naive Bayes)
    "likely_first",  # ...the best of all labels
    "ours_service",  # the matcher's pick, made by a service's pattern (intents.yaml)
    "decline_service",  # declining a question a service's pattern answered
    "linear",  # its score by the linear model of the labelled questions (`bot.matcher.linear`)
    "linear_first",  # ...the best of all labels
    "linear_lead",  # ...less the best of the other labels' scores
)


@dataclass(frozen=True)
class Evidence:
    """What both sides say about one question: the matcher's decision, its own pick (`ours`, or
    `decline`) and the nearest labelled questions' labels with their similarity."""

    result: MatchResult
    ours: str
    nearest: Sequence[tuple[str, float]]
    #: the nearest to the question as written, where the matcher read it otherwise
    as_written: Sequence[tuple[str, float]] = ()
    #: the matcher declined it as the business of an office its words name (交警, 挖沙)
    named_elsewhere: bool = False
    #: each label's chance by all of its labelled questions together (`Neighbours.look`)
    likely: Mapping[str, float] = field(default_factory=dict)
    #: each label's score by the linear model of the labelled questions (`LinearModel.scores`)
    linear: Mapping[str, float] = field(default_factory=dict)

    @cached_property
    def linear_ranked(self) -> list[str]:
        """The labels by the linear model's score, best first (the best two: all `lead` needs)."""
        return sorted(self.linear, key=self.linear.__getitem__, reverse=True)[:2]

    @cached_property
    def likeliest(self) -> str | None:
        """The label of the highest chance (`likely`), once for all the candidates' features."""
        return max(self.likely, key=self.likely.__getitem__) if self.likely else None

    def candidates(self) -> list[str]:
        """The matcher's candidates, the nearest questions' labels, and declining, once each."""
        nearest = [*self.nearest[:NEAREST], *self.as_written[:NEAREST]]
        ids = [c.id for c in self.result.top] + [label for label, _ in nearest] + self.linear_ranked[:1]
        return list(dict.fromkeys([*ids, DECLINE]))

    def features(self, label: str) -> list[float]:
        result, ours, nearest = self.result, self.ours, self.nearest[:NEAREST]
        intent = result.intent
        scores = [c.score for c in result.top]
        rank = next((i for i, c in enumerate(result.top) if c.id == label), None)
        score = scores[rank] if rank is not None else 0.0
        best = scores[0] if scores else 0.0
        lead = best - scores[1] if len(scores) > 1 else best

        def share(count: int, nearest: Sequence[tuple[str, float]] = nearest) -> float:
            total = sum(sim for _, sim in nearest[:count])
            return sum(sim for other, sim in nearest[:count] if other == label) / total if total else 0.0

        written = self.as_written[:NEAREST] or nearest

        closest = max((sim for other, sim in nearest if other == label), default=0.0)
        first = nearest[0][1] if nearest else 0.0
        mine = label == ours
        declining = label == DECLINE
        repaired = bool(result.notes) and result.notes[0].split(":")[0] not in ("coverage", "service")
        service = "service" in result.notes
        return [
            float(mine and intent == "answer"),
            float(mine and intent == "suggest"),
            float(mine and intent == "decline"),
            float(rank == 1),
            float(rank == 2),
            score / 100 if rank is not None else 0.0,
            score / best if best and rank is not None else 0.0,
            share(3),
            share(5),
            share(10),
            closest,
            closest - first,
            float(bool(nearest) and nearest[0][0] == label),
            float(declining),
            float(declining) * result.coverage,
            float(label.startswith(CHAT)),
            share(5) * (intent == "answer"),
            share(5) * (intent == "suggest"),
            share(5) * (intent == "decline"),
            float(mine) * result.coverage,
            float(mine) * lead / 100,
            float(mine and repaired),
            share(5, written),
            max((sim for other, sim in written if other == label), default=0.0),
            float(bool(written) and written[0][0] == label),
            float(declining and self.named_elsewhere),
            self.likely.get(label, 0.0),
            float(label == self.likeliest),
            float(mine and service),
            float(declining and service),
            *self._linear(label),
        ]

    def _linear(self, label: str) -> list[float]:
        if not self.linear:
            return [0.0, 0.0, 0.0]
        score = self.linear.get(label, 0.0)
        best, second = [*self.linear_ranked, label][:2]
        other = self.linear[second] if best == label else self.linear[best]
        return [score, float(best == label), score - other]


@dataclass(frozen=True)
class Weights:
    """A trained model: each feature's mean and spread in the training rows (to standardise),
    its weight, and the bias."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float

    def log_odds(self, rows: list[list[float]]) -> np.ndarray:
        """Per row (a candidate's features), the log-odds that it is the right answer."""
        z = (np.array(rows, dtype=np.float64) - self.mean) / self.scale
        return z @ np.array(self.weights) + self.bias

    def probabilities(self, rows: list[list[float]]) -> np.ndarray:
        return 1 / (1 + np.exp(-self.log_odds(rows)))


def shipped() -> Weights:
    """The weights `scripts/train_combiner.py` wrote (checked against `FEATURES`)."""
    if tuple(trained.FEATURES) != FEATURES:
        raise RuntimeError("bot/matcher/combiner_weights.py is stale: run scripts/train_combiner.py")
    return Weights(trained.MEAN, trained.SCALE, trained.WEIGHTS, trained.BIAS)


def fit(rows: list[list[float]], right: list[bool], l2: float = 1e-3, steps: int = 3000) -> Weights:
    """Logistic regression by full-batch gradient descent on standardised features: deterministic,
    and numpy is all it needs (a few thousand questions train in seconds)."""
    x = np.array(rows, dtype=np.float64)
    y = np.array(right, dtype=np.float64)
    spread = x.std(axis=0)
    mean, scale = x.mean(axis=0), np.where(spread > 1e-6, spread, 1.0)  # a constant feature: as is
    z = np.c_[(x - mean) / scale, np.ones(len(x))]
    w = np.zeros(z.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w)))
        w -= 0.5 * (z.T @ (p - y) / len(y) + l2 * np.r_[w[:-1], 0.0])
    rounded = lambda values: tuple(round(float(v), 6) for v in values)  # noqa: E731
    return Weights(rounded(mean), rounded(scale), rounded(w[:-1]), round(float(w[-1]), 6))
