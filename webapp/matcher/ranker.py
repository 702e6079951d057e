"""The learned ranker: linear models over sparse text features, in two stages.

    stage 1  P(scam | text)   two binary logistic regressions, every scam example against every benign one
                              (small talk, everyday questions, genuine notices, marketing, look-alikes),
                              scam and not-scam balanced within each language: one on the features below,
                              one on plain character 1-3-grams of the whole text; the mean of their log
                              odds (two views err on different texts: held-out AUC 0.970 and 0.970 alone,
                              0.976 together); a type's key expressions weigh little here (TERMS); its
                              threshold (Matcher.SCAM) chosen on held-out folds
    stage 2  P(type | scam)   a linear SVM over the scam types and the kinds of benign text (one against
                              the rest), on every example; a softmax over the types' margins turns them
                              into shares that sum to one. Where a benign kind has the larger margin, the
                              text reads more like a look-alike than like any one type (`looks_benign`): a
                              second opinion for stage 1, which sets every scam against every benign text
                              at once; beside it, the raw grams' SVM and complement naive Bayes over the types
    intent                    which small-talk reply fits: the benign kind with the largest margin

Features (features.py, pairs.py): Chinese character 1-4-grams, jieba words, pinyin pairs, English stems,
pairs and letter 3-4-grams, URL and money signals, and the claimed identity x request pairs; TF-IDF weighted (sublinear) in blocks.
The SVM for types because it fits in a fraction of the time of a multinomial logistic regression (well
under a second against several) and ranked held-out texts as well. Why discriminative and not naive Bayes: naive Bayes counts a noun shared by many types
(账户, 验证码, 链接, APP) as evidence for each type that mentions it, so neighbours win; logistic regression
learns the weight of each feature against all the others, so a shared noun weighs little and what tells
types apart decides.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from operator import itemgetter

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import ComplementNB
from sklearn.svm import LinearSVC
from threadpoolctl import threadpool_limits

from .features import CJK_RUN, Feature, blocks, kind_of, raw_grams
from .fitting import apart
from .pairs import pair_features
from .space import Space

# Blocks, each TF-IDF weighted and normalised on its own, then weighted: the many character n-grams do not drown the
# few words. Pairs' weight from the folds (ranker-16): 0.5 -> 0.7, held-out 0.863/0.938/0.956 -> 0.864/0.939/0.959.
BLOCKS = {
    "chars": (("c1", "c2", "c3", "c4"), 1.0),
    "words": (("j", "w", "w2"), 1.0),
    "sound": (("py",), 0.3),
    "pairs": (("sig", "id", "req", "pair", "cue"), 0.7),
}


@lru_cache(maxsize=32768)
def _blocks(text: str) -> tuple[tuple[Feature, ...], ...]:
    chars, words, sound, signals = blocks(text)
    return tuple(chars), tuple(words), tuple(sound), (*signals, *pair_features(text))


def located(text: str) -> tuple[Feature, ...]:
    """Every feature of normalised text with where it came from."""
    return tuple(f for block in _blocks(text) for f in block)


def tokens(text: str) -> tuple[str, ...]:
    return tuple(f for block in blocked(text) for f in block)


_FEATURE = itemgetter(0)


@lru_cache(maxsize=32768)
def blocked(text: str) -> tuple[tuple[str, ...], ...]:
    """The features of normalised text, one tuple per block (in the order of BLOCKS)."""
    return tuple(tuple(map(_FEATURE, block)) for block in _blocks(text))


Tokens = tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]  # (blocked features, raw grams) of a text


def tokenised(text: str) -> Tokens:
    """What the build needs of one normalised training text."""
    return blocked(text), raw_grams(text)


class Ranker:
    C_SCAM = 64.0  # inverse regularisation of stage 1, on the matcher's features
    C_RAW = 30.0  # of stage 1's second view, the plain character 1-3-grams
    C_SVM = 0.5  # of stage 2
    TOL_SVM = 2e-2  # its stopping tolerance: 1e-2 moved weights < 0.001 from 1e-4's; 2e-2, a tenth faster again
    # In stage 1, a type's key expressions (titles, red flags, names, keywords: "解冻费", "safe account") weigh
    # this much of a message: they are not what people write, and at full weight they teach that any short
    # text is a scam ("great", "tell me a story"). Stage 2 learns them fully. 0.1 against 1: quiz scenes
    # 0.821/0.938 -> 0.829/0.946, dev top-3 0.988 -> 0.994; held-out top-1/rejection 0.831/0.916 -> 0.833/0.913
    # at P(scam) >= 0.75, or 0.822/0.928 at 0.79 (the folds' curve moves out a little).
    TERMS = 0.1
    # Stage 1's views, weights of their log odds: the features' regression, the raw grams' regression, stage
    # 2's lead of a type over "not a scam". Chosen on the held-out folds (bench.chat --held-out): the mean of
    # the two regressions alone, AUC 0.981, top-1/top-3/rejection 0.835/0.919/0.930 at P(scam) >= 0.70 (with
    # the veto); these, AUC 0.983, 0.842/0.927/0.930 at 0.75 (stage 2 a graded opinion, not only the veto).
    VIEWS = (0.4, 0.6, 1.5)
    # In stage 1, a benign look-alike of a type (benign.yaml under a type's key: the real courier, the boss who
    # asks in person) weighs this much: they are the hard negatives, few against the scam texts of their topic.
    # Held-out folds, at the thresholds chosen for each: 1.0, top-1/top-3/rejection 0.836/0.916/0.948 with
    # narrated rejection 0.924; 2.5, 0.837/0.917/0.953 and 0.933; 4.0 gave no more.
    LOOK_ALIKE = 2.5
    BENIGN_LEAD = -0.5  # stage 2 finds a text a look-alike when a benign kind leads every type by this much
    # Stage 2's second view, the raw grams' SVM over the types: its margins' weight, added to the features' SVM's
    # (averaged, P(type | scam) came out flatter: fewer types named alone). Held-out, with the cues: 0.839/0.919/
    # 0.954 without, 0.846/0.922/0.954 with 0.5 (types only, C 0.5; the best type right before stage 1 in 0.889 of
    # scam texts, 0.880 without). Over every class, or at C_SVM 1.0 (0.850/0.924): about the same, slower to fit.
    RAW_TYPES = 0.5
    C_RAW_SVM = 0.25  # with TOL_RAW_SVM 0.2 (and TOL_SVM 2e-2): 0.847/0.923/0.954 against 0.848/0.923/0.954 at
    TOL_RAW_SVM = 0.2  # C 0.5, tol 5e-2, TOL_SVM 1e-2, in 0.14 s less (the refit after a content change)
    # Stage 2's third view: complement naive Bayes over the types on the matcher's features, its log-likelihoods
    # standardised over the types for each text (a text's length and wording then do not set their scale) and
    # added with this weight. Naive Bayes alone lets a shared noun speak for every type that has it; as a small
    # third opinion beside the SVMs it knows the features too rare for a margin. Held-out folds, the likeliest
    # type 0.909 -> 0.920 (English 0.888 -> 0.907), unseen.yaml 0.914 -> 0.926; weights 0.05-0.2 and smoothing
    # 0.01-0.1 all gained, 0.5 lost.
    NB_TYPES = 0.1
    NB_ALPHA = 0.03
    TEMPERATURE = 2.0  # softmax over the SVM's margins (from held-out folds; it moves only hedging and runners-up)

    def __init__(self, examples: Sequence[tuple[str, str]], benign_labels: frozenset[str] | set[str],
                 tokens: Mapping[str, Tokens] | None = None, terms: Sequence[bool] = (),
                 meanwhile: Callable[[], object] | None = None):
        """examples: (label, normalised text); a label in `benign_labels` is not a scam. tokens: what
        `tokenised` gave for some of the texts before (kept by the Matcher between builds). terms: which
        examples are key expressions rather than messages (weighed TERMS in stage 1). meanwhile: work run
        on this thread while the models are fitted on the other (the Matcher saves the tokens there)."""
        with threadpool_limits(1):  # small sparse problems: threads only fight each other (10x slower on 2 cores)
            self._fit(examples, benign_labels, tokens or {}, terms, meanwhile)

    @staticmethod
    def balance(scam: np.ndarray, chinese: np.ndarray) -> np.ndarray:
        """Sample weights giving scam and not-scam the same total weight within each language: English has
        fewer benign texts than Chinese, and a class balance over all would leave its bias towards scam."""
        weights = np.ones(len(scam))
        for group in (scam & chinese, scam & ~chinese, ~scam & chinese, ~scam & ~chinese):
            if group.any():
                weights[group] = len(scam) / (4 * group.sum())
        return weights

    def _fit(self, examples: Sequence[tuple[str, str]], benign_labels: frozenset[str] | set[str],
             tokens: Mapping[str, Tokens], terms: Sequence[bool], meanwhile: Callable[[], object] | None) -> None:
        labels = np.array([label for label, _ in examples])
        known = [tokens.get(text) or tokenised(text) for _, text in examples]
        self.space = Space([features for features, _ in known], [weight for _, weight in BLOCKS.values()])
        matrix = self.space.matrix
        scam = np.array([label not in benign_labels for label in labels])
        weights = self.balance(scam, np.array([bool(CJK_RUN.search(text)) for _, text in examples]))
        if len(terms):
            weights[np.asarray(terms, dtype=bool)] *= self.TERMS
        weights[np.char.endswith(labels.astype(str), ":look-alike")] *= self.LOOK_ALIKE
        # Stage 2's classes: the scam types, and each kind of benign text as its own class ("~greeting",
        # "~notice:look-alike", "~notice:marketing", ...): a look-alike of a type, an advert and small talk are
        # not alike, and one hyperplane for all of them blurs each. A text reads benign to stage 2 when one of
        # these leads every type.
        # The types' SVM, the longest fit, in a forked process (fitting.py: liblinear's one random generator per
        # process); the three others one after another on a thread here, which liblinear lets go of the GIL.
        types_fitting = apart(LinearSVC(C=self.C_SVM, tol=self.TOL_SVM, random_state=0), matrix, labels)

        def solve():
            return LogisticRegression(C=self.C_SCAM, solver="liblinear").fit(matrix, scam, sample_weight=weights)

        types_only = np.flatnonzero(scam)

        def solve_raw():
            # Stage 2's second view: a linear SVM over the scam types alone on the plain character grams (the
            # raw view, counted for stage 1). Its margins are added to the features' SVM's (RAW_TYPES).
            raw_model = LogisticRegression(C=self.C_RAW, solver="liblinear").fit(self.raw.matrix, scam, sample_weight=weights)
            if len(set(labels[types_only])) < 2:
                return raw_model, None
            return raw_model, LinearSVC(C=self.C_RAW_SVM, tol=self.TOL_RAW_SVM, random_state=0).fit(
                self.raw.matrix[types_only], labels[types_only])

        with ThreadPoolExecutor(1) as pool:  # one liblinear fit at a time: they share its random generator
            solving = pool.submit(solve)
            self.raw = Space([(grams,) for _, grams in known], [1.0])
            solving_raw = pool.submit(solve_raw)  # after `solve`, on the same thread
            if meanwhile is not None:
                meanwhile()
            scam_model = solving.result()
            raw_model, raw_types = solving_raw.result()
        naive = ComplementNB(alpha=self.NB_ALPHA).fit(matrix[types_only], labels[types_only]) if len(types_only) else None
        type_model = types_fitting()
        classes = [str(c) for c in type_model.classes_]
        kept = [i for i, c in enumerate(classes) if c not in benign_labels]
        none = [i for i, c in enumerate(classes) if c in benign_labels]
        self.types = tuple(classes[i] for i in kept)
        # Which small-talk reply fits: the benign class with the largest margin, by its intent ("~notice:marketing"
        # answers as "~notice"). Only the weights are kept (the cache file: 24 MB instead of 40).
        self.intents = tuple(classes[i].partition(":")[0] for i in none)
        self._scam_coef, self._scam_bias = scam_model.coef_[0], float(scam_model.intercept_[0])
        self._raw_coef, self._raw_bias = raw_model.coef_[0], float(raw_model.intercept_[0])
        self._type_w, self._type_bias = type_model.coef_[kept], type_model.intercept_[kept]
        raw_classes = [str(c) for c in raw_types.classes_] if raw_types is not None else []
        if len(raw_classes) == 2:  # two types: one margin, positive for the second
            signs = np.array([1.0 if raw_classes.index(slug) else -1.0 for slug in self.types])
            self._raw_type_w, self._raw_type_bias = signs[:, None] * raw_types.coef_[0], signs * raw_types.intercept_[0]
        else:  # three or more types; one or none: nothing to tell apart
            order = [raw_classes.index(slug) for slug in self.types] if raw_classes else []
            self._raw_type_w = raw_types.coef_[order] if raw_classes else np.zeros((len(self.types), self.raw.width))
            self._raw_type_bias = raw_types.intercept_[order] if raw_classes else np.zeros(len(self.types))
        if len(classes) == 2:  # one margin, positive for the second class
            self._type_w = np.vstack([-type_model.coef_[0], type_model.coef_[0]])[kept]
            self._type_bias = np.array([-type_model.intercept_[0], type_model.intercept_[0]])[kept]
            self._none_w = np.vstack([-type_model.coef_[0], type_model.coef_[0]])[none]
            self._none_bias = np.array([-type_model.intercept_[0], type_model.intercept_[0]])[none]
        else:
            self._none_w, self._none_bias = type_model.coef_[none], type_model.intercept_[none]
        if not none:
            self._none_w, self._none_bias = np.zeros((1, self.space.width)), np.array([-np.inf])
        if naive is not None and len(naive.classes_) > 1:  # float32: its weights would otherwise double the cache
            rows = [list(naive.classes_).index(slug) for slug in self.types]
            self._nb_w = naive.feature_log_prob_[rows].astype(np.float32)
        else:
            self._nb_w = np.zeros((len(self.types), self.space.width), dtype=np.float32)
        self._type_mean = self._type_w.mean(axis=0)  # what a feature says for every type alike
        self.space.matrix = self.raw.matrix = None  # not needed after the fit, nor in the cache
        # Letter grams alone ("wer" in "asdf qwer") are no evidence that a text is about anything we know.
        self._evidence = np.zeros(self.space.width, dtype=bool)
        self._evidence[[c for f, c in self.space.columns.items() if not f.startswith(("e3:", "e4:"))]] = True

    def knows(self, vector) -> bool:
        """Whether the text has a word, a Chinese character or a signal the training texts had."""
        return bool(self._evidence[vector.indices].any())

    @property
    def columns(self) -> dict[str, int]:
        return self.space.columns

    def vector(self, text: str) -> sparse.csr_matrix:
        """The text's row in the matcher's feature space, as at build time."""
        return self.space.row(tokens(text))

    def raw_vector(self, text: str) -> sparse.csr_matrix:
        """The text's row in the raw view (plain character grams of normalised text)."""
        return self.raw.row(raw_grams(text))

    def scam_probability(self, vector, text: str, raw=None) -> float:
        """Stage 1: three views' log odds, weighed (VIEWS): a logistic regression on the matcher's features
        (`vector` of `text`), one on the plain character grams of `text`, and stage 2's margin of the
        likeliest type over "not a scam". They err on different texts."""
        raw = self.raw_vector(text) if raw is None else raw
        features = float(vector.data @ self._scam_coef[vector.indices]) + self._scam_bias
        grams = float(raw.data @ self._raw_coef[raw.indices]) + self._raw_bias
        score = self.VIEWS[0] * features + self.VIEWS[1] * grams + self.VIEWS[2] * self._type_lead(vector)
        return 1.0 / (1.0 + np.exp(-score))

    def _type_lead(self, vector) -> float:
        """Stage 2's margin of the likeliest type over "not a scam" (negative: reads more like a look-alike)."""
        none = float(np.max(self._none_w[:, vector.indices] @ vector.data + self._none_bias))
        return float(np.max(self._type_w[:, vector.indices] @ vector.data + self._type_bias)) - none

    def type_probabilities(self, vector, raw) -> list[tuple[str, float]]:
        """Stage 2: P(type | scam) of a text from its two rows (`vector`, and `raw_vector`'s), likeliest first."""
        margins = self._type_w[:, vector.indices] @ vector.data + self._type_bias
        margins += self.RAW_TYPES * (self._raw_type_w[:, raw.indices] @ raw.data + self._raw_type_bias)
        naive = self._nb_w[:, vector.indices] @ vector.data.astype(np.float32)
        spread = float(naive.std())
        if spread > 0:
            margins += self.NB_TYPES * (naive - naive.mean()) / spread
        margins *= self.TEMPERATURE  # summed, not averaged: the features SVM's scale, P(type | scam) as sharp as before
        odds = np.exp(margins - margins.max())
        probabilities = odds / odds.sum()
        order = np.argsort(-probabilities)
        return [(str(self.types[i]), float(probabilities[i])) for i in order]

    def looks_benign(self, vector) -> bool:
        """Whether stage 2's "not a scam" has a larger margin than every scam type (by BENIGN_LEAD)."""
        return self._type_lead(vector) < self.BENIGN_LEAD

    def intent(self, vector) -> str | None:
        if len(set(self.intents)) < 2:
            return None
        scores = self._none_w[:, vector.indices] @ vector.data + self._none_bias
        return self.intents[int(np.argmax(scores))]

    def spans(self, text: str, slug: str, vector) -> tuple[tuple[int, int], ...]:
        """Where in normalised text the features that speak most for `slug` are (for `why`)."""
        row = self.types.index(slug)
        coef = self._type_w[row] - self._type_mean
        vocabulary = self.columns
        gain: dict[str, float] = {}
        values = dict(zip(vector.indices, vector.data))
        for feature, _, _ in located(text):
            if kind_of(feature) in ("py", "sig", "id", "req", "pair", "cue", "e3", "e4"):  # e3, e4: letter grams
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
