"""Example questions of an entry, whether administrators wrote them or staff attached them from
the review queue (`citizen-bot knowledge review --attach`; the file does not tell them apart): a
question that repeats one nearly word for word is answered by that entry, even when it also names
another office's business. The example is the office's own ruling on exactly this wording
("医院的病历档案谁指导" is the archive's guidance duty, not the hospital's); referral words are only
a guess about it."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from bot.matcher.index import Index
from bot.matcher.model import Candidate, MatchResult

#: The note of an answer by an example question (the clear pick leaves it: `bot.matcher.clear_pick`).
ATTACHED = "attached example"
#: Similarity (token sort ratio, 0..100) from which a question counts as the example itself.
CLOSE_EXAMPLE = 90.0
#: ... and fewer words than this on either side do not count (two words match too easily).
MIN_WORDS = 3


class AttachedExamples:
    """Finds the entry whose example question a question repeats (one knowledge version)."""

    def __init__(self, index: Index):
        self._docs = index.docs
        self._owner = index.example_owner
        self._unique = index.example_unique
        self._positions = index.example_positions
        self._departments = [d.loc.department.id if d.loc.department else None for d in index.docs]

    def entry_for(self, words: list[str], department: str | None = None) -> int | None:
        """The entry (doc index) whose example question `words` repeat, or None when none does
        or the closest example belongs to several entries that the department does not tell apart."""
        if len(words) < MIN_WORDS or not self._unique:
            return None
        hit = process.extractOne(
            " ".join(sorted(words)), self._unique, scorer=fuzz.ratio, score_cutoff=CLOSE_EXAMPLE
        )
        if hit is None:
            return None
        _text, _sim, u = hit
        owners = sorted({self._owner[p] for p in self._positions[u]})
        if len(owners) > 1 and department:
            owners = [i for i in owners if self._departments[i] == department]
        return owners[0] if len(owners) == 1 else None

    def answer(
        self, text: str, normalized: str, words: list[str], notes: list[str], department: str | None
    ) -> MatchResult | None:
        """The answer by the entry whose example question the question repeats, if any."""
        i = self.entry_for(words, department)
        if i is None:
            return None
        loc = self._docs[i].loc
        top = [Candidate(loc.id, loc.title, 100.0)]
        return MatchResult(text, normalized, "answer", top, tuple(words), 1.0, (*notes, ATTACHED))
