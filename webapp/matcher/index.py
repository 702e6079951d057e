"""The retrieval index: a naive Bayes model over each scam type's example texts.

Every scam type, and every small-talk intent ("~greeting", "~offtopic"...), is a class whose examples are
its phrases, title, red flags and keywords. For a text, each class is scored by the average evidence its
features give for that class against the whole collection:

    score(c) = mean over the text's known features f of  w(f) * log( P(f | c) / P(f) )

with P(f | c) the share of c's examples containing f (additively smoothed) and w(f) the feature kind's weight.
Why this and not nearest-neighbour TF-IDF: TF-IDF counted a word common to a type's own phrases
("银行卡" in card renting) as weak, because document frequency was taken over phrases; here a feature
weighs by how much more often it appears in one type than in all the others, so each type's own
vocabulary is what decides, and every example of a type votes.

The scores are then turned into a posterior over all classes (a softmax at a calibrated temperature), so a
text that reads like small talk, a genuine notice or an everyday question takes probability away from the
scam types. `Scored.score` is that posterior; `Scored.raw` the mean evidence.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from .features import Feature, features, prepare, weight_of
from .normalise import normalise


@dataclass(frozen=True)
class TypeDoc:
    """What the index knows of one scam type: its example phrases and key expressions, any language."""

    slug: str
    role: str
    phrases: tuple[str, ...]
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scored:
    slug: str
    score: float  # posterior probability of this type, 0..1
    raw: float  # mean log evidence per feature
    spans: tuple[tuple[int, int], ...]  # where in the normalised text the evidence is


class Index:
    ALPHA = 0.1  # additive smoothing of feature counts
    TEMPERATURE = 6.0  # softmax sharpness over mean evidence, for a text with REFERENCE_FEATURES features
    REFERENCE_FEATURES = 60
    LENGTH_POWER = 0.7
    KEYWORD_BONUS = 0.05  # per keyword of a type found in the text (up to 3)

    def __init__(self, docs: Sequence[TypeDoc], benign: Mapping[str, Sequence[str]] | None = None):
        prepare()
        self.keyword_owners: dict[str, list[str]] = defaultdict(list)
        for doc in docs:
            for keyword in {normalise(k) for k in doc.keywords if len(k) >= 2}:
                self.keyword_owners[keyword].append(doc.slug)
        examples: dict[str, list[str]] = {doc.slug: [*doc.phrases, *doc.keywords] for doc in docs}
        for intent, phrases in (benign or {}).items():
            examples[f"~{intent}"] = list(phrases)
        counts: dict[str, Counter[str]] = {}
        for owner, texts in examples.items():
            counted: Counter[str] = Counter()
            for text in texts:
                counted.update({f: weight_of(f) for f, _, _ in features(normalise(text))})
            counts[owner] = counted
        background: Counter[str] = Counter()
        for counted in counts.values():
            background.update(counted)
        vocabulary = len(background)
        total = sum(background.values()) + self.ALPHA * vocabulary
        self.owners = tuple(counts)
        # log P(f | c) for an unseen f, per class; and per feature the classes that have seen it.
        self.unseen = {
            owner: math.log(self.ALPHA / (sum(counted.values()) + self.ALPHA * vocabulary))
            for owner, counted in counts.items()
        }
        self.background = {f: math.log((n + self.ALPHA) / total) for f, n in background.items()}
        self.seen: dict[str, dict[str, float]] = defaultdict(dict)  # feature -> owner -> log P(f|c) - unseen(c)
        for owner, counted in counts.items():
            denominator = sum(counted.values()) + self.ALPHA * vocabulary
            for f, n in counted.items():
                self.seen[f][owner] = math.log((n + self.ALPHA) / denominator) - self.unseen[owner]

    def evidence(self, feats: Sequence[Feature]) -> tuple[dict[str, float], int]:
        """Mean evidence for each class (scam types and ~intents) from the text's known features, and their number."""
        known = {f for f, _, _ in feats if f in self.background}
        if not known:
            return {}, 0
        weight_sum = sum(weight_of(f) for f in known)
        base = -sum(weight_of(f) * self.background[f] for f in known)
        totals = {owner: base + weight_sum * self.unseen[owner] for owner in self.owners}
        for f in known:
            w = weight_of(f)
            for owner, extra in self.seen[f].items():
                totals[owner] += w * extra
        return {owner: value / len(known) for owner, value in totals.items()}, len(known)

    def score(self, text: str) -> tuple[list[Scored], float, str | None]:
        """The best scam types (posterior, best first), the probability of small talk, and its intent."""
        feats = list(features(text))
        evidence, known = self.evidence(feats)
        if not evidence:
            return [], 0.0, None
        for slug, hits in self._keyword_hits(text).items():
            evidence[slug] += self.KEYWORD_BONUS * min(hits, 3)
        top = max(evidence.values())
        # Longer texts carry more evidence: sharpen with the number of features, but far less than naive
        # Bayes' sum would (it makes long texts look certain).
        sharpness = self.TEMPERATURE * (known / self.REFERENCE_FEATURES) ** self.LENGTH_POWER
        odds = {owner: math.exp(sharpness * (value - top)) for owner, value in evidence.items()}
        norm = sum(odds.values())
        scams = sorted((o for o in self.owners if not o.startswith("~")), key=evidence.__getitem__, reverse=True)
        benign = max((o for o in self.owners if o.startswith("~")), key=evidence.__getitem__, default=None)
        scored = [Scored(slug, odds[slug] / norm, evidence[slug], self._spans(slug, feats) if rank < 3 else ())
                  for rank, slug in enumerate(scams[:5])]
        if benign is None:
            return scored, 0.0, None
        return scored, odds[benign] / norm, benign[1:]

    def _keyword_hits(self, text: str) -> Counter[str]:
        """Key expressions of each type found in the text: exactly, or (long ones) nearly, for typos."""
        hits: Counter[str] = Counter()
        for keyword, slugs in self.keyword_owners.items():
            if keyword in text or (len(keyword) >= 4 and fuzz.partial_ratio(keyword, text, score_cutoff=88)):
                hits.update(slugs)
        return hits

    def _spans(self, slug: str, feats: Sequence[Feature]) -> tuple[tuple[int, int], ...]:
        """The stretches of text whose features speak most for this type (for `why`)."""
        gain = {}
        for f, _, _ in feats:
            if f in self.background and not f.startswith(("py:", "sig:")):
                gain[f] = weight_of(f) * (self.seen[f].get(slug, 0.0) + self.unseen[slug] - self.background[f])
        if not gain:
            return ()
        top = max(gain.values())
        if top <= 0:
            return ()
        strong = {f for f, g in gain.items() if g >= top * 0.5}
        spans = sorted({(s, e) for f, s, e in feats if f in strong})
        merged: list[list[int]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        return tuple((s, e) for s, e in merged)
