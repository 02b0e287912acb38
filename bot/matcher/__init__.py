"""Find the knowledge entry a resident's question is about, or say honestly that none is.

Pipeline: normalise (width, traditional, punctuation) -> repair pinyin and homophones against
the knowledge's own vocabulary -> add official terms for colloquial words -> segment with
jieba (user dictionary built from the knowledge) -> score entries with an idf-weighted field
overlap (BM25-like) plus rapidfuzz similarity to their example questions -> decide between
answering, suggesting the top three, and declining.

Scale (issue 15): for a county, only entries that can still reach the third best score are scored
(MaxScore over impact-tiered postings, exact: the same scores as a full scan); from
`SCAN_FROM_ENTRIES` on (a province), every entry is scored at once over numpy arrays with the
same arithmetic (``scan``), and the postings are kept packed; everything derived from
the knowledge texts by segmentation is cached on disk (`cache._index_key`), so a restart or a
/reload of unchanged knowledge does not segment a province's texts again.

Declining is a feature: a question about ID cards or the weather must get "not this office's
business", never the least-bad entry (see `decide`).

One module per step, each readable alone:

- ``wordlists``       stopwords, question scaffolding, courtesy clauses (word lists, not sentences)
- ``model``           ``Candidate``, ``MatchResult``, ``Intent``; the index's units and docs; field weights
- ``tokens``          the jieba tokenizer, the words added to it, the cache folder (``CACHE_ENV``)
- ``jieba_words``     jieba's dictionary as a marisa trie (3 MB, not 53) and the DAG read from it
- ``index``           ``IndexBuilder`` (vocabulary, docs, postings, impact tiers, pinyin keys), ``Index``
- ``parallel_build``  a province's entries segmented by two processes at once
- ``vocabulary``      the office's own vocabulary beyond the administrators' words (shared pairs and parts)
- ``cache``           the built index on disk (marshal, atomic, keyed by a hash of knowledge and code)
- ``referral_words``  another office's business named in a question, and its referral entry
- ``homophones``      ``Homophones``: look-alikes read by sound (查挡 -> 查档, 人房工程 -> 人防工程)
- ``analysis``        ``Analyser``: repair (English, pinyin, homophones, synonyms), words and weights, focus
- ``scoring``         ``Scorer``: postings walk, upper bounds, scores and coverage, ``strength``
- ``scan``            ``FullScan``: the same scores for every entry at once, over arrays (a province)
- ``chat_patterns``   ``ChatPatterns``: small talk recognised by chat.yaml's patterns
- ``decide``          ``Decider``: answer / suggest / decline, referrals, contact, per-clause retry
- ``offices``         ``NamedOffice`` (twin rules), ``CountyByDialect`` (its words), ``OwnUnits`` (spoken to)
- ``attached``        ``AttachedExamples``: an example question the resident repeats outweighs referral words
- ``story``           the resident's story, set aside by ``focus``, without self-introductions
- ``unknown_topic``   ``UnknownTopic``: a topic nothing here knows, referred to the 12345 catch-all
- ``county_offices``  ``CountyOffices``: a county asked about a kind of office only another county publishes
- ``neighbours``      ``Neighbours``: the labelled questions most like a question (char n-gram tf-idf, numpy)
- ``combiner``        ``Evidence`` and the model weighing the matcher against them (``combiner_weights``)
- ``second_opinion``  ``SecondOpinion``: settles a weak reading by that model, within the rules' guards
- ``clear_pick``      the labelled questions' linear model replaces any reading it clearly disagrees with
- ``facade``          ``Matcher`` composing the above; ``matcher_for`` (one per knowledge object)
"""

from __future__ import annotations

import tempfile  # noqa: F401 - tests patch bot.matcher.tempfile.mkstemp: the module the cache files are written with

from bot.matcher.cache import INDEX_FILES_KEPT, INDEX_FORMAT, _index_key, _read_index, _write_index
from bot.matcher.decide import (
    CLAUSE_ALONE_SHARE,
    CLEAR_LEAD_COVERAGE,
    CLEAR_LEAD_RATIO,
    CLEAR_LEAD_SCORE,
    SUGGEST_FLOOR,
)
from bot.matcher.facade import _BUILD_LOCK, _MATCHERS, Matcher, matcher_for
from bot.matcher.index import SEED_ENTRIES
from bot.matcher.model import BIGRAM, BODY_WEIGHT, HEAD_WEIGHTS, Candidate, Intent, MatchResult
from bot.matcher.scoring import strength
from bot.matcher.tokens import CACHE_ENV, _cache_dir, tokenizer
from bot.matcher.wordlists import (
    ASKING,
    ASKS_NUMBER,
    COURTESY_CLAUSE,
    ENGLISH_STOPWORDS,
    FUNCTION_CHARS,
    LEADING_COURTESY,
    SCAFFOLD_WORDS,
    STOPWORDS,
)

__all__ = [
    "ASKING",
    "ASKS_NUMBER",
    "BIGRAM",
    "BODY_WEIGHT",
    "CACHE_ENV",
    "CLAUSE_ALONE_SHARE",
    "CLEAR_LEAD_COVERAGE",
    "CLEAR_LEAD_RATIO",
    "CLEAR_LEAD_SCORE",
    "COURTESY_CLAUSE",
    "ENGLISH_STOPWORDS",
    "FUNCTION_CHARS",
    "HEAD_WEIGHTS",
    "INDEX_FILES_KEPT",
    "INDEX_FORMAT",
    "LEADING_COURTESY",
    "SCAFFOLD_WORDS",
    "SEED_ENTRIES",
    "STOPWORDS",
    "SUGGEST_FLOOR",
    "Candidate",
    "Intent",
    "MatchResult",
    "Matcher",
    "_BUILD_LOCK",
    "_MATCHERS",
    "_cache_dir",
    "_index_key",
    "_read_index",
    "_write_index",
    "matcher_for",
    "strength",
    "tokenizer",
]
