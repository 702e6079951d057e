"""The learned ranker: linear models over sparse text features, in two stages.

    stage 1  P(scam | text)   a class-balanced binary logistic regression: every scam example against every
                              benign one (small talk, everyday questions, genuine notices, marketing,
                              look-alikes); its threshold (Matcher.SCAM) chosen on held-out folds
    stage 2  P(type | scam)   a linear SVM over the scam types (one against the rest), on scam examples
                              only; a softmax over its margins turns them into shares that sum to one
    intent                    which small-talk reply fits: a linear SVM on benign examples only

Features (features.py, pairs.py): character 1-4-grams, jieba words, pinyin pairs, English stems and pairs,
URL and money signals, and the claimed identity x request pairs; TF-IDF weighted (sublinear) in blocks.
The SVM for types because it fits in a fraction of the time of a multinomial logistic regression (well
under a second against several) and ranked held-out texts as well. Why discriminative and not naive Bayes: naive Bayes counts a noun shared by many types
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
    C_SVM = 0.5  # of stage 2
    C_INTENT = 0.5
    TEMPERATURE = 2.0  # softmax over the SVM's margins (from held-out folds; it moves only hedging and runners-up)

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
        # For one message at a time, the same sums as the vectorizers' and models' own, without their
        # per-call checks (a third of a millisecond each, seven times a message).
        self._idf = np.concatenate([vectorizer.idf_ for vectorizer, _ in self.blocks])
        self._block = np.concatenate([np.full(len(v.idf_), i) for i, (v, _) in enumerate(self.blocks)])
        self._weights = np.array([weight for _, weight in self.blocks])
        self._scam_coef, self._scam_bias = self.scam_model.coef_[0], float(self.scam_model.intercept_[0])
        self._type_w, self._type_bias = self.type_model.coef_, self.type_model.intercept_
        self._width = len(self._idf)

    def vector(self, text: str) -> sparse.csr_matrix:
        """The text's row, as the fitted vectorizers would give it."""
        counts: dict[int, int] = {}
        for feature in tokens(text):
            column = self.columns.get(feature)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        columns = np.array(sorted(counts), dtype=np.int64)
        if not len(columns):
            return sparse.csr_matrix((1, self._width))
        values = (1.0 + np.log([counts[c] for c in columns])) * self._idf[columns]
        block = self._block[columns]
        norms = np.sqrt(np.bincount(block, weights=values * values, minlength=len(self._weights)))
        values = values / norms[block] * self._weights[block]
        return sparse.csr_matrix((values, columns, [0, len(columns)]), shape=(1, self._width))

    def scam_probability(self, vector) -> float:
        score = float(vector.data @ self._scam_coef[vector.indices]) + self._scam_bias
        return 1.0 / (1.0 + np.exp(-score))

    def type_probabilities(self, vector) -> list[tuple[str, float]]:
        margins = (self._type_w[:, vector.indices] @ vector.data + self._type_bias) * self.TEMPERATURE
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
