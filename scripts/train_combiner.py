"""Train the model that weighs the matcher against the labelled questions (`bot.matcher.combiner`)
and write its weights to `bot/matcher/combiner_weights.py`.

    .venv/bin/python scripts/train_combiner.py          # train on TRAINING, write the weights
    .venv/bin/python scripts/train_combiner.py --loo    # also: each set measured, trained without it

The training rows are blind sets the matcher's words were never tuned on (tests/data, listed in
TRAINING): on the sets it was tuned on, the matcher looks surer than it is on new questions.
While a set's questions are read, they are taken out of the labelled questions, as if that set
had never been labelled: the nearest questions are then as far as a new question's would be.
Only readings the second opinion may settle are rows, one row per candidate answer, "right"
when the candidate is the set's gold answer (`decline` for an out-of-scope question).
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import sys
import textwrap
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bot.matcher.combiner_weights as combiner_weights  # noqa: E402
from bot.knowledge import load_knowledge  # noqa: E402
from bot.labelled import DECLINE, duplicate_key  # noqa: E402
from bot.matcher import matcher_for  # noqa: E402
from bot.matcher.combiner import FEATURES, Weights, fit, shipped  # noqa: E402
from bot.matcher.linear import LinearModel  # noqa: E402
from bot.matcher.neighbours import Neighbours, readings_of  # noqa: E402
from bot.matcher.second_opinion import evidence, may_become  # noqa: E402
from bot.text import normalize  # noqa: E402
from scripts.train_labelled_model import fit as fit_linear  # noqa: E402

DATA = ROOT / "tests" / "data"
#: Blind sets written after round 17's last keyword change, whose questions the matcher's words
#: were never tuned on (tuning93 and tuning129 are rounds 21 and 22's frozen measures, not training sets;
#: 146-157, 160, 161 and 164-177 joined in round 25, when 158, 159, 162 and 163 were the frozen measures;
#: the sets written to read in rounds 25-30, 178-235, whose misses those rounds' rulings came from,
#: joined in round 30, measured by 227 and 228; those written to read in rounds 31-34, 238-282
#: less the frozen 248, 249, 253, 254, 259, 263, 264 and 269-272, joined in round 34).
TRAINING = tuple(
    f"tuning{n}_train"
    for n in (
        *range(44, 52),
        *range(57, 67),
        *range(74, 93),
        *range(94, 129),
        *range(130, 137),
        *range(146, 158),
        160,
        161,
        *range(164, 178),
        *range(178, 186),
        *range(188, 192),
        *range(194, 198),
        *range(200, 210),
        *range(212, 222),
        *range(223, 227),
        *range(230, 236),
        *range(238, 248),
        *range(250, 253),
        *range(255, 259),
        *range(260, 263),
        *range(265, 269),
        *range(273, 283),
        *range(285, 291),
        *range(293, 299),
    )
)
WEIGHTS_FILE = ROOT / "bot" / "matcher" / "combiner_weights.py"
#: The linear model's scores on a training set come from a model trained without its fold.
FOLDS = 4

#: one question: each candidate's features, whether it is right, the candidates, the matcher's pick
Row = tuple[list[list[float]], list[bool], list[str], str]


def questions_of(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / f"{name}.jsonl").open(encoding="utf-8") if line.strip()]


def linear_models(sets: list[str], labelled: dict[str, list[str]], read: Callable[[str], str]) -> dict:
    """Per set, the labelled questions' linear model trained without the questions of its fold
    (`FOLDS` of the sets): its scores on a set are then as on questions it never saw."""
    models = {}
    for fold in range(FOLDS):
        members = sets[fold::FOLDS]
        left_out = {duplicate_key(q["q"]) for name in members for q in questions_of(name)}
        model = fit_linear(labelled, read, left_out)
        models.update(dict.fromkeys(members, model))
        print(f"linear model {fold + 1} of {FOLDS}: without {len(members)} sets", flush=True)
    return models


def rows_of(
    name: str, matcher, read: Callable[[str], str] | None = None, linear: LinearModel | None = None
) -> tuple[list[Row], int]:
    """The questions the model would decide (weighed, not settled by a rule); and how many
    questions the set holds. `read`: the matcher's reading of a labelled question (memoised by
    the caller: every set reads the same English and pinyin questions); `linear`: the labelled
    questions' linear model, trained without this set (`linear_models`)."""
    questions = questions_of(name)
    keys = {duplicate_key(q["q"]) for q in questions}
    labelled = matcher.knowledge.extras.get("labelled") or {}
    kept = {label: [q for q in qs if duplicate_key(q) not in keys] for label, qs in labelled.items()}
    neighbours = Neighbours(Neighbours.build(kept, readings_of(kept, read or matcher.read)))
    opinion = matcher.second_opinion
    rows: list[Row] = []
    for question in questions:
        text = question["q"]
        gold = {DECLINE} if question["gold"] == ["none"] else set(question["gold"])
        result = matcher.decider.match(text, 3, None)
        if not opinion.weighs(result):
            continue
        read = matcher.analyser.analyse(result.query).repaired
        county = matcher.county_in(text) or matcher.analyser.department_in(read)
        named = opinion.named_elsewhere(result, text, read)
        seen = evidence(result, neighbours, read, normalize(text), named, linear)
        if not seen.nearest or opinion.ruled(seen, county) is not None:
            continue
        labels = [label for label in seen.candidates() if may_become(result, seen.ours, label, county)]
        right = [label in gold for label in labels]
        rows.append(([seen.features(label) for label in labels], right, labels, seen.ours))
    return rows, len(questions)


def train(rows: list[Row]) -> Weights:
    features = [f for candidates, *_ in rows for f in candidates]
    return fit(features, [r for _, right, *_ in rows for r in right])


def measure(weights: Weights, rows: list[Row]) -> tuple[int, int]:
    """Questions whose gold answer the matcher's own pick is, and the model's pick."""
    ours = model = 0
    for features, right, labels, mine in rows:
        model += right[int(weights.probabilities(features).argmax())]
        ours += mine in labels and right[labels.index(mine)]
    return ours, model


def write(weights: Weights, sets: tuple[str, ...], path: Path = WEIGHTS_FILE) -> None:
    """A Python module (no data file to package), one line per feature."""

    def column(name: str, values: tuple[float, ...]) -> str:
        lines = [f"    {value!r},  # {feature}" for value, feature in zip(values, FEATURES, strict=True)]
        return f"{name} = (\n" + "\n".join(lines) + "\n)\n"

    trained_on = textwrap.fill(", ".join(sets), width=96)
    path.write_text(
        f'"""Written by scripts/train_combiner.py: do not edit by hand. Trained on:\n\n{trained_on}.\n"""\n\n'
        + "FEATURES = (\n"
        + "".join(f'    "{feature}",\n' for feature in FEATURES)
        + ")\n"
        + column("MEAN", weights.mean)
        + column("SCALE", weights.scale)
        + column("WEIGHTS", weights.weights)
        + f"BIAS = {weights.bias!r}\n",
        encoding="utf-8",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loo", action="store_true", help="measure each set with a model trained without it")
    parser.add_argument("--sets", nargs="*", default=list(TRAINING))
    args = parser.parse_args()
    try:
        shipped()
    except RuntimeError:  # the features changed: start from a model that weighs nothing
        zeros = tuple(0.0 for _ in FEATURES)
        write(Weights(zeros, tuple(1.0 for _ in FEATURES), zeros, 0.0), ())
        importlib.reload(combiner_weights)
    matcher = matcher_for(load_knowledge())
    read = functools.cache(matcher.read)
    linear = linear_models(args.sets, matcher.knowledge.extras.get("labelled") or {}, read)
    by_set = {}
    for name in args.sets:
        by_set[name] = rows_of(name, matcher, read, linear[name])
        print(f"{name}: {len(by_set[name][0])} of {by_set[name][1]} questions weighed", flush=True)
    if args.loo:
        total = Counter()
        for name, (rows, _) in by_set.items():
            weights = train([r for other, (rs, _) in by_set.items() if other != name for r in rs])
            ours, model = measure(weights, rows)
            total.update(ours=ours, model=model, weighed=len(rows))
            print(f"{name}: of {len(rows)} weighed, matcher's pick right {ours}, model's {model}")
        ours, model = total["ours"], total["model"]
        print(f"all: of {total['weighed']} weighed, matcher's pick right {ours}, model's {model}")
    weights = train([r for rows, _ in by_set.values() for r in rows])
    write(weights, tuple(args.sets))
    print(f"wrote {WEIGHTS_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
