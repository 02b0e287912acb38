"""Find the knowledge entry a resident's question is about, or say honestly that none is.

Pipeline: normalise (width, traditional, punctuation) -> repair pinyin and homophones against
the knowledge's own vocabulary -> add official terms for colloquial words -> segment with
jieba (user dictionary built from the knowledge) -> score entries with an idf-weighted field
overlap (BM25-like) plus rapidfuzz similarity to their example questions -> decide between
answering, suggesting the top three, and declining.

Scale (issue 15): only entries that can still reach the third best score are scored (MaxScore
over impact-tiered postings, exact: the same scores as a full scan), and everything derived from
the knowledge texts by segmentation is cached on disk (`_index_key`), so a restart or a /reload
of unchanged knowledge does not segment a province's texts again.

Declining is a feature: a question about ID cards or the weather must get "not this office's
business", never the least-bad entry. The decision therefore looks not only at the best score
but at how much of the question the best entry actually explains (coverage).
"""

from __future__ import annotations

import hashlib
import heapq
import logging
import marshal
import math
import os
import re
import sys
import tempfile
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import jieba
from rapidfuzz import fuzz, process

from bot import pos
from bot.knowledge import ChatIntent, Duty, Knowledge, Located, Policy, Service
from bot.passages import policy_passages
from bot.text import (
    HAN_RUN_RE,
    fuzzy_pinyin_key,
    fuzzy_syllable,
    looks_like_pinyin,
    normalize,
    pinyin_key,
    pinyin_syllables,
)

log = logging.getLogger(__name__)

Intent = Literal["answer", "suggest", "decline"]

#: Function words and question scaffolding: they say how something is asked, not what about.
STOPWORDS = frozenset(
    """
    的 了 吗 呢 吧 啊 呀 哦 嘛 么 是 在 有 和 与 及 或 我 你 您 他 她 它 我们 你们 他们 咱 这 那 这个 那个
    哪 哪个 哪些 哪里 哪儿 什么 怎么 怎样 怎么样 如何 为什么 谁 几 多少 吗 请问 请 想 要 想要 能 能不能 可以
    可不可以 会 会不会 该 应该 需要 一下 一个 个 些 都 也 还 就 才 又 再 很 太 最 给 把 被 让 对 向 从 到 跟
    去 来 找 问 问下 问问 下 上 里 中 后 前 时候 现在 今天 明天 吗 没 没有 不 是不是 有没有 得 地 着 过 啥 咋
    干啥 么样 知道 告诉 帮 帮我 一般 平时 具体 相关 方面 情况 问题 事 事情 东西 办 管 负责 归 该找 找谁
    """.split()
)

#: Query words that ask for a quantity or a date: the answer passage should contain one.
ASKS_NUMBER = re.compile(
    r"多少|几[次个天年月分元万]|多久|多长|频率|标准|比例|金额|几号|什么时候|何时|截止|期限|哪天"
)

BIGRAM = "§"

#: English question scaffolding, dropped once a bilingual term has been found.
ENGLISH_STOPWORDS = frozenset(
    """
    what whats what's how can could i i'm the a an of to for is are do does you your me my who where when
    there it s please need want from about in on at get today happened this that with by we our us
    would like know tell which will be
    """.split()
)

#: Clauses that introduce the resident or are courtesy: they say who asks, not what about.
COURTESY_CLAUSE = re.compile(
    r"^(您好|你好|同志你?好|领导好?|老师好?|打扰了?|不好意思|麻烦了?|谢谢|感谢|多谢|请问|麻烦问一下|问一下|"
    r"打扰一下|辛苦了?|劳驾|哈|嗯|哦)+(啊|呀|哈)?$"
    r"|^(我|俺|本人|我们|俺们)(是|叫|姓|家住|住在|今年|在)"
    r"|今年.{0,4}(岁|十|有)|退休|身体(还|挺|不)|闲着|不太会(打字|用)"
)
LEADING_COURTESY = re.compile(r"^(您好|你好|请问|麻烦问一下|麻烦|打扰一下|打扰了|同志|领导|哈)+")
ASKING = re.compile(r"吗|么|呢|不$|没$|怎|咋|哪|谁|啥|什么|如何|能否|能不能|可不可以|可以|多少|几|要|想")

#: Characters of question scaffolding; a "typo" containing one is usually no typo (归哪 ≠ 归纳).
FUNCTION_CHARS = frozenset("的了吗呢吧啊哪谁啥么什怎个我你他她它们是在有吧嘛呀")

#: Generic nouns of how people ask about any office ("哪个部门", "什么材料"): unknown to the
#: knowledge, but no sign that the topic is someone else's business.
SCAFFOLD_WORDS = frozenset(
    """
    部门 股室 科室 单位 机构 地方 流程 手续 材料 电话 地址 时间 人员 负责人 办法 步骤 条件 要求 规定
    政府办 县政府办 政府办公室 县里 咱县 本县 咱们县
    窗口 网上 线上 线下 资料 事项 业务 一次 多久 多长时间 以上 以下 交给 办理 处理 咨询
    """.split()
)


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


#: term -> entry index -> the entry's units holding the term (a bare int for one unit)
_Units = int | tuple[int, ...]
_Postings = dict[str, dict[int, _Units]]
#: term -> the entries where it weighs most
_Top = dict[str, tuple[int, ...]]
#: term -> (entries holding it in a head field, entries holding it in a body passage)
_Tiers = dict[str, tuple[tuple[int, ...], tuple[int, ...]]]


def _with_grams(words: list[str]) -> list[str]:
    """Words plus the Han character bigrams of each (Matcher.terms)."""
    grams = []
    for w in words:
        if len(w) >= 2 and HAN_RUN_RE.fullmatch(w):
            grams += [BIGRAM + w[i : i + 2] for i in range(len(w) - 1)]
    return words + grams


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


@dataclass
class _Doc:
    loc: Located
    head: list[_Unit]
    body: list[_Unit]
    examples: list[str]
    terms: set[str] = field(default_factory=set)


_JIEBA_LOCK = threading.Lock()
#: Words this process has added to the tokenizer (Matcher._add_words).
_ADDED_WORDS: set[str] = set()
_TOKENIZER: jieba.Tokenizer | None = None


#: Where the built index is kept between restarts (default: the user cache folder).
CACHE_ENV = "CITIZEN_BOT_CACHE_DIR"


def _cache_dir() -> Path:
    from platformdirs import user_cache_dir

    path = Path(os.environ.get(CACHE_ENV) or user_cache_dir("citizen-bot"))
    path.mkdir(parents=True, exist_ok=True)
    return path


#: Bump when what _build_index derives changes shape or meaning.
INDEX_FORMAT = 4
#: Index files kept in the cache dir (the newest; a province keeps one or two knowledge versions).
INDEX_FILES_KEPT = 4
_INDEX_SOURCES = ("matcher.py", "text.py", "passages.py", "knowledge.py")


def _index_key(knowledge: Knowledge) -> str | None:
    """A hash of everything the built index depends on: the knowledge files, this code, the
    package and jieba versions. None when the knowledge has no directory to hash."""
    root = getattr(knowledge, "root", None)
    if root is None or not Path(root).is_dir() or os.environ.get("CITIZEN_BOT_INDEX_CACHE") == "0":
        return None
    try:
        from importlib.metadata import version

        package = version("citizen-bot")
    except Exception:  # pragma: no cover - running from a source tree without metadata
        package = "source"
    digest = hashlib.sha256(f"{INDEX_FORMAT}|{package}|{jieba.__version__}|{sys.version}".encode())
    here = Path(__file__).resolve().parent
    try:
        for name in _INDEX_SOURCES:
            digest.update(name.encode() + b"\0" + (here / name).read_bytes())
        for path in sorted(p for p in Path(root).rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    except OSError:
        return None
    return digest.hexdigest()[:40]


def _read_index(key: str, ids: list[str]) -> dict[str, Any] | None:
    """The cached index for `key`, or None when missing, unreadable or not for these entries."""
    try:
        data = marshal.loads((_cache_dir() / f"matcher-index-{key}.bin").read_bytes())
        if not isinstance(data, dict) or data.get("format") != INDEX_FORMAT or data.get("key") != key:
            return None
        if [d[0] for d in data["docs"]] != ids:
            return None
        return data
    except Exception:  # a missing, truncated or foreign file: rebuild
        return None


def _write_index(key: str, index: dict[str, Any]) -> None:
    """Atomically (temp file + rename): a reader never sees half a file. Best effort."""
    try:
        folder = _cache_dir()
        blob = marshal.dumps({**index, "format": INDEX_FORMAT, "key": key})
        fd, tmp = tempfile.mkstemp(prefix="matcher-index-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
            os.replace(tmp, folder / f"matcher-index-{key}.bin")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        old = sorted(folder.glob("matcher-index-*.bin"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[INDEX_FILES_KEPT:]:
            stale.unlink(missing_ok=True)
    except Exception as exc:  # a read-only or full disk costs start-up time, nothing else
        log.warning("matcher index not cached: %s", type(exc).__name__)


def tokenizer() -> jieba.Tokenizer:
    """One jieba tokenizer per process; its cache lives in the user's cache dir, not /tmp."""
    global _TOKENIZER
    with _JIEBA_LOCK:
        if _TOKENIZER is None:
            jieba.setLogLevel(logging.WARNING)
            tok = jieba.Tokenizer()
            cache = _cache_dir()
            tok.tmp_dir = str(cache)
            tok.cache_file = str(cache / "jieba.cache")
            tok.initialize()
            _TOKENIZER = tok
        return _TOKENIZER


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


#: Below this score an entry is not worth offering as a suggestion.
SUGGEST_FLOOR = 8.0
#: A question only partly explained is still answered when its best entry leads clearly:
#: at least this share of the question explained, this score, and this ratio to the runner-up.
CLEAR_LEAD_COVERAGE = 0.25
CLEAR_LEAD_SCORE = 20.0
CLEAR_LEAD_RATIO = 1.35

#: A clause that carries less than this share of the question's weight may only confirm an
#: entry the whole question already pointed at, never bring a new one.
CLAUSE_ALONE_SHARE = 0.4

#: Entries per heavy word scored up front to find a floor under the third best score.
SEED_ENTRIES = 8

HEAD_WEIGHTS = {"title": 1.0, "keywords": 1.0, "questions": 0.85}
BODY_WEIGHT = 0.75


class Matcher:
    """Ranks knowledge entries for a question. Build once per knowledge version; thread-safe reads."""

    def __init__(self, knowledge: Knowledge):
        self.knowledge = knowledge
        self.tok = tokenizer()
        self.synonyms = {normalize(k): normalize(v) for k, v in knowledge.synonyms.items()}
        #: Words naming another office's business -> the referral entry (None: generic decline).
        self._referral_words: dict[str, str | None] = {
            normalize(w): None for w in knowledge.chat.out_of_scope
        }
        #: Referral word -> words that void it (the entry's `unless`: 结婚登记 but not 结婚登记档案).
        self._referral_unless: dict[str, tuple[str, ...]] = {}
        for ref in knowledge.extras.get("referrals") or []:
            unless = tuple(normalize(u) for u in ref.unless)
            for kw in ref.keywords:
                word = "+".join(normalize(part) for part in kw.split("+"))
                self._referral_words[word] = ref.id
                if unless:
                    self._referral_unless[word] = unless
        self.out_of_scope = list(self._referral_words)
        # Referral words are found by looking up the question's substrings (a few hundred set
        # probes) rather than testing each of the hundreds of words against the question.
        self._oos_order = {w: n for n, w in enumerate(self.out_of_scope)}
        self._oos_by_part: dict[str, list[str]] = defaultdict(list)
        for w in self.out_of_scope:
            for part in set(w.split("+")):
                self._oos_by_part[part].append(w)
        self._oos_lengths = sorted({len(p) for p in self._oos_by_part})
        self._intents = knowledge.extras.get("intents")
        bilingual = knowledge.extras.get("bilingual") or {}
        self._english = (
            re.compile(
                r"\b(" + "|".join(re.escape(w) for w in sorted(bilingual, key=len, reverse=True)) + r")\b"
            )
            if bilingual
            else None
        )
        self._bilingual = {normalize(k): v for k, v in bilingual.items()}
        entries = knowledge.entries()
        key = _index_key(knowledge)
        index = _read_index(key, [loc.id for loc in entries]) if key else None
        if index is None:
            index = self._build_index()
            if key:
                _write_index(key, index)
        else:
            self._add_words(index["curated"])
        #: Words administrators chose (keywords, titles, offices, synonyms): always meaningful.
        self._curated = frozenset(index["curated"])
        # Body passages' terms live in the postings only (a province's worth of per-passage sets
        # would double the memory); head fields keep theirs for _anchored.
        no_terms = _Unit(frozenset(), BODY_WEIGHT)
        self.docs = [
            _Doc(
                loc=loc,
                head=[_Unit(frozenset(t), w) for t, w in head],
                body=[no_terms] * n_body,
                examples=list(examples),
            )
            for loc, (_id, head, n_body, examples) in zip(entries, index["docs"], strict=True)
        ]
        self._idf: dict[str, float] = index["idf"]
        self._max_idf = max(self._idf.values(), default=1.0)
        self._postings: _Postings = index["postings"]
        self._term_reach: dict[str, tuple[float, float]] = index["reach"]
        self._term_top: dict[str, tuple[int, ...]] = index["top"]
        self._term_tiers: _Tiers = index["tiers"]
        self.known_terms: set[str] = set(self._postings)
        self._vocab: set[str] = set(index["vocab"])
        self._pinyin_terms: dict[str, str] = index["pinyin"]
        self._fuzzy_pinyin_terms: dict[str, str] = index["fuzzy_pinyin"]
        #: Longest pinyin key: lookup tries prefixes up to this length only.
        self._longest_pinyin = max(map(len, self._pinyin_terms), default=0)
        self._departments = _department_aliases(knowledge)
        self._chat_patterns = [
            (i.id, i.title, re.compile(p)) for i in knowledge.chat.intents for p in i.patterns
        ]
        pos.start_loading(self.tok)
        self._example_owner: list[int] = []
        self._example_strings: list[str] = []
        for i, doc in enumerate(self.docs):
            for ex in doc.examples:
                self._example_owner.append(i)
                self._example_strings.append(ex)
        #: Distinct example strings (first-seen order) and where each occurs in _example_strings.
        self._example_unique: list[str] = []
        self._example_positions: list[list[int]] = []
        seen: dict[str, int] = {}
        for p, ex in enumerate(self._example_strings):
            u = seen.setdefault(ex, len(seen))
            if u == len(self._example_unique):
                self._example_unique.append(ex)
                self._example_positions.append([])
            self._example_positions[u].append(p)
        self._analysis_cache: dict[str, _Analysis] = {}
        self._own_names: tuple[str, ...] | None = None
        self._terms_cache: dict[str, list[str]] = {}
        self._word_cache: dict[str, _Word] = {}

    # ------------------------------------------------------------------ building

    def _add_words(self, curated: list[str]) -> None:
        """The knowledge's own words into jieba's dictionary, so they segment as one word.
        Each word once per process: adding it again would grow jieba's total frequency, and a
        rebuilt (or cache-loaded) matcher would segment differently from the first."""
        for word in curated:
            if len(word) >= 2 and word not in _ADDED_WORDS:
                self.tok.add_word(word, freq=max(2000, 800 * len(word)))
                _ADDED_WORDS.add(word)

    def _build_index(self) -> dict[str, Any]:
        """Everything derived from the knowledge texts by segmentation: what the on-disk cache
        holds (plain types only, so it is read with marshal, which runs no code)."""
        self._vocab = self._build_vocabulary()
        curated = sorted(self._vocab, key=lambda w: (len(w), w))
        self._add_words(curated)
        # One entry at a time into the postings; its passages' term sets are then dropped, so
        # that a province's knowledge is built without holding them all at once.
        no_terms = _Unit(frozenset(), BODY_WEIGHT)
        self._build_memo: dict[str, list[str]] = {}
        grouped: _Postings = {}
        df: Counter[str] = Counter()
        self.docs = []
        for i, loc in enumerate(self.knowledge.entries()):
            doc = self._build_doc(loc)
            for u, unit in enumerate(doc.head + doc.body):
                for term in unit.terms:
                    slot = grouped.setdefault(term, {})
                    prev = slot.get(i)
                    # A lone unit is stored as the bare (small, shared) int: most postings are one.
                    slot[i] = u if prev is None else (prev, u) if type(prev) is int else (*prev, u)
            df.update(doc.terms)
            doc.body, doc.terms = [no_terms] * len(doc.body), set()
            self.docs.append(doc)
        del self._build_memo
        n = len(self.docs)
        idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        known_terms = set(grouped)
        self._vocab |= {t for t in known_terms if len(t) >= 2 and HAN_RUN_RE.fullmatch(t)}
        for intent in self.knowledge.chat.intents:
            self._vocab |= {p for p in map(normalize, intent.phrases) if HAN_RUN_RE.fullmatch(p)}
        # Referral words join the pinyin index (gongjijin -> 公积金) but not the scoring.
        self._vocab |= {w for w in self._referral_words if len(w) >= 2 and HAN_RUN_RE.fullmatch(w)}
        postings, reach, top, tiers = self._build_postings(grouped)
        return {
            "curated": curated,
            "docs": [
                (
                    d.loc.id,
                    [(tuple(sorted(u.terms)), u.weight) for u in d.head],
                    len(d.body),
                    d.examples,
                )
                for d in self.docs
            ],
            "idf": idf,
            "postings": postings,
            "reach": reach,
            "top": top,
            "tiers": tiers,
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

    def _build_pinyin_index(self, key) -> dict[str, str]:
        index: dict[str, str] = {}
        for word in sorted(self._vocab, key=lambda w: (-len(w), w)):
            if len(word) >= 2 and HAN_RUN_RE.fullmatch(word):
                index.setdefault(key(word), word)
        return index

    def _build_doc(self, loc: Located) -> _Doc:
        head = []
        examples = []
        for name, texts in _head_fields(loc).items():
            terms = frozenset(sys.intern(t) for text in texts for t in self._build_terms(text))
            if terms:
                head.append(_Unit(terms, HEAD_WEIGHTS[name]))
            if name in ("title", "questions"):
                examples += [self._joined(text) for text in texts]
        body = []
        for texts in _body_units(loc):
            terms = frozenset(sys.intern(t) for text in texts if text for t in self._build_terms(text))
            if terms:
                body.append(_Unit(terms, BODY_WEIGHT))
        all_terms = set().union(*(u.terms for u in head + body))
        return _Doc(loc=loc, head=head, body=body, examples=examples, terms=all_terms)

    def _build_terms(self, text: str) -> list[str]:
        """`terms(normalize(text))` while building, segmenting each space-separated piece once:
        jieba cuts such pieces independently, and departments repeat offices, notes, rows and
        clauses."""
        memo = self._build_memo
        words: list[str] = []
        for piece in normalize(text).split(" "):
            got = memo.get(piece)
            if got is None:
                got = memo[piece] = self.words(piece)
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

    # ------------------------------------------------------------------ tokens

    def words(self, normalized: str) -> list[str]:
        """Content words of already-normalised text (jieba, stopwords removed)."""
        out = []
        for w in self.tok.lcut(normalized, HMM=True):
            w = w.strip()
            if w and w not in STOPWORDS and not (len(w) == 1 and not w.isalnum()):
                out.append(w)
        return out

    def _split_unknown(self, words: list[str]) -> list[str]:
        """A compound the knowledge never uses (侨务工作) -> its known parts (侨务, 工作)."""
        out: list[str] = []
        for w in words:
            if w in self.known_terms or len(w) < 3:
                out.append(w)
                continue
            halves = [(w[:i], w[i:]) for i in range(2, len(w) - 1)]
            split = next((h for h in halves if h[0] in self.known_terms and h[1] in self.known_terms), None)
            out += list(split) if split else [w]
        return list(dict.fromkeys(out))

    def terms(self, normalized: str) -> list[str]:
        """Words plus Han character bigrams: bigrams rescue questions jieba segments differently."""
        return _with_grams(self.words(normalized))

    def terms_of(self, text: str) -> list[str]:
        """`terms(normalize(text))` for knowledge text, memoised: answers re-read the same passages."""
        cached = self._terms_cache.get(text)
        if cached is None:
            cached = self._terms_cache[text] = self.terms(normalize(text))
        return cached

    def _joined(self, text: str) -> str:
        return " ".join(sorted(self.words(normalize(text))))

    # ------------------------------------------------------------------ query repair

    def repair(self, normalized: str) -> tuple[str, list[str]]:
        """Pinyin input -> characters; homophones/typos -> the knowledge's own words; synonyms."""
        notes: list[str] = []
        text = normalized
        if self._english is not None and re.search(r"[a-z]{2,}", text):
            text = re.sub(r"[a-z]{3,}", self._english_base, text)
            found = list(dict.fromkeys(self._bilingual[m] for m in self._english.findall(text)))
            if found:
                rest = self._english.sub(" ", text)
                rest = " ".join(w for w in rest.split() if w not in ENGLISH_STOPWORDS)
                text = (rest + " " + " ".join(found)).strip()
                notes.append("english:" + ",".join(found))
        if looks_like_pinyin(text):
            converted = self._from_pinyin(text)
            if converted:
                notes.append(f"pinyin:{converted}")
                text = converted
        text, fixed = self._fix_homophones(text)
        notes += [f"homophone:{a}->{b}" for a, b in fixed]
        extra = list(dict.fromkeys(o for w, o in self.synonyms.items() if w in text and o not in text))
        if extra:
            notes.append("synonyms:" + ",".join(extra))
            text = text + " " + " ".join(extra)
        return text, notes

    def _english_base(self, m: re.Match[str]) -> str:
        """An English word in the form the bilingual list holds it: checks -> check,
        companies -> company, destroyed -> destroy (only when that form is listed)."""
        word = m.group(0)
        if word in self._bilingual:
            return word
        forms = []
        if word.endswith("ies"):
            forms.append(word[:-3] + "y")
        if word.endswith("es"):
            forms.append(word[:-2])
        if word.endswith("s"):
            forms.append(word[:-1])
        if word.endswith("ing"):
            forms += [word[:-3], word[:-3] + "e"]
        if word.endswith("ed"):
            forms += [word[:-2], word[:-1]]
        return next((f for f in forms if f in self._bilingual), word)

    def _from_pinyin(self, text: str) -> str:
        letters = re.sub(r"[^a-z]", "", text)
        words, i = [], 0
        keys = self._pinyin_terms
        longest = self._longest_pinyin
        while i < len(letters):
            for j in range(min(len(letters), i + longest), i, -1):
                if letters[i:j] in keys and j - i >= 4:
                    words.append(keys[letters[i:j]])
                    i = j
                    break
            else:
                i += 1
        return " ".join(words)

    def _fix_homophones(self, text: str) -> tuple[str, list[tuple[str, str]]]:
        fixed: list[tuple[str, str]] = []

        def repair_run(run: str) -> str:
            syllables = pinyin_syllables(run)
            fuzzy = [fuzzy_syllable(x) for x in syllables]
            i, out = 0, []
            while i < len(run):
                for n in range(min(6, len(run) - i), 1, -1):
                    piece = run[i : i + n]
                    if piece in self._vocab:
                        out.append(piece)
                        i += n
                        break
                    target = self._pinyin_terms.get(
                        "".join(syllables[i : i + n])
                    ) or self._fuzzy_pinyin_terms.get("".join(fuzzy[i : i + n]))
                    if target and len(target) == n and self._plausible_typo(piece, target):
                        out.append(target)
                        fixed.append((piece, target))
                        i += n
                        break
                else:
                    out.append(run[i])
                    i += 1
            return "".join(out)

        return HAN_RUN_RE.sub(lambda m: repair_run(m.group(0)), text), fixed

    def _plausible_typo(self, piece: str, target: str) -> bool:
        """Replace only look-alikes that are not words in their own right (查挡 -> 查档)."""
        same = sum(a == b for a, b in zip(piece, target, strict=True))
        if same == 0:
            return False
        if any(ch in FUNCTION_CHARS for ch in piece):
            return False
        if len(piece) >= 3:
            return True
        return target in self._curated and self.tok.FREQ.get(piece, 0) == 0

    # ------------------------------------------------------------------ scoring

    def analyse(self, text: str) -> _Analysis:
        """Normalise, repair and weigh a question once; answers reuse it (bounded cache)."""
        cached = self._analysis_cache.get(text)
        if cached is not None:
            return cached
        normalized = normalize(text)
        repaired, notes = self.repair(normalized) if normalized else ("", [])
        words = self._split_unknown(self.words(repaired)) if repaired else []
        # `unless` words are read in the resident's own text, not in terms the synonyms added
        own = normalized if HAN_RUN_RE.search(normalized) else repaired
        foreign = [
            w
            for w in self._words_named(repaired)
            if not any(u in own for u in self._referral_unless.get(w, ()))
        ]
        weights = [self._word_weight(w, foreign) for w in words]
        result = _Analysis(normalized, repaired, tuple(notes), tuple(words), tuple(weights), tuple(foreign))
        if len(self._analysis_cache) >= 2048:
            self._analysis_cache.clear()
        self._analysis_cache[text] = result
        return result

    def _words_named(self, text: str) -> list[str]:
        """The out-of-scope and referral words (all parts of a 结婚+预约 word) found in `text`."""
        found: set[str] = set()
        n = len(text)
        for i in range(n):
            for length in self._oos_lengths:
                if i + length > n:
                    break
                if text[i : i + length] in self._oos_by_part:
                    found.add(text[i : i + length])
        if not found:
            return []
        candidates = {w for part in found for w in self._oos_by_part[part]}
        hits = [w for w in candidates if all(part in found for part in w.split("+"))]
        return sorted(hits, key=self._oos_order.__getitem__)

    def focus(self, normalized: str) -> tuple[str, list[str]]:
        """The asking part of a message: self-introductions and courtesy clauses dropped, leading
        greetings trimmed. Returns the focused text and its clauses (for a per-clause retry)."""
        clauses = [c for c in normalized.split(" ") if c]
        if len(clauses) <= 1 and len(normalized) <= 12:
            return normalized, []
        kept = []
        for c in clauses:
            if HAN_RUN_RE.match(c) and COURTESY_CLAUSE.search(c) and not (len(c) > 14 and ASKING.search(c)):
                continue
            c = LEADING_COURTESY.sub("", c)
            if c:
                kept.append(c)
        if not kept:
            return normalized, []
        return " ".join(kept), kept

    def match(self, text: str, limit: int = 3) -> MatchResult:
        """The decision for a whole message: courtesy and self-introduction set aside, then the
        focused question; when that is unsure, its clauses are tried one by one.

        A clause's answer counts by how much of the question it carries plus the support its
        entry already had from the whole question: "小区的人防车位被开发商卖了，人防办管不管"
        is about the parking spaces, not about what the short "人防办管不管" alone would match."""
        normalized = normalize(text)
        focused, clauses = self.focus(normalized) if normalized else (normalized, [])
        result = self._match_one(text, focused if focused != normalized else text, limit)
        if result.intent == "answer" or len(clauses) < 2 or result.referral:
            return result
        whole = {c.id: c.score for c in result.top}
        mass = {c: sum(self.analyse(c).weights) for c in clauses}
        total = sum(mass.values()) or 1.0
        department = self._department_in(self.analyse(focused).repaired)
        best, best_value = result, 0.0
        asking = [c for c in clauses if ASKING.search(c)]
        last_ask = asking[-1] if asking else None
        for clause in clauses:
            if len(clause) < 4:
                continue
            r = self._match_one(text, clause, limit, department)
            if r.intent != "answer" or not r.top or r.top[0].id.startswith("chat/"):
                continue  # "谢谢" at the end is no answer to the question before it
            share = mass[clause] / total
            entry = r.top[0].id
            if entry not in whole and share < CLAUSE_ALONE_SHARE and clause != last_ask:
                continue  # a side remark alone ("人在柏乡") is no evidence for a new entry
            value = r.top[0].score * share + whole.get(entry, 0.0)
            if value > best_value:
                best, best_value = r, value
        return best

    def _match_one(
        self, text: str, focused: str, limit: int = 3, department: str | None = None
    ) -> MatchResult:
        a = self.analyse(focused)
        normalized, notes = a.normalized, list(a.notes)
        if not normalized:
            return MatchResult(text, normalized, "decline", [], notes=("empty",))
        for intent_id, title, pattern in self._chat_patterns:
            if pattern.search(a.repaired) or pattern.search(normalized):
                return MatchResult(
                    text, normalized, "answer", [Candidate(intent_id, title, 100.0)], notes=("pattern",)
                )
        intents = self._intents
        referral = self._referral_for(list(a.foreign))
        # the resident's own words too: a repair may cut a phrase (档案馆礼拜天 -> 档案管理 拜天)
        if intents is not None and (intents.asks_contact(a.repaired) or intents.asks_contact(normalized)):
            loc = self.knowledge.get("chat/contact")
            # "医院值班电话多少" asks for another office's number: refer, unless ours is named too
            if referral and not self._names_own_office(a.repaired):
                return MatchResult(
                    text, normalized, "decline", [], tuple(a.words), 0.0, ("contact", "referral"), referral
                )
            if loc is not None:
                return MatchResult(
                    text, normalized, "answer", [Candidate(loc.id, loc.title, 100.0)], notes=("contact",)
                )
        service = intents.service_for(a.repaired) if intents is not None else None
        words, weights, foreign = list(a.words), list(a.weights), list(a.foreign)
        if not words and service is None:
            return MatchResult(text, normalized, "decline", [], notes=tuple(notes + ["no content words"]))
        if referral and service is None and self._only_foreign(words, weights, foreign):
            # "我想入党": every word that says what the question is about names another office's
            # business; a shared word in one of our example questions is no reason to answer.
            return MatchResult(
                text, normalized, "decline", [], tuple(words), 0.0, tuple(notes + ["referral only"]), referral
            )
        department = self._department_in(a.repaired) or department
        scored = self._score(words, weights, department) if words else []
        if service is not None:
            if scored:
                i, best, coverage = scored[0]
                confident = self._decide(best, scored, coverage, foreign, self._anchored(words, self.docs[i]))
                keep = confident == "answer" and coverage >= 0.75 and self.docs[i].loc.kind != "chat"
            else:
                keep = False
            if not keep:
                loc = self.knowledge.get(service)
                assert loc is not None  # validated on load
                rest = [
                    Candidate(self.docs[i].loc.id, self.docs[i].loc.title, round(sc, 1))
                    for i, sc, _ in scored
                    if self.docs[i].loc.id != service
                ]
                top = [Candidate(loc.id, loc.title, 100.0)] + rest[: limit - 1]
                return MatchResult(
                    text, normalized, "answer", top, tuple(words), 1.0, tuple(notes + ["service"])
                )
        if not scored:
            return self._unsure(text, normalized, [], words, notes + ["no overlap"], referral, foreign)
        _, best, coverage = scored[0]
        top = [
            Candidate(self.docs[i].loc.id, self.docs[i].loc.title, round(s, 1)) for i, s, _ in scored[:limit]
        ]
        anchored = self._anchored(words, self.docs[scored[0][0]])
        intent = self._decide(best, scored, coverage, foreign, anchored)
        notes += [f"coverage:{coverage:.2f}"] + ([f"foreign:{','.join(foreign)}"] if foreign else [])
        if intent == "decline":
            return self._unsure(text, normalized, top, words, notes, referral, foreign, coverage)
        if intent == "suggest" and referral:
            # Unsure between our entries and another office's named business: the referral is
            # the better bet (a wrong referral still names who to ask; a wrong suggestion does not).
            return MatchResult(
                text, normalized, "decline", [], tuple(words), coverage, tuple(notes + ["unsure"]), referral
            )
        return MatchResult(text, normalized, intent, top, tuple(words), coverage, tuple(notes))

    def _only_foreign(self, words: list[str], weights: list[float], foreign: list[str]) -> bool:
        """Whether all the weighty words of a question belong to matched referral keywords."""
        parts = [p for f in foreign for p in f.split("+")]
        floor = 0.3 * self._max_idf
        weighty = [w for w, x in zip(words, weights, strict=True) if x >= floor]
        return all(any(w in p or p in w for p in parts) for w in weighty)

    def _names_own_office(self, text: str) -> bool:
        """Whether the question names one of this office's units (contacts.yaml names, aliases)."""
        if self._own_names is None:
            offices = self.knowledge.extras.get("contacts") or []
            self._own_names = tuple(
                normalize(n) for o in offices for n in [o.name, *o.aliases] if n and n.strip()
            )
        return any(n in text for n in self._own_names)

    def _referral_for(self, foreign: list[str]) -> str | None:
        """The referral most of the matched words point to (ties: more characters matched), so
        "邻居占我家宅基地，我想起诉" goes to the court rather than whichever entry is listed first."""
        hits: dict[str, list[int]] = {}
        for f in foreign:
            ref = self._referral_words.get(f)
            if ref:
                n = hits.setdefault(ref, [0, 0])
                n[0] += 1
                n[1] += len(f.replace("+", ""))
        return max(hits, key=lambda r: (hits[r][0], hits[r][1])) if hits else None

    def _unsure(
        self,
        text: str,
        normalized: str,
        top: list[Candidate],
        words: list[str],
        notes: list[str],
        referral: str | None,
        foreign: list[str],
        coverage: float = 0.0,
    ) -> MatchResult:
        """No entry explains the question. Decline only when it names another office's
        business (a referral word); otherwise say we are not sure and offer entries + 人工."""
        if foreign:
            return MatchResult(
                text, normalized, "decline", [], tuple(words), coverage, tuple(notes), referral=referral
            )
        if not top and not HAN_RUN_RE.search(normalized):
            return MatchResult(
                text, normalized, "decline", [], tuple(words), 0.0, tuple(notes + ["gibberish"])
            )
        shown = [c for c in top if c.score >= SUGGEST_FLOOR][:3]
        return MatchResult(
            text, normalized, "suggest", shown, tuple(words), coverage, tuple(notes + ["unsure"])
        )

    def _word_weight(self, word: str, foreign: list[str]) -> float:
        """How much a question word matters. Known words: their idf. Unknown nouns weigh most:
        they usually name a topic this office does not handle (公积金, 驾驶证); unknown verbs and
        question scaffolding (交给, 办到) weigh little. Words common in everyday Chinese (以后,
        孩子) say less about the topic than rare ones, so general frequency damps every weight."""
        if any(word in p or p in word for f in foreign for p in f.split("+")):
            return 2.0 * self._max_idf
        if word in SCAFFOLD_WORDS or word in self._departments:
            return 0.15 * self._max_idf
        if len(word) == 1 and word not in self._curated:
            return 0.15 * self._max_idf
        idf = self._idf.get(word)
        if idf is not None:
            base = idf
        elif word.isdigit():
            base = 0.15 * self._max_idf
        elif self._bigram_hits(word) > 0:
            base = 0.8 * self._max_idf
        else:
            kind = pos.word_class(word)
            if kind == "unknown":  # not in jieba's dictionary: an HMM guess, often a fragment
                base = (0.9 if word.isascii() else 0.5) * self._max_idf
            elif kind == "noun":
                base = 1.2 * self._max_idf
            else:
                base = 0.25 * self._max_idf
        if word in self._curated:
            return base
        freq = self.tok.FREQ.get(word, 0)
        return base * (1.0 if freq < 3000 else 0.7 if freq < 12000 else 0.4)

    def _bigram_hits(self, word: str) -> int:
        if len(word) < 2 or not HAN_RUN_RE.fullmatch(word):
            return 0
        return sum(BIGRAM + word[i : i + 2] in self.known_terms for i in range(len(word) - 1))

    def weighted_words(self, text: str) -> dict[str, float]:
        """The question's content words and how much each matters (used to pick passages too)."""
        a = self.analyse(text)
        return dict(zip(a.words, a.weights, strict=True))

    @staticmethod
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

    def _department_in(self, text: str) -> str | None:
        """A question naming 柏乡 or 湘阴 prefers that department's entries."""
        named = {dept for alias, dept in self._departments.items() if alias in text}
        return named.pop() if len(named) == 1 else None

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
    def _units_at(w: _Word, i: int) -> list[tuple[int, float]]:
        """(unit, strength) for every unit of entry `i` holding the word, exact hits first."""
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
        return out

    def _fuzzy(self, words: list[str]) -> dict[int, float]:
        """Entry -> best similarity of one of its example questions (the 40 most similar
        examples, ties by position). Each distinct example string is compared once: copies of
        one department's questions across a province cost one comparison, not one per copy."""
        # Examples are stored as sorted, space-joined words, so plain ratio is token_sort_ratio.
        query_joined = " ".join(sorted(words))
        hits = process.extract(
            query_joined, self._example_unique, scorer=fuzz.ratio, limit=None, score_cutoff=40
        )
        by_score: dict[float, list[int]] = {}
        for _ex, sim, u in hits:
            by_score.setdefault(sim, []).append(u)
        fuzzy: dict[int, float] = {}
        left = 40
        for sim in sorted(by_score, reverse=True):
            groups = by_score[sim]
            positions = (
                self._example_positions[groups[0]]
                if len(groups) == 1
                else sorted(p for u in groups for p in self._example_positions[u])
            )
            for p in positions[:left]:
                owner = self._example_owner[p]
                if sim > fuzzy.get(owner, 0.0):
                    fuzzy[owner] = sim
            left -= min(left, len(positions))
            if not left:
                break
        return fuzzy

    def _score(
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
                score *= 0.4
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

    def _anchored(self, words: list[str], doc: _Doc) -> bool:
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

    def _department_of(self, i: int) -> str | None:
        dept = self.docs[i].loc.department
        return dept.id if dept else None

    def _decide(
        self,
        best: float,
        scored: list[tuple[int, float, float]],
        coverage: float,
        foreign: list[str],
        anchored: bool = False,
    ) -> Intent:
        # Another office's word in the question: only what the entry itself explains counts
        # (an anchor term or a synonym the repair added is no evidence against the referral).
        if foreign and coverage < 0.6:
            return "decline"
        if anchored and best >= 25 and coverage >= 0.3:
            coverage = max(coverage, 0.6)
        # The two departments publish parallel rules (档案安全监管 in both): a near-tie with the
        # other department's twin is no reason to hesitate; a near-tie within one department is.
        home = self._department_of(scored[0][0])
        second = next((sc for i, sc, _ in scored[1:] if self._department_of(i) == home), 0.0)
        if coverage < 0.4 and coverage >= CLEAR_LEAD_COVERAGE and best >= CLEAR_LEAD_SCORE:
            # Much of the question is unexplained (a story around it, dialect), but what is
            # explained points clearly at one entry: answer rather than make the resident choose.
            return "answer" if best >= CLEAR_LEAD_RATIO * second else "decline"
        if coverage < 0.4 or best < 15:
            return "decline"
        third = scored[2][1] if len(scored) > 2 else 0.0
        fully_explained = sum(1 for _, _, c in scored[:5] if c >= 0.99)
        if fully_explained >= 3 and third >= 0.75 * best:
            return "suggest"  # a vague question (档案, 人防): several entries are equally about it
        if best >= 25 and coverage >= 0.5 and best - second >= max(4.0, 0.06 * best):
            return "answer"
        if best >= 20 and best >= 1.6 * second:
            return "answer"  # a clear winner, even for a long, rambling question
        return "suggest"


def _department_aliases(knowledge: Knowledge) -> dict[str, str]:
    """Ways residents name a department: 柏乡, 柏乡县, the full name -> department id."""
    aliases: dict[str, str] = {}
    for dept in knowledge.departments:
        name = normalize(dept.name)
        aliases[name] = dept.id
        if "县" in name:
            county = name.split("县")[0]
            aliases[county] = aliases[county + "县"] = dept.id
    return aliases


def _offices(loc: Located) -> list[str]:
    e = loc.entry
    if isinstance(e, Duty):
        return [r.office for r in e.rows if r.office]
    if isinstance(e, Service | Policy):
        return [e.office] if e.office else []
    return []


_BUILD_LOCK = threading.Lock()
#: id(knowledge) -> its matcher; the two latest (the one answering and, during /reload, the new one).
_MATCHERS: dict[int, Matcher] = {}


def matcher_for(knowledge: Knowledge) -> Matcher:
    """Cache one matcher per loaded knowledge object (a reload builds a new one).

    A ready matcher is returned without taking the build lock, so while /reload builds the
    new knowledge's matcher in a worker thread, residents keep being answered by the old one."""
    m = _MATCHERS.get(id(knowledge))
    if m is not None and m.knowledge is knowledge:
        return m
    with _BUILD_LOCK:
        m = _MATCHERS.get(id(knowledge))
        if m is None or m.knowledge is not knowledge:
            m = Matcher(knowledge)
            _MATCHERS.pop(id(knowledge), None)
            _MATCHERS[id(knowledge)] = m
            while len(_MATCHERS) > 2:
                _MATCHERS.pop(next(iter(_MATCHERS)))
        return m
