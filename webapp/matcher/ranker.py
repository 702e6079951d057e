"""The learned ranker: logistic regression over sparse text features, in two stages.

    stage 1  P(scam | text)   a binary logistic regression: every scam example against every benign one
                              (small talk, everyday questions, genuine notices, marketing, look-alikes)
    stage 2  P(type | scam)   a multinomial logistic regression over the scam types, on scam examples only
    intent   P(intent | not)  which small-talk reply fits, on benign examples only

Features (features.py, pairs.py): character 2-4-grams, jieba words, pinyin pairs, English stems and pairs,
URL and money signals, and the claimed identity × request pairs; TF-IDF weighted (sublinear), each kind
scaled by a weight. Why discriminative and not naive Bayes: naive Bayes counts a noun shared by many types
(账户, 验证码, 链接, APP) as evidence for each type that mentions it, so neighbours win; logistic regression
learns the weight of each feature against all the others, so a shared noun weighs little and what tells
types apart decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC
from threadpoolctl import threadpool_limits

from .features import Feature, features, kind_of
from .pairs import pair_features

# Features in blocks, each TF-IDF weighted and normalised on its own, then weighted: so the many character
# n-grams do not drown the few words, and the few identity x request pairs still count.
BLOCKS = {
    "chars": (("c1", "c2", "c3", "c4"), 1.0),
    "words": (("j", "w", "w2"), 1.0),
    "sound": (("py",), 0.3),
    "pairs": (("sig", "id", "req", "pair"), 0.5),
}


@lru_cache(maxsize=32768)
def located(text: str) -> tuple[Feature, ...]:
    """Every feature of normalised text with where it came from."""
    return (*features(text), *pair_features(text))


def tokens(text: str) -> tuple[str, ...]:
    return tuple(f for f, _, _ in located(text))


_BLOCK_OF = {kind: index for index, (kinds, _) in enumerate(BLOCKS.values()) for kind in kinds}


@lru_cache(maxsize=32768)
def blocked(text: str) -> tuple[tuple[str, ...], ...]:
    """The features of normalised text, one tuple per block."""
    parts: list[list[str]] = [[] for _ in BLOCKS]
    for feature in tokens(text):
        parts[_BLOCK_OF[kind_of(feature)]].append(feature)
    return tuple(tuple(part) for part in parts)


class _Block:
    """An analyzer taking one block of `blocked` features (picklable, unlike a lambda)."""

    def __init__(self, index: int):
        self.index = index

    def __call__(self, doc: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
        return doc[self.index]


class Ranker:
    C_SCAM = 64.0  # inverse regularisation of stage 1
    C_TYPE = 8.0  # of stage 2
    C_INTENT = 0.5
    C_SVM = 0.5
    TEMPERATURE = 4.0  # softmax over the SVM's margins

    def __init__(self, examples: Sequence[tuple[str, str]], benign_labels: frozenset[str] | set[str]):
        """examples: (label, normalised text); a label in `benign_labels` is not a scam."""
        with threadpool_limits(1):  # small sparse problems: threads only fight each other (10x slower on 2 cores)
            self._fit(examples, benign_labels)

    def _fit(self, examples: Sequence[tuple[str, str]], benign_labels: frozenset[str] | set[str]) -> None:
        labels = [label for label, _ in examples]
        docs = [blocked(text) for _, text in examples]
        self.blocks = []
        parts = []
        for index, (_, weight) in enumerate(BLOCKS.values()):
            vectorizer = TfidfVectorizer(analyzer=_Block(index), sublinear_tf=True, dtype=np.float64)
            parts.append(vectorizer.fit_transform(docs) * weight)
            self.blocks.append((vectorizer, weight))
        matrix = sparse.hstack(parts).tocsr()
        self.columns = {}  # feature -> column of the whole matrix
        offset = 0
        for vectorizer, _ in self.blocks:
            for feature, column in vectorizer.vocabulary_.items():
                self.columns[feature] = offset + column
            offset += len(vectorizer.vocabulary_)
        scam = np.array([label not in benign_labels for label in labels])
        self.scam_model = LogisticRegression(C=self.C_SCAM, class_weight="balanced", solver="liblinear")
        self.scam_model.fit(matrix, scam)
        self.type_model = LinearSVC(C=self.C_SVM)
        self.type_model.fit(matrix[scam], np.array(labels)[scam])
        self.types = tuple(self.type_model.classes_)
        benign = ~scam
        self.intent_model = None
        if len({label for label, s in zip(labels, scam) if not s}) >= 2:
            self.intent_model = LinearSVC(C=self.C_INTENT)
            self.intent_model.fit(matrix[benign], np.array(labels)[benign])
        self._type_coef = self.type_model.coef_ - self.type_model.coef_.mean(axis=0)

    def vector(self, text: str):
        doc = [blocked(text)]
        return sparse.hstack([vectorizer.transform(doc) * weight for vectorizer, weight in self.blocks]).tocsr()

    def scam_probability(self, vector) -> float:
        return float(self.scam_model.predict_proba(vector)[0, 1])

    def type_probabilities(self, vector) -> list[tuple[str, float]]:
        margins = self.type_model.decision_function(vector)[0] * self.TEMPERATURE
        odds = np.exp(margins - margins.max())
        probabilities = odds / odds.sum()
        order = np.argsort(-probabilities)
        return [(str(self.types[i]), float(probabilities[i])) for i in order]

    def intent(self, vector) -> str | None:
        if self.intent_model is None:
            return None
        return str(self.intent_model.predict(vector)[0])

    def spans(self, text: str, slug: str, vector) -> tuple[tuple[int, int], ...]:
        """Where in normalised text the features that speak most for `slug` are (for `why`)."""
        row = self.types.index(slug)
        coef = self._type_coef[row]
        vocabulary = self.columns
        gain: dict[str, float] = {}
        values = dict(zip(vector.indices, vector.data))
        for feature, _, _ in located(text):
            if kind_of(feature) in ("py", "sig", "id", "req", "pair"):
                continue
            column = vocabulary.get(feature)
            if column is not None:
                gain[feature] = values.get(column, 0.0) * coef[column]
        if not gain:
            return ()
        top = max(gain.values())
        if top <= 0:
            return ()
        strong = {f for f, g in gain.items() if g >= top * 0.4}
        spans = sorted({(s, e) for f, s, e in located(text) if f in strong})
        merged: list[list[int]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        return tuple((s, e) for s, e in merged)
