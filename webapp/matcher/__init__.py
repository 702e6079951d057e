"""The chatbot's retrieval engine. Pure Python: imports nothing from Flask or the rest of webapp.

    matcher = Matcher(docs, benign={"greeting": [...], "thanks": [...], "offtopic": [...]})
    analysis = matcher.analyse("有人要租我的银行卡，一个月给2000")
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .index import Index, TypeDoc
from .normalise import normalise
from .redact import redact
from .urgency import assess

__all__ = ["Analysis", "Match", "Matcher", "TypeDoc", "normalise", "redact"]

_SCAM_WORDS = re.compile(r"骗|诈|scam|fraud|cheat|conned|swindl")


@dataclass(frozen=True)
class Match:
    slug: str
    score: float  # 0..1
    why: tuple[str, ...]  # the user's own words that led here


@dataclass(frozen=True)
class Analysis:
    matches: tuple[Match, ...]
    urgent: bool
    urgency_reasons: tuple[str, ...]
    role: str | None  # "victim" | "accomplice" | None
    intent: str | None  # a non-scam intent (greeting, thanks, offtopic, report, notice) when nothing matched


class Matcher:
    CONFIDENCE = 0.85  # P(best scam) / (P(best scam) + P(best non-scam reading)) needed to answer with a type
    FLOOR = 0.05  # and the best scam type's own posterior must reach this (nothing fits gibberish)
    URGENT_FLOOR = 0.1  # with urgent signals, a scam type this likely (and above small talk) is enough
    RUNNER_UP = 0.05  # a second or third match needs at least this posterior

    def __init__(self, docs: Sequence[TypeDoc], benign: Mapping[str, Sequence[str]] | None = None):
        self.docs = tuple(docs)
        self.index = Index(docs, benign)
        self.roles = {doc.slug: doc.role for doc in docs}

    def analyse(self, text: str) -> Analysis:
        normal = normalise(text)
        scored, benign, intent = self.index.score(normal)
        urgency = assess(normal)
        matches: list[Match] = []
        best = scored[0].score if scored else 0.0
        if best >= self.FLOOR and best >= self.CONFIDENCE * (best + benign):
            for item in scored[:3]:
                if item is scored[0] or item.score >= self.RUNNER_UP:
                    matches.append(Match(item.slug, round(item.score, 3), self._why(text, item.spans)))
        role = self.roles[matches[0].slug] if matches else None
        # Urgent needs a scam behind it: a match, scam words, or a scam type more likely than small talk.
        likely_scam = bool(scored) and scored[0].score >= self.URGENT_FLOOR and scored[0].score > benign
        urgent = urgency.urgent and bool(matches or likely_scam or _SCAM_WORDS.search(normal))
        if role == "accomplice" and "threat" not in urgency.reasons:
            urgent = False  # they get the legal consequences and what to do, first
        return Analysis(
            matches=tuple(matches), urgent=urgent, urgency_reasons=urgency.reasons if urgent else (),
            role=role, intent=None if matches else intent,
        )

    @staticmethod
    def _why(original: str, spans: Sequence[tuple[int, int]]) -> tuple[str, ...]:
        words = []
        for start, end in spans:
            piece = original[start:end].strip(" ，。,.!！?？")
            if piece and piece not in words:
                words.append(piece)
        words.sort(key=len, reverse=True)
        return tuple(words[:6])
