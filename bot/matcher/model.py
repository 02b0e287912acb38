"""What the matcher's parts hand each other: the results callers read (`Candidate`,
`MatchResult`), an analysed question, an indexed entry and its units, a question word's postings;
and the weights of the fields a word is found in (shared by the index and the scorer)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bot.knowledge import Located
from bot.labelled import DECLINE
from bot.text import HAN_RUN_RE

#: The chat intents' ids begin so (greeting, thanks, 人工…).
CHAT = "chat/"
#: The note of a reading made by a service's pattern (`intents.yaml`).
SERVICE = "service"
#: A question read this short (characters) that the matcher offered choices for keeps them: a
#: word alone ("档案", "人防") tells no entry from its siblings, though a model still ranks one.
VAGUE_LENGTH = 3

Intent = Literal["answer", "suggest", "decline"]

#: Prefix of a Han character bigram term (a word's character pairs are terms of their own).
BIGRAM = "§"

#: An entry's example questions pool many residents' words (9 to 19 questions an entry): a word
#: found only there says less than one in the title or keywords (round 10: 0.85 -> 0.6).
HEAD_WEIGHTS = {"title": 1.0, "keywords": 1.0, "questions": 0.6}
BODY_WEIGHT = 0.75
#: A question naming one county: the other counties' entries count this much of their score
#: (a fallback when nothing of the county named answers, never a rival to it).
OTHER_COUNTY = 0.4


@dataclass(frozen=True)
class Candidate:
    id: str
    title: str
    score: float


@dataclass(frozen=True)
class MatchResult:
    query: str
    normalized: str
    intent: Intent
    top: list[Candidate]
    tokens: tuple[str, ...] = ()
    coverage: float = 0.0
    notes: tuple[str, ...] = ()
    #: For a decline: the referrals.yaml entry naming who handles it (None: no referral known).
    referral: str | None = None

    @property
    def label(self) -> str:
        """The reading in the labelled questions' terms: its first entry, or `decline`."""
        return self.top[0].id if self.intent != "decline" and self.top else DECLINE


@dataclass(frozen=True)
class _Unit:
    """A bag of terms from one field (or one policy passage) and how much a hit in it counts."""

    terms: frozenset[str]
    weight: float


@dataclass(frozen=True)
class _Analysis:
    normalized: str
    repaired: str
    notes: tuple[str, ...]
    words: tuple[str, ...]
    weights: tuple[float, ...]
    foreign: tuple[str, ...]
    #: referral words set aside because the question asks which of our units handles the matter
    asked_of_us: tuple[str, ...] = ()
    #: places and organisations of another office's field (referrals.yaml `context`): who asks
    context: tuple[str, ...] = ()

    def own_words(self) -> list[str]:
        """The words the resident typed (not those a repair or synonym added)."""
        return [w for w in self.words if w in self.normalized]

    @property
    def described(self) -> bool:
        """Whether a `patterns` entry of synonyms.yaml explained what the question describes
        (老底子 is 档案): an administrator's ruling that the matter is ours."""
        return any(n.startswith("described:") for n in self.notes)


#: term -> entry index -> the entry's units holding the term (a bare int for one unit)
_Units = int | tuple[int, ...]
_Postings = dict[str, dict[int, _Units]]
#: term -> the entries where it weighs most
_Top = dict[str, tuple[int, ...]]
#: term -> (entries holding it in a head field, entries holding it in a body passage)
_Tiers = dict[str, tuple[tuple[int, ...], tuple[int, ...]]]


def _with_grams(words: list[str]) -> list[str]:
    """Words plus the Han character bigrams of each (Matcher.terms)."""
    grams: list[str] = []
    for w in words:
        got = _GRAMS.get(w)
        if got is None:
            got = _grams_of(w)
        grams += got
    return words + grams


#: word -> its bigram terms: a province's index build meets the same words millions of times
_GRAMS: dict[str, tuple[str, ...]] = {}


def _grams_of(word: str) -> tuple[str, ...]:
    grams = (
        tuple(BIGRAM + word[i : i + 2] for i in range(len(word) - 1))
        if len(word) >= 2 and HAN_RUN_RE.fullmatch(word)
        else ()
    )
    if len(_GRAMS) >= 200_000:
        _GRAMS.clear()
    _GRAMS[word] = grams
    return grams


def _as_units(units: _Units) -> tuple[int, ...]:
    return (units,) if type(units) is int else units  # type: ignore[return-value]


@dataclass(frozen=True)
class _Word:
    """A question word's postings: its own term, and its character pairs (see Matcher._word)."""

    exact: dict[int, _Units]
    pair: dict[int, _Units] | None
    grams: tuple[dict[int, _Units], ...]
    #: (most per unit of weight, entries): together every entry holding the word, each tier
    #: bounding what the word adds to its entries' head + BODY_WEIGHT * body
    tiers: tuple[tuple[float, tuple[int, ...]], ...]
    #: the most the word can add to one entry's head + BODY_WEIGHT * body, per unit of weight
    max_impact: float
    #: entries where it weighs most: scored first to find a floor under the third best score
    seeds: tuple[int, ...]
    #: entry -> (unit, strength) pairs, as `Scorer._units_at` lists them: filled as entries are
    #: scored, the one mutable part (the word cache keeps a word for the questions that repeat it;
    #: at most 4,096 words x the entries scored for them; tuples, so readers share them safely)
    at: dict[int, tuple[tuple[int, float], ...]] = field(default_factory=dict, compare=False)


@dataclass
class _Doc:
    loc: Located
    head: list[_Unit]
    body: list[_Unit]
    examples: list[str]
    terms: set[str] = field(default_factory=set)
