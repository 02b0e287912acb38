"""Train the linear model of the labelled questions (`bot.matcher.linear`) and write it to
`knowledge/labelled_model.npz`. Run it after the labelled questions change (`knowledge check`
says when the model is stale); then `scripts/train_combiner.py`, which weighs its scores.

    pip install -e '.[train]'
    .venv/bin/python scripts/train_labelled_model.py

Each labelled question is read as the matcher reads a new one (typos, pinyin, English put in the
knowledge's words), so the model meets a question in the words it will be asked about.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.knowledge import BUNDLED_KNOWLEDGE, load_knowledge  # noqa: E402
from bot.labelled import duplicate_key  # noqa: E402
from bot.matcher import matcher_for  # noqa: E402
from bot.matcher.linear import MODEL_FILE, LinearModel, gram_list, labelled_digest  # noqa: E402
from bot.matcher.neighbours import GRAM_DTYPE  # noqa: E402

#: A gram in fewer labelled questions than this is not one of the model's (a typo, a name).
MIN_QUESTIONS = 3
#: The SVM's regularisation (round 22, held-out and unread sets: 0.3 0.873, 0.5 0.881, 1.0 0.882).
C = 0.5
#: Weights smaller than this are left out (8% of them kept; the same answers measured).
PRUNE = 0.05


def fit(
    labelled: dict[str, list[str]], read: Callable[[str], str], left_out: Iterable[str] = ()
) -> LinearModel:
    """The model of `labelled`, less the questions whose `duplicate_key` is in `left_out`."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    skip = set(left_out)
    texts, answers = [], []
    for label, questions in labelled.items():
        for question in questions:
            if duplicate_key(question) not in skip:
                texts.append(read(question))
                answers.append(label)
    vectors = TfidfVectorizer(analyzer=gram_list, sublinear_tf=True, min_df=MIN_QUESTIONS)
    x = vectors.fit_transform(texts)
    svm = LinearSVC(C=C).fit(x, answers)
    labels = [str(label) for label in svm.classes_]
    coef = svm.coef_ if len(labels) > 2 else np.vstack([-svm.coef_[0], svm.coef_[0]])
    intercept = svm.intercept_ if len(labels) > 2 else np.array([-svm.intercept_[0], svm.intercept_[0]])
    names = vectors.get_feature_names_out()
    order = np.argsort(names.astype(GRAM_DTYPE), kind="stable")
    kept = np.abs(coef[:, order].T) >= PRUNE  # grams x labels
    gram_of, label_of = np.nonzero(kept)
    return LinearModel(
        labels=labels,
        grams=names[order].astype(GRAM_DTYPE),
        idf=vectors.idf_[order].astype(np.float32),
        starts=np.r_[0, np.cumsum(kept.sum(axis=1))].astype(np.int32),
        weight_labels=label_of.astype(np.int16),
        weights=coef[:, order].T[gram_of, label_of].astype(np.float32),
        intercept=intercept.astype(np.float32),
        trained_on=labelled_digest(labelled),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--knowledge", type=Path, default=BUNDLED_KNOWLEDGE)
    args = parser.parse_args()
    knowledge = load_knowledge(args.knowledge)
    labelled = knowledge.extras.get("labelled") or {}
    model = fit(labelled, functools.cache(matcher_for(knowledge).read))
    path = Path(args.knowledge) / MODEL_FILE
    model.save(path)
    print(f"wrote {path}: {len(model.grams)} grams, {len(model.weights)} weights, {len(model.labels)} labels")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
