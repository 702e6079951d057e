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
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC
from threadpoolctl import threadpool_limits

from .features import Feature, blocks, kind_of
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
def _blocks(text: str) -> tuple[tuple[Feature, ...], ...]:
    chars, words, sound, signals = blocks(text)
    return tuple(chars), tuple(words), tuple(sound), (*signals, *pair_features(text))


def located(text: str) -> tuple[Feature, ...]:
    """Every feature of normalised text with where it came from."""
    return tuple(f for block in _blocks(text) for f in block)


def tokens(text: str) -> tuple[str, ...]:
    return tuple(f for block in _blocks(text) for f, _, _ in block)


@lru_cache(maxsize=32768)
def blocked(text: str) -> tuple[tuple[str, ...], ...]:
    """The features of normalised text, one tuple per block (in the order of BLOCKS)."""
    return tuple(tuple(f for f, _, _ in block) for block in _blocks(text))


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
        matrix = self._vectorise([blocked(text) for _, text in examples])
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
        self._scam_coef, self._scam_bias = self.scam_model.coef_[0], float(self.scam_model.intercept_[0])
        self._type_w, self._type_bias = self.type_model.coef_, self.type_model.intercept_

    def _vectorise(self, docs: Sequence[tuple[tuple[str, ...], ...]]) -> sparse.csr_matrix:
        """TF-IDF rows of the training texts, block by block: sublinear counts times smoothed IDF, each
        block of a row normalised to length one, then weighted. The sums of scikit-learn's TfidfVectorizer
        (one per block), in one pass over a shared vocabulary (a third of the build time less)."""
        self.columns = {}  # feature -> column
        block_of: list[int] = []
        indices: list[int] = []
        counts: list[int] = []
        indptr = [0]
        for doc in docs:
            row: dict[int, int] = {}
            for block, features in enumerate(doc):
                for feature in features:
                    column = self.columns.get(feature)
                    if column is None:
                        column = self.columns[feature] = len(block_of)
                        block_of.append(block)
                    row[column] = row.get(column, 0) + 1
            indices += row
            counts += row.values()
            indptr.append(len(indices))
        columns = np.array(indices, dtype=np.int64)
        self._width = len(block_of)
        self._block = np.array(block_of, dtype=np.int64)
        self._weights = np.array([weight for _, weight in BLOCKS.values()])
        frequency = np.bincount(columns, minlength=self._width)
        self._idf = np.log((1 + len(docs)) / (1 + frequency)) + 1.0
        values = (1.0 + np.log(np.array(counts, dtype=np.float64))) * self._idf[columns]
        rows = np.repeat(np.arange(len(docs)), np.diff(indptr))
        group = rows * len(self._weights) + self._block[columns]
        norms = np.sqrt(np.bincount(group, weights=values * values, minlength=len(docs) * len(self._weights)))
        values *= self._weights[self._block[columns]] / np.where(norms[group] > 0, norms[group], 1.0)
        return sparse.csr_matrix((values, columns, np.array(indptr)), shape=(len(docs), self._width))

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
