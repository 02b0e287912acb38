"""Scoring a question's words against the entries: per word the postings of its own term and of
its character pairs, similarity to the entries' example questions, and a branch-and-bound walk
that scores only the entries that can still reach the third best score (MaxScore over
impact-tiered postings, exact: the same scores as a full scan, issue 15)."""

from __future__ import annotations

import heapq

from rapidfuzz import fuzz, process

from bot.matcher.index import SCAN_FROM_ENTRIES, SEED_ENTRIES, Index
from bot.matcher.model import BIGRAM, BODY_WEIGHT, OTHER_COUNTY, _as_units, _Doc, _Units, _Word
from bot.text import HAN_RUN_RE

#: A runner-up scoring at least this share of the leader's, holding a specific term of the
#: question that the leader lacks, is preferred (`Scorer.prefer_anchored`).
ANCHOR_CLOSE = 0.75


def strength(word: str, terms: frozenset[str] | set[str]) -> float:
    """1 for the word itself; partial credit when most of its character pairs are there
    (so 政协 and 提案 still find 政协提案)."""
    if word in terms:
        return 1.0
    if len(word) == 2 and BIGRAM + word in terms:
        return 0.8  # segmented differently: 日常 inside 日常巡查
    if len(word) >= 3 and HAN_RUN_RE.fullmatch(word):
        grams = [BIGRAM + word[i : i + 2] for i in range(len(word) - 1)]
        hits = sum(g in terms for g in grams)
        if hits >= len(grams) - 1:
            return 0.7 * hits / len(grams)
    return 0.0


class Scorer:
    """Ranks the entries of one index for a question's weighted words (bounded word cache)."""

    def __init__(self, index: Index):
        self.docs = index.docs
        self._curated = index.curated
        self._idf = index.idf
        self._max_idf = index.max_idf
        # the walk's postings and impact tiers (absent for a province's knowledge: scanned)
        self._postings = index.postings or {}
        self._term_reach = index.term_reach or {}
        self._term_top = index.term_top or {}
        self._term_tiers = index.term_tiers or {}
        self._example_owner = index.example_owner
        self._example_unique = index.example_unique
        self._example_positions = index.example_positions
        self._word_cache: dict[str, _Word] = {}
        self._scan = None
        if len(self.docs) >= SCAN_FROM_ENTRIES or index.postings is None:
            from bot.matcher.scan import FullScan

            self._scan = FullScan(index)

    def _word(self, word: str) -> _Word:
        """How a question word is looked up: its own term, and for Han words its character
        pairs (a two-character word found as a pair inside a longer one counts 0.8; a longer
        word missing at most one pair, 0.7 x the share found), as `strength()` scores them.
        No posting list is walked here: entries are looked up one at a time. Memoised."""
        cached = self._word_cache.get(word)
        if cached is not None:
            return cached
        empty: dict[int, _Units] = {}
        exact = self._postings.get(word, empty)
        head, body = self._term_reach.get(word, (0.0, 0.0))
        seeds = self._term_top.get(word, ())
        pair: dict[int, _Units] | None = None
        grams: tuple[dict[int, _Units], ...] = ()
        tiers: list[tuple[float, tuple[int, ...]]] = []

        def add_tiers(term: str, factor: float) -> None:
            """A term's head holders weigh at most factor x its best head weight, its body
            holders at most factor x BODY_WEIGHT (an entry in both is in both tiers)."""
            best_head, in_body = self._term_reach.get(term, (0.0, 0.0))
            head_docs, body_docs = self._term_tiers.get(term, ((), ()))
            tiers.extend([(factor * best_head, head_docs), (factor * BODY_WEIGHT * in_body, body_docs)])

        add_tiers(word, 1.0)
        han = HAN_RUN_RE.fullmatch(word) is not None
        if len(word) == 2 and han:
            pair = self._postings.get(BIGRAM + word, empty)
            ph, pb = self._term_reach.get(BIGRAM + word, (0.0, 0.0))
            head, body = max(head, 0.8 * ph), max(body, 0.8 * pb)
            add_tiers(BIGRAM + word, 0.8)
            seeds = seeds or self._term_top.get(BIGRAM + word, ())
        elif len(word) >= 3 and han:
            names = [BIGRAM + word[k : k + 2] for k in range(len(word) - 1)]
            grams = tuple(self._postings.get(g, empty) for g in names)
            reach = [self._term_reach.get(g, (0.0, 0.0)) for g in names]
            head = max(head, 0.7 * max(r[0] for r in reach))
            body = max(body, 0.7 * max(r[1] for r in reach))
            # An entry misses at most one pair: it holds one of any two, so the two rarest will do.
            rarest = sorted(range(len(names)), key=lambda k: len(grams[k]))[:2]
            for k in rarest:
                add_tiers(names[k], 0.7)
            seeds = seeds or self._term_top.get(names[rarest[0]], ())
        useful = tuple(t for t in tiers if t[0] > 0 and t[1])
        cached = _Word(exact, pair, grams, useful, head + BODY_WEIGHT * body, seeds)
        if len(self._word_cache) >= 4096:
            self._word_cache.clear()
        self._word_cache[word] = cached
        return cached

    @staticmethod
    def _units_at(w: _Word, i: int) -> tuple[tuple[int, float], ...]:
        """(unit, strength) for every unit of entry `i` holding the word, exact hits first."""
        done = w.at.get(i)
        if done is not None:
            return done
        exact = _as_units(w.exact.get(i, ()))
        out = [(u, 1.0) for u in exact]
        if w.pair is not None:
            out += [(u, 0.8) for u in _as_units(w.pair.get(i, ())) if u not in exact]
        elif w.grams:
            hits: dict[int, int] = {}
            for g in w.grams:
                for u in _as_units(g.get(i, ())):
                    hits[u] = hits.get(u, 0) + 1
            need = len(w.grams) - 1
            out += [(u, 0.7 * n / len(w.grams)) for u, n in hits.items() if n >= need and u not in exact]
        done = w.at[i] = tuple(out) if out else ()
        return done

    def _fuzzy(self, words: list[str]) -> dict[int, float]:
        """Entry -> best similarity of one of its example questions (the 40 most similar
        examples, ties by position). Each distinct example string is compared once: copies of
        one department's questions across a province cost one comparison, not one per copy."""
        # Examples are stored as sorted, space-joined words, so plain ratio is token_sort_ratio.
        query_joined = " ".join(sorted(words))
        hits = process.extract(
            query_joined, self._example_unique, scorer=fuzz.ratio, limit=None, score_cutoff=40
        )
        fuzzy: dict[int, float] = {}
        left = 40
        # `extract` returns the hits best first: take them a similarity level at a time (ties by
        # position) and stop once 40 examples are taken, without grouping the rest.
        i, n = 0, len(hits)
        while i < n and left:
            sim = hits[i][1]
            j = i + 1
            while j < n and hits[j][1] == sim:
                j += 1
            positions = (
                self._example_positions[hits[i][2]]
                if j == i + 1
                else sorted(p for _ex, _s, u in hits[i:j] for p in self._example_positions[u])
            )
            for p in positions[:left]:
                owner = self._example_owner[p]
                if sim > fuzzy.get(owner, 0.0):
                    fuzzy[owner] = sim
            left -= min(left, len(positions))
            i = j
        return fuzzy

    def score(
        self, words: list[str], weights: list[float], department: str | None = None
    ) -> list[tuple[int, float, float]]:
        """(doc index, score 0..100, coverage 0..1), best first.

        Per word, an entry explains it by its best head field (title, keywords, questions) or by
        its best body passage: one passage must explain the question, not scattered words.

        Branch and bound over an upper bound of each entry's score (explained <= head + body,
        coverage factor <= 1), best bound first, stopping once the bound falls below the third
        best score: the entries scored are exactly those whose bound reaches the third best
        score. Candidate generation is MaxScore-style, so that the work does not grow with the
        knowledge: a few impact-ordered entries of the weightiest words are scored first, and
        their third best score is a floor; a word whose best possible contribution (with every
        lighter word's) stays below it cannot bring in an entry on its own, so only the entries
        of the heavier words and of the example-question matches are considered."""
        if self._scan is not None:
            return self._scan.score(words, weights, self._fuzzy(words), department)
        total = sum(weights) or 1.0
        n = len(words)
        found = [self._word(w) for w in words]
        fuzzy = self._fuzzy(words)
        evaluated: dict[int, tuple[float, float, float]] = {}

        def evaluate(i: int) -> tuple[float, float, float]:
            """(bound, score, coverage); the arithmetic in the same order as a full scan, so
            that scores and ties are bit-for-bit the same."""
            done = evaluated.get(i)
            if done is not None:
                return done
            doc = self.docs[i]
            n_head = len(doc.head)
            explained = [0.0] * n
            in_head = False
            mass: dict[int, float] = {}
            body_at: list[list[tuple[int, float]]] = []
            for j, w in enumerate(found):
                body_units = []
                for u, strength in self._units_at(w, i):
                    if u < n_head:
                        value = doc.head[u].weight * strength
                        in_head = True
                        if value > explained[j]:
                            explained[j] = value
                    else:
                        body_units.append((u, strength))
                        mass[u] = mass.get(u, 0.0) + weights[j] * strength
                body_at.append(body_units)
            head_mass = sum(w * e for w, e in zip(weights, explained, strict=True)) if in_head else 0.0
            unit = None
            for u, m in mass.items():
                if unit is None or m > mass[unit]:
                    unit = u
            body = mass[unit] * BODY_WEIGHT if unit is not None else 0.0
            sim = fuzzy.get(i, 0.0)
            ub = 65.0 * min(1.0, (head_mass + body) / total) + 0.35 * sim
            if unit is not None:
                for j, body_units in enumerate(body_at):
                    for u, strength in body_units:
                        if u == unit:
                            value = BODY_WEIGHT * strength
                            if value > explained[j]:
                                explained[j] = value
                            break
            lexical = sum(w * e for w, e in zip(weights, explained, strict=True)) / total
            coverage = sum(w for w, e in zip(weights, explained, strict=True) if e > 0.5) / total
            score = (65.0 * lexical + 0.35 * sim) * (0.6 + 0.4 * coverage)
            if doc.loc.kind == "chat":
                score *= coverage  # small talk must be what the whole message is about
            elif department and doc.loc.department and doc.loc.department.id != department:
                score *= OTHER_COUNTY
            evaluated[i] = done = (ub, score, coverage)
            return done

        # A floor under the third best score: the strongest entries of the weightiest words.
        by_reach = sorted(range(n), key=lambda j: (weights[j] * found[j].max_impact, -j))
        seeds = {i for j in by_reach[-2:] for i in found[j].seeds}
        seeds.update(sorted(fuzzy, key=lambda i: (-fuzzy[i], i))[:SEED_ENTRIES])
        floor_scores = sorted((s for s in (evaluate(i)[1] for i in seeds) if s > 0), reverse=True)
        floor = floor_scores[2] if len(floor_scores) >= 3 else 0.0
        # Light tiers (lightest first) whose combined most stays below the floor cannot bring in
        # an entry on their own: never walked. Every other entry gets an upper bound from the
        # heavy tiers it is in; scored best bound first, raising the floor, until the bound
        # falls below the floor.
        scale = 65.0 / total
        tiers = sorted(
            ((scale * weights[j] * most, docs) for j in range(n) for most, docs in found[j].tiers),
            key=lambda t: t[0],
        )
        light, room = 0, 0.0
        if floor > 0:
            for most, _docs in tiers:
                if room + most >= floor * (1 - 1e-9) - 1e-9:
                    break
                room += most
                light += 1
        reach: dict[int, float] = {i: room + 0.35 * sim for i, sim in fuzzy.items()}
        for most, docs in tiers[light:]:
            for i in docs:
                reach[i] = reach.get(i, room) + most
        floor_heap = floor_scores[:3]
        heapq.heapify(floor_heap)
        margin = 1e-9
        for i in sorted((i for i in reach if reach[i] >= floor - margin), key=lambda i: -reach[i]):
            if len(floor_heap) >= 3 and reach[i] < floor_heap[0] - margin:
                break
            if i in seeds:
                continue  # already counted in the floor
            score = evaluate(i)[1]
            if score > 0:
                if len(floor_heap) < 3:
                    heapq.heappush(floor_heap, score)
                elif score > floor_heap[0]:
                    heapq.heapreplace(floor_heap, score)
        candidates = sorted(((ub, i) for i, (ub, _, _) in evaluated.items()), reverse=True)
        results: list[tuple[int, float, float]] = []
        best3: list[float] = []  # min-heap of the three best scores so far
        for ub, i in candidates:
            if len(best3) >= 3 and ub < best3[0]:
                break
            _, score, coverage = evaluate(i)
            if score > 0:
                results.append((i, score, coverage))
                if len(best3) < 3:
                    heapq.heappush(best3, score)
                elif score > best3[0]:
                    heapq.heapreplace(best3, score)
        results.sort(key=lambda r: (-r[1], r[0]))
        return results

    def anchored(self, words: list[str], doc: _Doc) -> bool:
        """The question names one of this entry's own specific terms (异地查档, 人防宣传月):
        then a stray word from another field (身份证 in "异地查档要带身份证吗") is no reason to
        decline."""
        floor = 0.8 * self._max_idf
        return any(
            len(w) >= 3
            and w in self._curated
            and self._idf.get(w, 0) >= floor
            and any(w in u.terms for u in doc.head)
            for w in words
        )

    def prefer_anchored(
        self,
        words: list[str],
        normalized: str,
        scored: list[tuple[int, float, float]],
        department: str | None = None,
    ) -> list[tuple[int, float, float]]:
        """A close runner-up whose own specific term the resident wrote (规范性文件, 人防工程) is
        the better answer than a leader that only shares the question's general words (乡里, 审):
        the term names the topic; the general words could belong to many entries. Not another
        county's entry when the question names one ("湘阴档案局档案日搞么子活动" is 湘阴's)."""
        if len(scored) < 2:
            return scored
        own = [w for w in words if w in normalized]
        if not own or self.anchored(own, self.docs[scored[0][0]]):
            return scored
        for k in (1, 2)[: len(scored) - 1]:
            if scored[k][1] < ANCHOR_CLOSE * scored[0][1]:
                break
            loc = self.docs[scored[k][0]].loc
            if department and loc.department and loc.department.id != department:
                continue
            if self.anchored(own, self.docs[scored[k][0]]):
                return [scored[k]] + scored[:k] + scored[k + 1 :]
        return scored
