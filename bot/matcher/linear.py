"""A linear model of the labelled questions (`knowledge/labelled_model.npz`): for each answer, a
weight per character 1-3-gram, learned so that its questions score above every other answer's
(a one-vs-rest linear SVM on the same tf-idf vectors as `bot.matcher.neighbours`).

The nearest questions and the naive Bayes count how often each answer's questions use a gram; a
gram every answer's questions use ("档案") weighs in all of them. The linear model weighs a gram
by how well it tells one answer from the others, which is what the resident's own words carry
(round 22: trained on the labelled questions, it picked the right answer of 2,526 of 2,873
questions of the held-out and unread sets, where the whole matcher picked 2,377). It is trained
offline (`scripts/train_labelled_model.py`, scikit-learn) and read here with numpy only; the
file names the labelled questions it learned from, so `knowledge check` can say it is stale.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.knowledge import Knowledge
from bot.matcher.neighbours import GRAM_DTYPE, grams

#: The model's file in the knowledge folder.
MODEL_FILE = "labelled_model.npz"
#: The last model read and its file's (path, mtime, size): one model kept, however many reloads.
_LAST_READ: list = []


def labelled_digest(labelled: dict[str, list[str]]) -> str:
    """What the model was trained on, as a short digest (the labels and their questions)."""
    raw = json.dumps(labelled, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(raw).hexdigest()[:16]


def gram_list(normalized: str) -> list[str]:
    """A question's grams, each as often as it occurs: what the model's tf-idf counts."""
    return [g for g, n in grams(normalized).items() for _ in range(n)]


@dataclass(frozen=True)
class LinearModel:
    """Per gram, the answers it weighs for and how much (a sparse matrix by gram, kept small:
    the training script leaves out the smallest weights, which changed no answer measured)."""

    labels: list[str]
    grams: np.ndarray  # sorted, fixed-width text
    idf: np.ndarray  # float32, per gram
    starts: np.ndarray  # int32, per gram: its first weight
    weight_labels: np.ndarray  # int16, per weight
    weights: np.ndarray  # float32, per weight
    intercept: np.ndarray  # float32, per label
    trained_on: str  # `labelled_digest` of the questions it learned from
    #: [(the last question scored, its scores)] (`scores`), a list: the model itself is frozen
    _last: list = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def load(cls, path: Path) -> LinearModel | None:
        """The model in `path`; None when there is none (the matcher then does without). A
        /reload with the same file keeps the model already read (the model is immutable)."""
        if not path.is_file():
            return None
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
        if _LAST_READ and _LAST_READ[0] == key:
            return _LAST_READ[1]
        model = cls._read(path)
        _LAST_READ[:] = [key, model]
        return model

    @classmethod
    def _read(cls, path: Path) -> LinearModel:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            return cls(
                labels=meta["labels"],
                grams=data["grams"].astype(GRAM_DTYPE),
                idf=data["idf"].astype(np.float32),
                starts=data["starts"].astype(np.int32),
                weight_labels=data["weight_labels"].astype(np.int16),
                weights=data["weights"].astype(np.float32),
                intercept=data["intercept"].astype(np.float32),
                trained_on=meta["trained_on"],
            )

    def save(self, path: Path) -> None:
        buffer = io.BytesIO()
        meta = {"labels": self.labels, "trained_on": self.trained_on}
        np.savez_compressed(
            buffer,
            meta=np.array(json.dumps(meta, ensure_ascii=False)),
            grams=self.grams.astype(GRAM_DTYPE),
            idf=self.idf.astype(np.float32),
            starts=self.starts.astype(np.int32),
            weight_labels=self.weight_labels.astype(np.int16),
            weights=self.weights.astype(np.float16),
            intercept=self.intercept.astype(np.float32),
        )
        path.write_bytes(buffer.getvalue())

    def scores(self, normalized: str) -> dict[str, float]:
        """Each answer's score for the question (above 0: the model would pick it against the
        rest); empty when the question shares no gram with the model. The last question's are
        kept: the second opinion and the clear pick both ask for one message's."""
        held = self._last[-1] if self._last else None  # one read: another thread may replace it
        if held is not None and held[0] == normalized:
            return dict(held[1])
        found = self._scores(normalized)
        self._last[:] = [(normalized, found)]
        return dict(found)

    def _scores(self, normalized: str) -> dict[str, float]:
        found = grams(normalized)
        if not found or not len(self.grams):
            return {}
        asked = np.array(list(found), dtype=GRAM_DTYPE)
        at = np.minimum(np.searchsorted(self.grams, asked), len(self.grams) - 1)
        known = self.grams[at] == asked
        if not known.any():
            return {}
        at = at[known]
        x = (1 + np.log(np.array(list(found.values()), dtype=np.float64)[known])) * self.idf[at]
        x /= np.sqrt((x * x).sum())
        starts, ends = self.starts[at], self.starts[at + 1]
        lengths = ends - starts
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        postings = offsets + np.arange(int(lengths.sum()))
        total = np.bincount(
            self.weight_labels[postings],
            weights=self.weights[postings] * np.repeat(x, lengths),
            minlength=len(self.labels),
        )
        total += self.intercept
        return dict(zip(self.labels, total.tolist(), strict=True))


def linear_model_is_stale(knowledge: Knowledge) -> bool:
    """Whether the knowledge's model learned from other labelled questions than it holds now."""
    model = LinearModel.load(Path(knowledge.root) / MODEL_FILE)
    return model is not None and model.trained_on != labelled_digest(knowledge.extras.get("labelled") or {})
