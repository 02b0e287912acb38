"""jieba's dictionary as a trie (`bot.matcher.jieba_words`): the same words, word for word, as
jieba's own 500,000-entry dict, in 3 MB instead of 53; built once into the cache folder and mapped
from there after; the knowledge's own words kept beside it. jieba itself is imported without
pkg_resources (`bot.jieba_import`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jieba
import pytest

from bot.matcher import jieba_words
from bot.matcher.jieba_words import CompactTokenizer, WordFrequencies
from bot.matcher.tokens import tokenizer
from bot.text import normalize

ROOT = Path(__file__).resolve().parents[1]
#: the knowledge's kind of words, added as `bot.matcher.tokens.add_words` adds them: new words,
#: words jieba's dictionary already has (a new frequency: 户办's 2 becomes 2,000, and "过户办不动产"
#: is then cut otherwise), and one longer than any of its words
ADDED = [
    "异地查档",
    "人防工程",
    "政府信息公开",
    "跨馆出证",
    "档案数据灾备",
    "防空警报试鸣",
    "起诉",
    "防空警报",
    "户办",
]
ADDED += ["柏乡县人民政府办公室人民防空工作领导小组办公室"]


def jiebas_own(tmp_path: Path) -> jieba.Tokenizer:
    tok = jieba.Tokenizer()
    tok.tmp_dir, tok.cache_file = str(tmp_path), str(tmp_path / "jieba.cache")
    tok.initialize()
    return tok


def compact(cache: Path) -> CompactTokenizer:
    tok = CompactTokenizer()
    assert jieba_words.load(tok, cache)
    return tok


def with_words(tok: jieba.Tokenizer) -> jieba.Tokenizer:
    for word in ADDED:
        tok.add_word(word, freq=max(2000, 800 * len(word)))
    return tok


def residents_questions() -> list[str]:
    rows = []
    for name in ("resident_questions", "unseen_questions", "tuning190_train"):
        path = ROOT / "tests" / "data" / f"{name}.jsonl"
        rows += [normalize(json.loads(line)["q"]) for line in path.open(encoding="utf-8") if line.strip()]
    return rows


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> tuple[jieba.Tokenizer, CompactTokenizer]:
    theirs, ours = jiebas_own(tmp_path_factory.mktemp("jieba")), compact(tmp_path_factory.mktemp("cache"))
    for text in residents_questions()[:200]:  # cut before the words are added, as a matcher does
        assert ours.lcut(text) == theirs.lcut(text), text
    return with_words(theirs), with_words(ours)


def test_the_same_words_as_jiebas_own_dictionary(pair):
    theirs, ours = pair
    assert isinstance(ours.FREQ, WordFrequencies) and ours.total == theirs.total
    assert (
        ours.FREQ.get("起诉") == theirs.FREQ.get("起诉") == 2000
    )  # the added frequency, not the dictionary's
    texts = residents_questions() + [
        "我想在柏乡县人民政府办公室人民防空工作领导小组办公室问个事",
        "防空警报试鸣起诉",
    ]
    for text in texts:
        assert ours.lcut(text) == theirs.lcut(text), text
        assert ours.lcut(text, HMM=False) == theirs.lcut(text, HMM=False), text
        assert list(ours.tokenize(text)) == list(theirs.tokenize(text)), text


@pytest.mark.parametrize(
    "key", ["档案", "档", "查档案馆", "异地查", "异地查档", "人防工程", "zzz", "", "龘龘"]
)
def test_a_frequency_reads_as_jiebas_dict_read_it(pair, key):
    """A word's frequency, 0 for a prefix of a word (added words' prefixes too), else the default."""
    theirs, ours = pair
    assert ours.FREQ.get(key) == theirs.FREQ.get(key)
    assert ours.FREQ.get(key, 7) == theirs.FREQ.get(key, 7)
    assert (key in ours.FREQ) == (key in theirs.FREQ)


def test_built_once_then_read_from_the_cache_folder(tmp_path, monkeypatch):
    first = compact(tmp_path)
    built = sorted(p.name for p in tmp_path.iterdir())
    assert built == [f"{jieba_words._NAME}.freq", f"{jieba_words._NAME}.marisa"]

    def no_build(tok):  # pragma: no cover - called only when the test fails
        raise AssertionError("built again although the cache folder holds it")

    monkeypatch.setattr(jieba_words, "_from_dictionary", no_build)
    again = compact(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == built
    text = "我想查一下异地查档怎么办理，人防工程多久检查一次"
    assert again.lcut(text) == first.lcut(text) and again.total == first.total


@pytest.mark.parametrize(
    ("suffix", "damage"),
    [
        (".marisa", b""),
        (".marisa", b"not a trie"),
        (".freq", b""),
        (".freq", b"\xe9\x00\x00"),
        (".freq", None),
    ],
)
def test_a_damaged_cache_is_built_again(tmp_path, suffix, damage):
    compact(tmp_path)
    path = tmp_path / f"{jieba_words._NAME}{suffix}"
    if damage is None:  # a frequencies file cut short, its header intact
        damage = path.read_bytes()[:-4]
    path.write_bytes(damage)
    tok = compact(tmp_path)
    assert tok.lcut("我想申请政府信息公开") == ["我", "想", "申请", "政府", "信息", "公开"]
    assert tok.total == jiebas_own(tmp_path).total


def test_files_of_earlier_versions_are_removed(tmp_path):
    for name in ["jieba.cache", "jieba-words-2-0.42.1.marisa", "jieba-words-2-0.42.1-0062315d8730308e.freq"]:
        (tmp_path / name).write_bytes(b"old")
    compact(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"{jieba_words._NAME}.freq",
        f"{jieba_words._NAME}.marisa",
    ]


def test_a_word_added_at_0_is_hidden_as_jieba_hides_it(tmp_path):
    tok = compact(tmp_path)
    tok.add_word("查档", freq=0)
    jiebas = jiebas_own(tmp_path)
    jiebas.add_word("查档", freq=0)
    for text in ["我要查档", "异地查档怎么办", "查档案"]:
        assert tok.lcut(text, HMM=False) == jiebas.lcut(text, HMM=False), text


def test_another_dictionary_is_left_to_jieba(tmp_path):
    words = tmp_path / "dict.txt"
    words.write_text("档案馆 10 n\n", encoding="utf-8")
    tok = CompactTokenizer(str(words))
    assert not jieba_words.load(tok, tmp_path)
    tok.tmp_dir = str(tmp_path)
    assert tok.lcut("档案馆") == ["档案馆"] and isinstance(tok.FREQ, dict)


def test_the_process_tokenizer_reads_the_trie():
    assert isinstance(tokenizer().FREQ, WordFrequencies)


def test_jieba_is_imported_without_pkg_resources_and_still_finds_its_dictionary(tmp_path):
    """A fresh process with an empty cache folder: the bot's modules never import pkg_resources
    (0.18 s, 12 MB), and the trie is built from jieba's own bundled file, found by path."""
    code = (
        "import sys, handlers.telegram.app\n"
        "from bot.matcher.tokens import tokenizer\n"
        "words = tokenizer().lcut('我想申请政府信息公开')\n"
        "print('pkg_resources' in sys.modules, words == ['我', '想', '申请', '政府', '信息', '公开'])\n"
    )
    env = {**os.environ, "CITIZEN_BOT_CACHE_DIR": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    assert out.stdout.split() == ["False", "True"], out.stderr[-2000:]
    assert (tmp_path / f"{jieba_words._NAME}.marisa").exists()


def test_words_added_together_reach_the_cut_after_the_last(tmp_path):
    """A knowledge reload adds its words beside a matcher still serving: cuts meanwhile cut as
    before the batch, and the words come in together after the last one."""
    tok = compact(tmp_path)
    with tok.FREQ.adding():
        with_words(tok)
        assert tok.lcut("我要异地查档") == ["我要", "异地", "查档"]
    assert tok.lcut("我要异地查档") == ["我要", "异地查档"]
