"""The knowledge as the scorer reads it: per entry its head fields' and body passages' terms,
the postings (term -> entries -> units), idf, impact tiers, the vocabulary and its pinyin keys,
and the example questions compared by similarity.

`IndexBuilder` derives everything that needs segmentation, as plain data (what the on-disk cache
holds, see `cache`); `Index` is that data loaded for answering."""

from __future__ import annotations

import heapq
import math
import sys
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from bot.jieba_import import jieba
from bot.knowledge import ChatIntent, Duty, Knowledge, Located, Policy, Service
from bot.matcher.model import (
    BODY_WEIGHT,
    HEAD_WEIGHTS,
    _as_units,
    _Doc,
    _Postings,
    _Tiers,
    _Top,
    _Unit,
    _with_grams,
)
from bot.matcher.parallel_build import segmented
from bot.matcher.tokens import add_words, content_words
from bot.matcher.vocabulary import own_vocabulary
from bot.passages import policy_passages
from bot.text import HAN_RUN_RE, fuzzy_pinyin_key, normalize, pinyin_key

#: Entries per heavy word scored up front to find a floor under the third best score.
SEED_ENTRIES = 8
#: From this many entries on, every entry is scored at once over arrays (`scan.FullScan`):
#: near-identical copies across a province defeat the walk's bounds. The index then holds its
#: postings packed only (a province's postings as dicts took 150 MB); a county's knowledge is
#: cheaper in plain Python, and keeps numpy out of the bot. At 10x (520 entries) the walk's p99
#: was 17 ms and the scan's 4.7 ms (bench/scale.py), hence a few hundred, not a thousand.
SCAN_FROM_ENTRIES = 300


def _head_fields(loc: Located) -> dict[str, list[str]]:
    e = loc.entry
    if isinstance(e, ChatIntent):
        return {"title": [e.title], "keywords": [], "questions": list(e.phrases)}
    return {"title": [e.title], "keywords": list(e.keywords), "questions": list(e.questions)}


def _body_units(loc: Located) -> list[list[str]]:
    """Duties and services are short: one unit. A policy is many passages: a question must be
    answered by one passage, not by words scattered over an eleven-part rule."""
    e = loc.entry
    if isinstance(e, Duty):
        return [[e.text] + [r.item for r in e.rows] + [r.office for r in e.rows if r.office]]
    if isinstance(e, Service):
        return [[e.content, e.office] + list(e.notes)]
    if isinstance(e, Policy):
        return [[p.heading, p.text, e.office] for p in policy_passages(e)]
    return []


def _offices(loc: Located) -> list[str]:
    e = loc.entry
    if isinstance(e, Duty):
        return [r.office for r in e.rows if r.office]
    if isinstance(e, Service | Policy):
        return [e.office] if e.office else []
    return []


def joined_words(tok: jieba.Tokenizer, text: str) -> str:
    """An example question as sorted, space-joined words (plain ratio is then token_sort_ratio)."""
    return " ".join(sorted(content_words(tok, normalize(text))))


def _example_lists(docs: list[_Doc]) -> tuple[list[int], list[str], list[str], list[list[int]]]:
    """Every example question's entry and text; the distinct texts (first-seen order) and where
    each occurs among all (identical questions are compared once)."""
    owner: list[int] = []
    strings: list[str] = []
    for i, doc in enumerate(docs):
        owner += [i] * len(doc.examples)
        strings += doc.examples
    unique: list[str] = []
    positions: list[list[int]] = []
    seen: dict[str, int] = {}
    for p, ex in enumerate(strings):
        u = seen.setdefault(ex, len(seen))
        if u == len(unique):
            unique.append(ex)
            positions.append([])
        positions[u].append(p)
    return owner, strings, unique, positions


#: An entry's head units (terms, weight), body units' terms and example questions.
_PlainDoc = tuple[list[tuple[frozenset[str], float]], list[frozenset[str]], list[str]]


def _doc_of(loc: Located, plain: _PlainDoc) -> _Doc:
    head, body, examples = plain
    units = [_Unit(terms, weight) for terms, weight in head] + [_Unit(terms, BODY_WEIGHT) for terms in body]
    all_terms = set().union(*(u.terms for u in units))
    return _Doc(loc=loc, head=units[: len(head)], body=units[len(head) :], examples=examples, terms=all_terms)


class IndexBuilder:
    """Segments the knowledge texts once into the plain data `Index` loads."""

    def __init__(
        self,
        knowledge: Knowledge,
        tok: jieba.Tokenizer,
        synonyms: dict[str, str],
        referral_words: Iterable[str],
    ):
        self.knowledge = knowledge
        self.tok = tok
        self.synonyms = synonyms
        self.referral_words = referral_words
        self.docs: list[_Doc] = []
        self._vocab: set[str] = set()
        self._build_memo: dict[str, list[str]] = {}
        self._joined_memo: dict[str, str] = {}

    def build(self) -> dict[str, Any]:
        """Everything derived from the knowledge texts by segmentation: what the on-disk cache
        holds (plain types only, so it is read with marshal, which runs no code)."""
        self._vocab = self._build_vocabulary()
        curated = sorted(self._vocab, key=lambda w: (len(w), w))
        add_words(self.tok, curated)
        # One entry at a time into the postings; its passages' term sets are then dropped, so
        # that a province's knowledge is built without holding them all at once.
        no_terms = _Unit(frozenset(), BODY_WEIGHT)
        self._build_memo, self._joined_memo = {}, {}
        entries = self.knowledge.entries()
        walk = len(entries) < SCAN_FROM_ENTRIES
        grouped: _Postings = {}
        packed: dict[str, array[int]] = {}
        df: Counter[str] = Counter()
        self.docs = []
        first_unit = 0
        for i, (loc, plain) in enumerate(zip(entries, segmented(entries, self._segment), strict=True)):
            doc = _doc_of(loc, plain)
            for u, unit in enumerate(doc.head + doc.body):
                for term in unit.terms:
                    if walk:
                        slot = grouped.setdefault(term, {})
                        prev = slot.get(i)
                        # A lone unit is stored as the bare (small, shared) int: most postings are one.
                        slot[i] = u if prev is None else (prev, u) if type(prev) is int else (*prev, u)
                    else:
                        held = packed.get(term)
                        if held is None:
                            held = packed[term] = array("i")
                        held.append(first_unit + u)
            first_unit += len(doc.head) + len(doc.body)
            df.update(doc.terms)
            doc.body, doc.terms = [no_terms] * len(doc.body), set()
            self.docs.append(doc)
        self._build_memo, self._joined_memo = {}, {}
        n = len(self.docs)
        idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        known_terms = set(grouped or packed)
        self._vocab |= {t for t in known_terms if len(t) >= 2 and HAN_RUN_RE.fullmatch(t)}
        for intent in self.knowledge.chat.intents:
            self._vocab |= {p for p in map(normalize, intent.phrases) if HAN_RUN_RE.fullmatch(p)}
        # Referral words join the pinyin index (gongjijin -> 公积金) but not the scoring.
        self._vocab |= {w for w in self.referral_words if len(w) >= 2 and HAN_RUN_RE.fullmatch(w)}
        postings, reach, top, tiers = self._build_postings(grouped) if walk else (None, None, None, None)
        unit_ids = None if walk else {term: held.tobytes() for term, held in packed.items()}
        core, own_parts = own_vocabulary(curated, idf, max(idf.values(), default=1.0))
        return {
            "curated": curated,
            "core": core,
            "own_parts": own_parts,
            # in the shape `Index` keeps them (frozensets, the example lists), so that loading
            # the cache is no loop over a province's entries but unmarshalling
            "docs": [
                (d.loc.id, [(u.terms, u.weight) for u in d.head], len(d.body), d.examples) for d in self.docs
            ],
            "examples": _example_lists(self.docs),
            "idf": idf,
            "postings": postings,
            "reach": reach,
            "top": top,
            "tiers": tiers,
            "unit_ids": unit_ids,
            "vocab": sorted(self._vocab),
            "pinyin": self._build_pinyin_index(pinyin_key),
            "fuzzy_pinyin": self._build_pinyin_index(fuzzy_pinyin_key),
        }

    def _build_vocabulary(self) -> set[str]:
        vocab: set[str] = set()
        for loc in self.knowledge.entries():
            e = loc.entry
            if len(e.title) <= 12:
                vocab.add(normalize(e.title))
            for kw in getattr(e, "keywords", []):
                vocab.add(normalize(kw))
            for office in _offices(loc):
                vocab.add(normalize(office))
        for word, official in self.synonyms.items():
            vocab.update((word, official))
        return {w.replace(" ", "") for w in vocab if w and " " not in w.strip()}

    def _build_pinyin_index(self, key: Callable[[str], str]) -> dict[str, str]:
        index: dict[str, str] = {}
        for word in sorted(self._vocab, key=lambda w: (-len(w), w)):
            if len(word) >= 2 and HAN_RUN_RE.fullmatch(word):
                index.setdefault(key(word), word)
        return index

    def _segment(self, loc: Located) -> _PlainDoc:
        """One entry's segmented fields as plain data: `parallel_build` may compute it in
        another process (marshal keeps the terms interned)."""
        head = []
        examples = []
        for name, texts in _head_fields(loc).items():
            terms = frozenset(sys.intern(t) for text in texts for t in self._build_terms(text))
            if terms:
                head.append((terms, HEAD_WEIGHTS[name]))
            if name in ("title", "questions"):
                examples += [self._joined(text) for text in texts]
        body = []
        for texts in _body_units(loc):
            terms = frozenset(sys.intern(t) for text in texts if text for t in self._build_terms(text))
            if terms:
                body.append(terms)
        return head, body, examples

    def _joined(self, text: str) -> str:
        """`joined_words`, once per distinct text: a province's departments share their titles
        and example questions (每个县都有"政府信息公开怎么申请")."""
        got = self._joined_memo.get(text)
        if got is None:
            got = self._joined_memo[text] = joined_words(self.tok, text)
        return got

    def _build_terms(self, text: str) -> list[str]:
        """`terms(normalize(text))` while building, segmenting each space-separated piece once:
        jieba cuts such pieces independently, and departments repeat offices, notes, rows and
        clauses."""
        memo = self._build_memo
        words: list[str] = []
        for piece in normalize(text).split(" "):
            got = memo.get(piece)
            if got is None:
                got = memo[piece] = content_words(self.tok, piece)
            words += got
        return _with_grams(words)

    def _build_postings(
        self, postings: _Postings
    ) -> tuple[_Postings, dict[str, tuple[float, float]], _Top, _Tiers]:
        """term -> entry -> its units holding the term (head units 0.., then body units); per
        term the most it can weigh in one entry (best head weight, 1.0 if in a body passage);
        per term the entries where it weighs most (impact order), to seed the score floor; and
        per term the entries holding it in a head field and in a body passage (impact tiers:
        a common word found only in passages can weigh little, and is then never walked)."""
        reach: dict[str, tuple[float, float]] = {}
        top: _Top = {}
        tiers: _Tiers = {}
        for term, by_doc in postings.items():
            impact: dict[int, float] = {}
            best_head = in_body = 0.0
            head_docs, body_docs = [], []
            for i, held in by_doc.items():
                units = _as_units(held)
                head = self.docs[i].head
                hw = max((head[u].weight for u in units if u < len(head)), default=0.0)
                body = 1.0 if units[-1] >= len(head) else 0.0
                best_head, in_body = max(best_head, hw), max(in_body, body)
                impact[i] = hw + BODY_WEIGHT * body
                if hw:
                    head_docs.append(i)
                if body:
                    body_docs.append(i)
            reach[term] = (best_head, in_body)
            tiers[term] = (tuple(head_docs), tuple(body_docs))
            top[term] = tuple(heapq.nsmallest(SEED_ENTRIES, impact, key=lambda i: (-impact[i], i)))
        return postings, reach, top, tiers


class Index:
    """The built (or cache-read) data, loaded for answering; read-only once made."""

    def __init__(self, entries: list[Located], data: dict[str, Any]):
        #: Words administrators chose (keywords, titles, offices, synonyms): always meaningful.
        self.curated = frozenset(data["curated"])
        #: The office's vocabulary beyond the curated words (`bot.matcher.vocabulary`).
        self.core = frozenset(data["core"])
        self.own_parts = frozenset(data["own_parts"])
        # Body passages' terms live in the postings only (a province's worth of per-passage sets
        # would double the memory); head fields keep theirs for the scorer's `anchored`.
        no_terms = _Unit(frozenset(), BODY_WEIGHT)
        self.docs = [
            _Doc(loc=loc, head=[_Unit(t, w) for t, w in head], body=[no_terms] * n_body, examples=examples)
            for loc, (_id, head, n_body, examples) in zip(entries, data["docs"], strict=True)
        ]
        self.idf: dict[str, float] = data["idf"]
        self.max_idf = max(self.idf.values(), default=1.0)
        #: What the Python walk reads (None for a province's knowledge: see SCAN_FROM_ENTRIES).
        self.postings: _Postings | None = data["postings"]
        self.term_reach: dict[str, tuple[float, float]] | None = data["reach"]
        self.term_top: dict[str, tuple[int, ...]] | None = data["top"]
        self.term_tiers: _Tiers | None = data["tiers"]
        self._unit_ids: dict[str, bytes] | None = data["unit_ids"]
        self._unit_starts: list[int] | None = None  # entry -> its first unit number (`holds`)
        self.known_terms: set[str] = set(self.postings if self.postings is not None else self._unit_ids or ())
        self.vocab: set[str] = set(data["vocab"])
        self.pinyin_terms: dict[str, str] = data["pinyin"]
        self.fuzzy_pinyin_terms: dict[str, str] = data["fuzzy_pinyin"]
        #: Longest pinyin key: lookup tries prefixes up to this length only.
        self.longest_pinyin = max(map(len, self.pinyin_terms), default=0)
        #: Per example question its entry and text; the distinct texts (first-seen order) and
        #: where each occurs in example_strings.
        owner, strings, unique, positions = data["examples"]
        self.example_owner: list[int] = owner
        self.example_strings: list[str] = strings
        self.example_unique: list[str] = unique
        self.example_positions: list[list[int]] = positions

    def holds(self, term: str, i: int) -> bool:
        """Whether entry `i` holds the term in any of its fields, in either form of the postings
        (the decision asks this of a few words of an unsure question)."""
        if self.postings is not None:
            held = self.postings.get(term)
            return held is not None and i in held
        packed = (self._unit_ids or {}).get(term)
        if packed is None:
            return False
        if self._unit_starts is None:
            starts, at = [], 0
            for doc in self.docs:
                starts.append(at)
                at += len(doc.head) + len(doc.body)
            self._unit_starts = starts + [at]
        units = memoryview(packed).cast("i")  # ascending unit numbers
        first = bisect_left(units, self._unit_starts[i])
        return first < len(units) and units[first] < self._unit_starts[i + 1]

    @property
    def unit_ids(self) -> dict[str, bytes]:
        """term -> the units holding it, numbered across all entries (each entry's head units,
        then its body units) in ascending order, packed as 32-bit ints: what `scan.FullScan`
        reads. Derived from the postings when the index was built for the walk."""
        if self._unit_ids is None:
            assert self.postings is not None
            starts, at = [], 0
            for doc in self.docs:
                starts.append(at)
                at += len(doc.head) + len(doc.body)
            self._unit_ids = {
                term: array("i", [starts[i] + u for i, at in by_doc.items() for u in _as_units(at)]).tobytes()
                for term, by_doc in self.postings.items()
            }
        return self._unit_ids
