"""`knowledge/labelled_questions.yaml`: residents' questions, each filed under the entry that
answers it (or under ``decline``: another office's business).

Keywords and a few example questions per entry are what an administrator writes; the way
residents really ask is wider than that. This file is the office's growing record of questions
in residents' own words with their right answer, and the matcher asks it for a second opinion
when its own reading is weak (`bot.matcher.neighbours`). Staff add to it with
`citizen-bot knowledge review --label N ENTRY_ID`; it is validated like every knowledge file.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from bot import knowledge_cache
from bot.knowledge import Knowledge, Problem, _rel, read_yaml
from bot.knowledge_files import MAX_LABELLED_BYTES

FILE = "labelled_questions.yaml"
#: What two questions filed twice differ in at most: punctuation, spaces, letter case. (The full
#: normalisation, 繁体 included, costs a tenth of a second at every start for 8,000 questions.)
_NOT_WORDS = re.compile(r"[\W_]+")
#: The label of a question that is another office's business (the matcher says who handles it).
DECLINE = "decline"


def duplicate_key(text: str) -> str:
    """What two questions filed twice share: the text without punctuation, spaces or case."""
    return _NOT_WORDS.sub("", text).lower()


def load_labelled(knowledge: Knowledge, problems: list[Problem]) -> dict[str, list[str]]:
    """Label -> its questions. Unknown entry ids, blank questions and a question filed under two
    labels are problems naming the file, the label and the question."""
    path = knowledge.root / FILE
    if not path.exists():
        return {}
    rel = _rel(path, knowledge.root)
    before = len(problems)
    data = read_yaml(path, problems, knowledge.root, MAX_LABELLED_BYTES)
    if len(problems) > before:
        return {}  # unreadable, oversized or malformed: said once, with its reason
    groups = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(groups, dict):
        problems.append(Problem(rel, "", "questions", "must be a mapping of entry id -> list of questions"))
        return {}
    known = {loc.id for loc in knowledge.entries()} | {DECLINE}
    # an entry that failed its own checks is missing here: report that, not every label under it
    check_labels = not problems
    cache = knowledge_cache.current() if check_labels else None
    read = cache.digest_of(str(path)) if cache is not None else None
    verdict = _verdict_key(read, known) if read is not None else None
    if cache is not None and verdict is not None and cache.get(f"{path}#checked", verdict) == (True, True):
        return groups  # these very bytes, under these labels, were checked and found clean
    filed: dict[str, str] = {}
    out: dict[str, list[str]] = {}
    for label, questions in groups.items():
        label = str(label)
        if check_labels and label not in known:
            problems.append(
                Problem(rel, label, "questions", f"no knowledge entry {label!r} (or {DECLINE!r})")
            )
            continue
        if not isinstance(questions, list):
            problems.append(Problem(rel, label, "questions", "must be a list of questions"))
            continue
        kept: list[str] = []
        kept_keys: set[str] = set()
        for question in questions:
            text = str(question).strip() if question is not None else ""
            key = duplicate_key(text)
            if not key:
                problems.append(Problem(rel, label, "questions", "must not contain empty items"))
                continue
            other = filed.setdefault(key, label)
            if other == label and key in kept_keys:
                continue  # written twice under one label: once is enough
            if other != label:
                problems.append(Problem(rel, label, "questions", f"{text!r} is also filed under {other!r}"))
                continue
            kept.append(text)
            kept_keys.add(key)
        out[label] = kept
    if cache is not None and verdict is not None and not problems and out == groups:
        cache.put(f"{path}#checked", verdict, True)
    return out


def _verdict_key(file_digest: bytes, known: set[str]) -> bytes:
    """What a clean check of the file is remembered by (`load_labelled`): the digest of its bytes
    as this load read them, the labels it may use and this code. Checking 31,000 questions for
    one filed twice took 45 ms of every start (round 26)."""
    digest = hashlib.sha256(file_digest)
    digest.update("\0".join(sorted(known)).encode() + Path(__file__).read_bytes())
    return digest.digest()
