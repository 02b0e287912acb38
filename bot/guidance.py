"""Questions answered before the matcher (knowledge/guidance.yaml).

Why before the matcher: "政府不公开信息我能起诉吗" shares its words with the supervision rules
for 行政诉讼/行政复议 cases, so the matcher answers with a passage about how the office supervises
lawsuits. A few narrow patterns, kept by administrators in guidance.yaml, recognise the
questions whose answer is not in the seed: the remedies against a disclosure decision, and
facts the office has not published yet (查档 fees and turnaround), which must be said to be
"尚未公布" instead of being answered with a neighbouring passage.

The sentences (handover acknowledgement, the wordless reply, the fact answers) are keys of the
message catalogue (knowledge/messages/answers.yaml), like every other sentence.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field, ValidationError, field_validator, model_validator

from bot.knowledge import AdminModel, KnowledgeLike, Problem, read_yaml
from bot.messages import Catalogue, catalogue_of
from bot.validators import or_bundled

if TYPE_CHECKING:
    from bot.archives import ArchiveDirectory

GUIDANCE_FILE = "guidance.yaml"

#: `source` of a fact question -> what the answer is computed from; `text`: the entry's own
#: `text`, for a fact the law states once for all (档案 open after 25 years, DOMAIN.md).
FACT_SOURCES = ("archives.fees", "archives.turnaround", "text")


def _patterns(values: list[Any]) -> list[str]:
    out = []
    for v in values:
        if v is None or not str(v).strip():
            raise ValueError("must not contain empty items")
        try:
            re.compile(str(v))
        except re.error as exc:
            raise ValueError(f"pattern {v!r} is not a valid regular expression: {exc}") from exc
        out.append(str(v).strip())
    return out


class Remedies(AdminModel):
    patterns: list[str] = Field(min_length=1)
    text: str = Field(min_length=1)

    @field_validator("patterns")
    @classmethod
    def _valid(cls, values: list[Any]) -> list[str]:
        return _patterns(values)


class FactQuestion(AdminModel):
    id: str
    source: str
    patterns: list[str] = Field(min_length=1)
    text: str = ""

    @field_validator("patterns")
    @classmethod
    def _valid(cls, values: list[Any]) -> list[str]:
        return _patterns(values)

    @field_validator("source")
    @classmethod
    def _known_source(cls, value: str) -> str:
        if value not in FACT_SOURCES:
            raise ValueError(f"unknown source {value!r} (known: {', '.join(FACT_SOURCES)})")
        return value

    @model_validator(mode="after")
    def _text_given(self) -> FactQuestion:
        if self.source == "text" and not self.text.strip():
            raise ValueError("source 'text' needs the answer in `text`")
        return self


class GuidanceFile(AdminModel):
    remedies: Remedies
    facts: list[FactQuestion] = Field(default_factory=list)


@dataclass(frozen=True)
class DirectAnswer:
    text: str
    #: The guided flow the answer can start (a button), e.g. "archive_lookup".
    flow: str | None = None


@dataclass(frozen=True)
class Guidance:
    """The parsed guidance.yaml; empty (answers nothing) when the file is missing or invalid."""

    remedies_text: str = ""
    remedies_patterns: tuple[re.Pattern[str], ...] = ()
    #: (source, patterns, text): `text` is the answer when the source is "text"
    facts: tuple[tuple[str, tuple[re.Pattern[str], ...], str], ...] = ()
    #: The catalogue of the knowledge this was loaded with (texts: messages/answers.yaml).
    messages: Catalogue = field(default_factory=Catalogue, compare=False, repr=False)

    @property
    def msgs(self) -> Catalogue:
        return or_bundled(self.messages)

    def answer(self, question: str, archives: ArchiveDirectory | None) -> DirectAnswer | None:
        """The direct answer to `question`, or None to let the matcher answer it."""
        asked = _fold(question)
        if self.remedies_text and any(p.search(asked) for p in self.remedies_patterns):
            return DirectAnswer(self.remedies_text)
        for source, patterns, text in self.facts:
            if any(p.search(asked) for p in patterns):
                answer = text.strip() if source == "text" else self._fact(source, archives)
                return DirectAnswer(answer, "archive_lookup")
        return None

    def _fact(self, source: str, archives: ArchiveDirectory | None) -> str:
        m = self.msgs
        if source == "archives.fees":
            fees = archives.fee if archives is not None else ""
            return (
                m.text("answers.archive_fees", fees=fees)
                if fees
                else m.text("answers.archive_fees_unpublished")
            )
        if archives is None:
            return m.text("answers.archive_turnaround_unpublished")
        return m.text("answers.archive_turnaround", turnaround=archives.turnaround_text(msgs=m))


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def load_guidance(knowledge: KnowledgeLike, problems: list[Problem]) -> Guidance:
    """Read knowledge.root/guidance.yaml; problems name the file, the entry and the field."""
    root = Path(knowledge.root)
    path = root / GUIDANCE_FILE
    rel = _rel(path, root)
    if not path.exists():
        problems.append(Problem(rel, "", "", "file missing: remedies and fact questions are kept here"))
        return Guidance()
    data = read_yaml(path, problems, root)
    if data is None:
        return Guidance()
    return parse_guidance(data, rel, problems, catalogue_of(knowledge))


def parse_guidance(
    data: Any, rel: str, problems: list[Problem], messages: Catalogue | None = None
) -> Guidance:
    """Validate the parsed YAML of guidance.yaml (pure: no file access)."""
    if not isinstance(data, dict):
        message = "must be a mapping with remedies and facts"
        problems.append(Problem(rel, "", "", message))
        return Guidance()
    try:
        top = GuidanceFile.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = [str(p) for p in err["loc"]]
            entry = loc[0] if loc else ""
            if loc[:1] == ["facts"] and len(loc) > 1 and loc[1].isdigit():
                items = data.get("facts") or []
                item = items[int(loc[1])] if int(loc[1]) < len(items) else None
                named = isinstance(item, dict) and item.get("id")
                entry = str(item.get("id")) if named and isinstance(item, dict) else f"facts[{loc[1]}]"
                loc = loc[2:]
            else:
                loc = loc[1:]
            problems.append(Problem(rel, entry, ".".join(loc), err["msg"]))
        return Guidance()
    before = len(problems)
    seen: set[str] = set()
    for fact in top.facts:
        if fact.id in seen:
            problems.append(Problem(rel, fact.id, "id", "duplicate id"))
        seen.add(fact.id)
    if len(problems) > before:
        return Guidance()
    return Guidance(
        remedies_text=top.remedies.text.strip(),
        remedies_patterns=tuple(re.compile(p) for p in top.remedies.patterns),
        facts=tuple((f.source, tuple(re.compile(p) for p in f.patterns), f.text) for f in top.facts),
        messages=messages or Catalogue(),
    )


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)
