"""Loading events.yaml: every problem names the file, the event id and the field; the valid rest
is returned, so one bad event does not hide the others."""

from __future__ import annotations

import calendar as _cal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.events.model import (
    EVENTS_FILE,
    NTH_VALUES,
    RULE_KINDS,
    AlarmSignal,
    DatedEvent,
    EventCalendar,
    YearlyRule,
)
from bot.knowledge import KnowledgeLike, Problem, read_yaml
from bot.messages import Catalogue, catalogue_of


def load_events(knowledge: KnowledgeLike, problems: list[Problem]) -> EventCalendar:
    """Read knowledge.root/events.yaml; every problem is appended, the valid rest is returned."""
    path = Path(knowledge.root) / EVENTS_FILE
    rel = _rel(path, Path(knowledge.root))
    data = read_yaml(path, problems, Path(knowledge.root))
    if data is None:
        return EventCalendar()
    if not isinstance(data, dict):
        problems.append(Problem(rel, "", "", "must be a mapping with events, rules and alarm_signals"))
        return EventCalendar()
    unknown = set(data) - {"events", "rules", "alarm_signals", "alarm_test_advice"}
    for key in sorted(map(str, unknown)):
        known = "events, rules, alarm_signals, alarm_test_advice"
        hint = "; the sentences are in messages/answers.yaml" if key == "texts" else ""
        problems.append(Problem(rel, "", key, f"unknown section (known: {known}){hint}"))
    return parse_events(data, rel, problems, knowledge)


def parse_events(
    data: dict[str, Any], rel: str, problems: list[Problem], knowledge: KnowledgeLike | None = None
) -> EventCalendar:
    """Validate the parsed YAML of events.yaml (pure: no file access)."""
    events = [e for e in _items(data, "events", DatedEvent, rel, problems) if _check_dated(e, rel, problems)]
    rules = [r for r in _items(data, "rules", YearlyRule, rel, problems) if _check_rule(r, rel, problems)]
    signals = _items(data, "alarm_signals", AlarmSignal, rel, problems)

    seen: set[str] = set()
    for key in ("events", "rules", "alarm_signals"):
        raw = data.get(key)
        for item in raw if isinstance(raw, list) else []:
            item_id = item.get("id") if isinstance(item, dict) else None
            if item_id and str(item_id) in seen:
                problems.append(Problem(rel, str(item_id), "id", "duplicate id"))
            seen.add(str(item_id))
    for event in (*events, *rules):
        if (
            event.link
            and knowledge is not None
            and _has_departments(knowledge)
            and not knowledge.get(event.link)
        ):
            problems.append(Problem(rel, event.id, "link", f"unknown knowledge entry {event.link!r}"))

    advice = data.get("alarm_test_advice") or ""
    if not isinstance(advice, str):
        problems.append(Problem(rel, "", "alarm_test_advice", "must be text"))
        advice = ""
    messages = catalogue_of(knowledge) if knowledge is not None else Catalogue()
    return EventCalendar(tuple(events), tuple(rules), tuple(signals), advice.strip(), messages)


def _items(data: dict[str, Any], key: str, model: type[Any], rel: str, problems: list[Problem]) -> list[Any]:
    """Validate each list item on its own, so one bad event does not hide the others' problems."""
    raw = data.get(key)
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.append(Problem(rel, "", key, "must be a list"))
        return []
    good = []
    for i, item in enumerate(raw):
        label = str(item.get("id") or f"{key}[{i}]") if isinstance(item, dict) else f"{key}[{i}]"
        if model is YearlyRule and isinstance(item, dict) and item.get("kind") not in RULE_KINDS:
            kind = item.get("kind")
            msg = f"unknown rule kind {kind!r} (known: {', '.join(RULE_KINDS)})" if kind else "missing"
            problems.append(Problem(rel, label, "kind", msg))
            continue
        try:
            good.append(model.model_validate(item))
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"])
                problems.append(Problem(rel, label, field, err["msg"]))
    return good


def _check_dated(event: DatedEvent, rel: str, problems: list[Problem]) -> bool:
    before = len(problems)
    if event.date and (event.start or event.end):
        problems.append(Problem(rel, event.id, "date", "give either date (one day) or start/end, not both"))
    if event.end and not event.start and not event.date:
        problems.append(Problem(rel, event.id, "start", "end is set but start is empty"))
    if event.start and event.end and event.end < event.start:
        problems.append(Problem(rel, event.id, "end", f"end {event.end} is before start {event.start}"))
    return len(problems) == before


def _check_rule(rule: YearlyRule, rel: str, problems: list[Problem]) -> bool:
    before = len(problems)
    if rule.kind == "fixed":
        if rule.day is None:
            problems.append(Problem(rel, rule.id, "day", "required for kind 'fixed'"))
        elif rule.month == 2 and rule.day == 29:
            problems.append(
                Problem(rel, rule.id, "day", "29 February is not in every year; use a dated event")
            )
        elif not 1 <= rule.day <= _cal.monthrange(2001, rule.month)[1]:
            problems.append(Problem(rel, rule.id, "day", f"month {rule.month} has no day {rule.day}"))
        for name in ("nth", "weekday"):
            if getattr(rule, name) is not None:
                problems.append(Problem(rel, rule.id, name, "not used by kind 'fixed'; remove it"))
    else:
        if rule.nth is None:
            problems.append(Problem(rel, rule.id, "nth", "required for kind 'nth_weekday'"))
        elif rule.nth not in NTH_VALUES:
            problems.append(
                Problem(rel, rule.id, "nth", f"nth {rule.nth} out of range: use 1-4, or -1 for the last")
            )
        if rule.weekday is None:
            problems.append(Problem(rel, rule.id, "weekday", "required for kind 'nth_weekday'"))
        elif not 1 <= rule.weekday <= 7:
            problems.append(Problem(rel, rule.id, "weekday", "must be 1 (Monday) to 7 (Sunday)"))
        if rule.day is not None:
            problems.append(Problem(rel, rule.id, "day", "not used by kind 'nth_weekday'; remove it"))
    return len(problems) == before


def _has_departments(knowledge: KnowledgeLike) -> bool:
    """Links are only checked once departments are loaded (the loader may run on its own)."""
    return bool(getattr(knowledge, "departments", None))


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)
