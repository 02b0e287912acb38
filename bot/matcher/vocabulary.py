"""This office's own vocabulary beyond the administrators' words themselves: the character pairs
many of those words share (档案, 人防, 公开, 政府, 警报 …) and the rare parts two of them share
(防灾 in 防灾知识, 防灾演练). The decision reads it to tell an unsure question about our business
from one about a topic nothing here knows (the catch-all referral). Derived from the curated
words and the idf once per knowledge version and kept in the index cache: at a province's size
the substrings of every curated word take a noticeable part of a second to count."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from bot.text import HAN_RUN_RE

#: A character pair inside at least this many of the administrators' own words (keywords,
#: titles, offices, synonyms) is this office's vocabulary.
CORE_MIN = 15
#: A part of two or more administrators' words that the knowledge texts rarely use (idf at
#: least this share of the highest) is a topic of ours too.
OWN_PART_IDF = 0.8


def own_vocabulary(
    curated: Iterable[str], idf: dict[str, float], max_idf: float
) -> tuple[list[str], list[str]]:
    """(core pairs, own parts), sorted: plain lists for the marshal cache."""
    words = list(curated)
    pairs: Counter[str] = Counter()
    parts: Counter[str] = Counter()
    for w in words:
        pairs.update({w[i : i + 2] for i in range(len(w) - 1)})
        parts.update({w[i:j] for i in range(len(w)) for j in range(i + 2, len(w) + 1) if j - i < len(w)})
    core = sorted(p for p, n in pairs.items() if n >= CORE_MIN and HAN_RUN_RE.fullmatch(p))
    rare = OWN_PART_IDF * max_idf
    own = sorted(p for p, n in parts.items() if n >= 2 and idf.get(p, 0.0) >= rare)
    return core, own
