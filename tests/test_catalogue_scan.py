"""Every sentence a resident or staff member reads comes from the message catalogue (issue 12).

Walks the code's syntax trees and fails on a string literal with Chinese (or Japanese/Korean)
words in it, outside:
- docstrings and bare string statements (comments for programmers);
- the pattern of a `re.compile` / `re.search` / … call (regexes only the parsers use);
- the word lists, keyword sets and normalisation tables in `ALLOWED`: each entry names the module,
  the assigned name (or, for a single word, the literal itself) and why it is not a sentence.
Punctuation-only literals (the separators ；、 and brackets 【】 that join catalogue texts) are
not words and are not flagged.

Every module of bot/, handlers/ and cli/ is scanned, including modules added later: they take
their sentences from the catalogue from the start.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Han ideographs, kana and hangul: the characters of words (not the CJK punctuation).
WORDS = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]"
)

#: Converted: everything they say comes from knowledge/messages/. A path ending in / is a package.
SCANNED = [
    "bot/validators/",
    "bot/formflow.py",
    "bot/formspec.py",
    "bot/events/",
    "bot/answers.py",
    "bot/archives.py",
    "bot/guidance.py",
    "bot/qa.py",
    "bot/referrals.py",
    "bot/outbox.py",
    "bot/workdays.py",
    "bot/masking.py",
    "bot/dialog/",
    "bot/knowledge_edit.py",
    "bot/audit.py",
    "bot/report.py",
    "bot/review.py",
    "bot/review_queue.py",
    "bot/outcomes.py",
    "handlers/telegram/",
    "handlers/web/",
    "handlers/flood.py",
    "handlers/console/",
    "bot/matcher/",
    "bot/store/",
    "bot/terminal.py",
    "bot/seed_parse.py",
    "bot/knowledge_model.py",
    "bot/startup.py",
    "bot/areas.py",
    "cli/",
]

#: Modules that are nothing but word lists the parsers compare against (what residents may type:
#: 确认/取消/人工…, menu words, a date format): their literals are not sentences anybody reads.
WORD_LIST_MODULES = {
    "bot/dialog/words.py": "typed commands and menu words the engine recognises; the date format",
    "bot/matcher/wordlists.py": "stop words, courtesy and asking phrases the matcher strips or weighs",
}


@dataclass(frozen=True)
class Allowed:
    """Words in code that nobody reads as a sentence: `name` is an assigned name (all literals in
    its value) or, when empty, `literal` is the one string allowed."""

    module: str
    reason: str
    name: str = ""
    literal: str = ""


ALLOWED = [
    Allowed("bot/matcher/analysis.py", "county names are compared with and without 县", literal="县"),
    # start-up: a question and a place fed to the matcher and the place table, never shown
    Allowed("bot/warm_up.py", "a question answered at start-up, never sent", "WARM_UP_QUESTION"),
    Allowed("bot/warm_up.py", "a place looked up at start-up, never shown", "WARM_UP_PLACE"),
    # validators: parsers of what residents type
    Allowed(
        "bot/validators/identity.py",
        "document kinds: the choices of the forms' 证件类型 field",
        "ID_DOCUMENTS",
    ),
    Allowed(
        "bot/validators/identity.py", "the document kind a form without 证件类型 means", literal="居民身份证"
    ),
    Allowed("bot/validators/freetext.py", "characters of sentences, not of names", "_SENTENCE_CHARS"),
    Allowed("bot/validators/freetext.py", "katakana middle dot folded to · in names", literal="・"),
    Allowed("bot/validators/choices.py", "Chinese numerals read by the number parser", "_CN_DIGITS"),
    Allowed("bot/validators/choices.py", "Chinese numeral units read by the number parser", "_CN_UNITS"),
    Allowed("bot/validators/choices.py", "the numeral 万 read by the number parser", "_WAN"),
    Allowed("bot/validators/choices.py", "suffix dropped from a typed choice (纸的 = 纸)", literal="的"),
    Allowed("bot/validators/dates.py", "range separators of typed dates and years (a regex)", "_RANGE_SEP"),
    Allowed("bot/validators/dates.py", "a typed year (a regex)", "_YEAR"),
    Allowed("bot/validators/dates.py", "a typed date (a regex)", "_FULL_DATE"),
    # form walk
    Allowed("bot/formflow.py", "endings of a request kind's name, compared not shown", "_REQUEST_SUFFIXES"),
    # events
    Allowed("bot/events/parse.py", "relative days a question names", "_RELATIVE_DAYS"),
    # answers: the matcher's cues for which part of an entry answers
    Allowed("bot/answers.py", "the word that makes a question one about the alarm", "_ALARM"),
    Allowed("bot/answers.py", "section headings a question names, matched in passages", "HEADING_CUES"),
    # archives: place names residents type
    Allowed("bot/archives.py", "place-name endings stripped before comparing places", "_SUFFIXES"),
    # workdays
    Allowed("bot/workdays.py", "the solar term's key in lunar_python's table", literal="清明"),
    # the annual report: the statutory table's fixed labels (DOMAIN.md), data like outcomes.yaml
    Allowed("bot/outcomes.py", "statutory applicant column 自然人 (DOMAIN.md)", "NATURAL_PERSON"),
    Allowed("bot/outcomes.py", "statutory organisation columns (DOMAIN.md)", "ORGANISATION_TYPES"),
    Allowed("bot/outcomes.py", "the statutory column 其他 organisations fall into", "OTHER_ORGANISATION"),
    Allowed("bot/outcomes.py", "the disclosure form's applicant_type answer, compared", "FORM_PERSON"),
    Allowed("bot/outcomes.py", "the disclosure form's applicant_type answer, compared", "FORM_ORGANISATION"),
    Allowed("bot/report.py", "the statutory table's 总计 column and row (DOMAIN.md)", "TOTAL"),
    Allowed("bot/report.py", "the statutory heading over the organisation columns", "ORGANISATIONS_HEADER"),
    Allowed("bot/report.py", "the statutory table's first heading cell", "ITEM_HEADER"),
    Allowed("bot/report.py", "numerals of the statutory rows (一)…(十)", "_CN_NUMERALS"),
    Allowed("bot/report.py", "the statutory table's section rows 一、…四、 (DOMAIN.md)", "SECTION_LABELS"),
    Allowed("bot/report.py", "the statutory table's title", "TABLE_TITLE"),
    Allowed("bot/report.py", "the spreadsheet's sheet name (the year)", "SHEET_TITLE"),
    # the Telegram channel: commands that stand for words the engine recognises (bot/dialog/words.py)
    Allowed("handlers/telegram/resident.py", "/help is the typed word 帮助 (HELP_WORDS)", literal="帮助"),
    Allowed("handlers/telegram/resident.py", "/cancel is the typed word 取消 (CANCEL_WORDS)", literal="取消"),
    Allowed(
        "handlers/telegram/resident.py",
        "/cancel with a person is 结束人工 (END_HUMAN_WORDS)",
        literal="结束人工",
    ),
    Allowed(
        "handlers/telegram/staff.py", "typed confirmation after /claim 编号 (like confirm)", literal="确认"
    ),
    Allowed(
        "handlers/telegram/staff.py", "typed confirmation after /claim 编号 (like confirm)", literal="确定"
    ),
    # the store: the statuses of DOMAIN.md, stored in every database's rows and compared
    Allowed("bot/store/model.py", "a stored status value (DOMAIN.md)", "SUBMITTED"),
    Allowed("bot/store/model.py", "a stored status value (DOMAIN.md)", "IN_PROGRESS"),
    Allowed("bot/store/model.py", "a stored status value (DOMAIN.md)", "NEEDS_CORRECTION"),
    Allowed("bot/store/model.py", "a stored status value (DOMAIN.md)", "EXTENDED"),
    Allowed("bot/store/model.py", "a stored status value (DOMAIN.md)", "ANSWERED"),
    Allowed("bot/store/model.py", "a stored status value (DOMAIN.md)", "COMPLETED"),
    # knowledge: the fixed marker for a fact the administrator has not filled in
    Allowed(
        "bot/knowledge_model.py",
        "the value an empty field stands for (house rule: a missing fact is 尚未公布), filled into"
        " catalogue sentences",
        "NOT_PUBLISHED",
    ),
    # seed import: the words of the seed documents the parser matches (data, not messages)
    Allowed("bot/seed_parse.py", "the department of a seed that never names it (data)", "SEED_NAMES"),
    Allowed("bot/seed_parse.py", "Chinese numerals of the seeds' headings", "_NUM"),
    Allowed("bot/seed_parse.py", "the seeds' table header cells", "_TABLE_HEADERS"),
    Allowed("bot/seed_parse.py", "the seeds' 序号 header cell", "_SERIAL"),
    Allowed("bot/seed_parse.py", "the seeds' 部门职责 section heading", "_DUTIES"),
    Allowed("bot/seed_parse.py", "the seeds' 公共服务事项 section heading", "_SERVICES"),
    Allowed("bot/seed_parse.py", "the seeds' supervision section heading", "_SUPERVISION"),
    Allowed("bot/seed_parse.py", "the first top-level heading of a policy section", "_FIRST_HEADING"),
    Allowed("bot/seed_parse.py", "the seeds' 无 in a work-item cell", "_NO_ITEMS"),
    Allowed("bot/seed_parse.py", "the county suffix cut off a department's name", "_COUNTY"),
    Allowed("bot/seed_parse.py", "the labels of the seeds' department-name line", "_NAME_LABELS"),
    Allowed("bot/seed_parse.py", "ends a generated title written into knowledge files", "_ETC"),
    # areas: the national area-code table's names
    Allowed("bot/areas.py", "generic names in the area-code table, never a place", "_GENERIC"),
    Allowed("bot/areas.py", "traditional spellings of the table's province names", "_TRADITIONAL"),
    Allowed("bot/areas.py", "city names that are everyday words, never read as a place", "_COMMON_WORDS"),
]

_RE_CALLS = {"compile", "search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer"}


def _expand(entries: list[str]) -> list[Path]:
    files = []
    for entry in entries:
        path = ROOT / entry
        files += sorted(path.rglob("*.py")) if entry.endswith("/") else [path] if path.is_file() else []
    return files


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _all_modules() -> list[Path]:
    return [p for top in ("bot", "handlers", "cli") for p in sorted((ROOT / top).rglob("*.py"))]


def sentence_literals(source: str, module: str, allowed: list[Allowed] = ALLOWED) -> list[tuple[int, str]]:
    """(line, text) of each string literal with words in it that is not exempt (see the top)."""
    if module in WORD_LIST_MODULES:
        return []
    tree = ast.parse(source)
    names = {a.name for a in allowed if a.module == module and a.name}
    literals = {a.literal for a in allowed if a.module == module and a.literal}
    exempt: set[int] = set()

    def exempt_all(node: ast.AST) -> None:
        exempt.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            exempt_all(node)  # docstrings and bare string statements
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id == "re"
                and func.attr in _RE_CALLS
            ):
                exempt_all(node.args[0])
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id in names for t in targets) and node.value is not None:
                exempt_all(node.value)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in exempt
        and node.value not in literals
        and WORDS.search(node.value)
    ]


def _found(paths: list[Path]) -> list[str]:
    return [
        f"{_rel(path)}:{line}: {text[:60]!r}"
        for path in paths
        for line, text in sentence_literals(path.read_text(encoding="utf-8"), _rel(path))
    ]


def test_converted_modules_take_every_sentence_from_the_catalogue():
    files = _expand(SCANNED)
    missing = [e for e in SCANNED if not _expand([e])]
    assert missing == [], "SCANNED names modules that do not exist (renamed? update the list)"
    assert _found(files) == [], "put these sentences in knowledge/messages/ (or word lists in ALLOWED)"


def test_every_module_of_bot_handlers_and_cli_is_scanned():
    """A new module is scanned too: it takes its sentences from the catalogue from the start."""
    modules = {_rel(p) for p in _all_modules()}
    assert {"bot/startup.py", "bot/store/model.py", "cli/main.py", "handlers/flood.py"} <= modules
    assert _found(_all_modules()) == []


def test_allowed_entries_name_something_that_exists():
    stale = []
    for a in ALLOWED:
        path = ROOT / a.module
        source = path.read_text(encoding="utf-8") if path.is_file() else ""
        tree = ast.parse(source)
        assigned = {
            t.id
            for n in ast.walk(tree)
            if isinstance(n, ast.Assign | ast.AnnAssign)
            for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
            if isinstance(t, ast.Name)
        }
        strings = {
            n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
        }
        if (a.name and a.name not in assigned) or (a.literal and a.literal not in strings) or not a.reason:
            stale.append(a)
    assert stale == []


def test_the_scan_finds_a_sentence_and_spares_docstrings_regexes_and_word_lists():
    source = '''
"""模块说明。"""
import re
WORDS = {"今天": 0}
_PATTERN = re.compile(r"(今天|明天)")


def reply(name):
    """说明。"""
    if re.search("吗$", name):
        return f"您好，{name}！"
    return "；".join([name, "请输入姓名。"])
'''
    found = sentence_literals(source, "bot/x.py", [Allowed("bot/x.py", "relative days", "WORDS")])
    assert [text for _line, text in found] == ["您好，", "请输入姓名。"]
    assert len(sentence_literals(source, "bot/x.py", [])) == 3  # the word list counts when not allowed
