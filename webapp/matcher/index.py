"""The retrieval index: TF-IDF over each scam type's phrases, scored two ways and blended.

- nearest phrase: cosine similarity with the single most similar example phrase (precise for
  texts that read like a known description);
- type profile: cosine similarity with the type's centroid (robust for long or unusual texts,
  because every phrase of the type votes).
A text that sits closer to the small-talk/benign examples than to any scam is not matched.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .features import Feature, features, weight_of
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
    score: float  # 0..1
    raw: float
    spans: tuple[tuple[int, int], ...]  # where in the normalised text the evidence is


@dataclass
class _Vector:
    owner: str  # a slug or an intent name
    weights: dict[str, float] = field(default_factory=dict)


def _vector(feats: Iterable[Feature], idf: Mapping[str, float]) -> dict[str, float]:
    counts = Counter(f for f, _, _ in feats)
    weights = {f: (1 + math.log(n)) * weight_of(f) * idf.get(f, 0.0) for f, n in counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {f: w / norm for f, w in weights.items() if w > 0}


class Index:
    NN_SHARE = 0.55  # blend of nearest phrase and type profile
    SCALE = 0.55  # raw similarity that counts as a certain match (score 1.0)
    KEYWORD_BONUS = 0.06

    def __init__(self, docs: Sequence[TypeDoc], benign: Mapping[str, Sequence[str]] | None = None):
        self.roles = {doc.slug: doc.role for doc in docs}
        self.keywords = {doc.slug: tuple({normalise(k) for k in doc.keywords if len(k) >= 2}) for doc in docs}
        texts: list[tuple[str, str]] = [(doc.slug, normalise(p)) for doc in docs for p in (*doc.phrases, *doc.keywords)]
        texts += [(f"~{intent}", normalise(p)) for intent, phrases in (benign or {}).items() for p in phrases]
        parsed = [(owner, list(features(text))) for owner, text in texts]
        df: Counter[str] = Counter()
        for _, feats in parsed:
            df.update({f for f, _, _ in feats})
        n = len(parsed)
        self.idf = {f: math.log((n + 1) / (d + 1)) + 1.0 for f, d in df.items()}
        self.vectors = [_Vector(owner, _vector(feats, self.idf)) for owner, feats in parsed]
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, vector in enumerate(self.vectors):
            for f, w in vector.weights.items():
                self.postings[f].append((i, w))
        centroids: dict[str, Counter[str]] = defaultdict(Counter)
        for vector in self.vectors:
            centroids[vector.owner].update(vector.weights)
        self.centroids: dict[str, dict[str, float]] = {}
        for owner, summed in centroids.items():
            norm = math.sqrt(sum(w * w for w in summed.values())) or 1.0
            self.centroids[owner] = {f: w / norm for f, w in summed.items()}

    def score(self, text: str) -> tuple[list[Scored], float, str | None]:
        """Every scam type scored, best first; plus the best benign similarity and its intent."""
        feats = list(features(text))
        query = _vector(feats, self.idf)
        if not query:
            return [], 0.0, None
        nearest: dict[str, float] = defaultdict(float)
        sims: dict[int, float] = defaultdict(float)
        for f, qw in query.items():
            for i, w in self.postings.get(f, ()):
                sims[i] += qw * w
        for i, sim in sims.items():
            owner = self.vectors[i].owner
            if sim > nearest[owner]:
                nearest[owner] = sim
        profile = {
            owner: sum(qw * centroid.get(f, 0.0) for f, qw in query.items())
            for owner, centroid in self.centroids.items()
        }
        results = []
        benign_best, benign_intent = 0.0, None
        for owner in self.centroids:
            raw = self.NN_SHARE * nearest.get(owner, 0.0) + (1 - self.NN_SHARE) * profile[owner]
            if owner.startswith("~"):
                if raw > benign_best:
                    benign_best, benign_intent = raw, owner[1:]
                continue
            raw += self.KEYWORD_BONUS * self._keyword_hits(owner, text)
            results.append((owner, raw))
        results.sort(key=lambda item: item[1], reverse=True)
        scored = [
            Scored(slug, min(1.0, raw / self.SCALE), raw, self._evidence(slug, feats, query))
            for slug, raw in results[:5]
        ]
        return scored, benign_best, benign_intent

    def _keyword_hits(self, slug: str, text: str) -> int:
        hits = 0
        for keyword in self.keywords[slug]:
            if keyword in text or (len(keyword) >= 4 and fuzz.partial_ratio(keyword, text) >= 88):
                hits += 1
        return min(hits, 3)

    def _evidence(self, slug: str, feats: list[Feature], query: dict[str, float]) -> tuple[tuple[int, int], ...]:
        centroid = self.centroids[slug]
        contribution = {f: qw * centroid[f] for f, qw in query.items() if f in centroid and not f.startswith("py:")}
        if not contribution:
            return ()
        top = max(contribution.values())
        strong = {f for f, c in contribution.items() if c >= top * 0.25}
        spans = sorted({(s, e) for f, s, e in feats if f in strong and not f.startswith("sig:")})
        merged: list[list[int]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        return tuple((s, e) for s, e in merged)
