"""The catalog as the rest of the site sees it: frozen objects, every text in every locale."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .schema import Text

AUDIENCES = ("elderly", "students", "rural", "general")


@dataclass(frozen=True)
class ScamType:
    slug: str
    name: Text
    role: str
    audiences: tuple[str, ...]
    rank: int  # position in the taxonomy: most common first


@dataclass(frozen=True)
class Explainer:
    slug: str
    locale: str
    title: str
    summary: str
    audiences: tuple[str, ...]
    role: str
    steps: tuple[str, ...]
    red_flags: tuple[str, ...]
    what_to_do: tuple[str, ...]
    law: tuple[str, ...]
    risk: str | None  # the whole risk text in one paragraph (the chatbot quotes it)
    phrases: tuple[str, ...]
    keywords: tuple[str, ...]
    related: tuple[str, ...]
    body_html: str
    risk_points: tuple[str, ...] = ()  # the same text, one penalty per point (the risk box's bullets)


@dataclass(frozen=True)
class LawRef:
    id: str
    law: Text
    article: Text
    summary: Text
    penalty: Text | None
    status: str | None
    group: int  # order of its law on the law page
    source_kind: str | None = None  # from legal-refs.yaml: primary-text, official, secondary, ...
    later: Text | None = None  # content/law-notes.yaml: a later document may have changed this

    @property
    def checked_against_quotations(self) -> bool:
        """Verified from word-for-word quotations in independent sources, not from a full law text."""
        return (self.source_kind or "").startswith("secondary")


@dataclass(frozen=True)
class Page:
    name: str
    locale: str
    title: str
    summary: str
    body_html: str


@dataclass(frozen=True)
class Hotline:
    number: str
    role: Text
    region: str = "CN"  # CN: mainland China, whose law the site describes; TW, HK: local lines


@dataclass(frozen=True)
class Question:
    id: str
    slug: str | None  # the scam type; None only on an organizer's own question
    kind: str
    prompt: Text
    scene: Text | None
    choices: tuple[Text, ...]
    answer: frozenset[int]
    explanation: Text
    own: bool = False  # written by an organizer, not the site: marked so wherever it is shown

    def is_correct(self, chosen: frozenset[int] | set[int]) -> bool:
        return frozenset(chosen) == self.answer


@dataclass(frozen=True)
class Quiz:
    id: str
    audience: str
    title: Text
    description: Text
    questions: tuple[Question, ...]
    by_id: Mapping[str, Question] = field(repr=False, compare=False, default_factory=lambda: MappingProxyType({}))
    # An organizer's composed quiz (webapp/compose): its questions are played as listed, all of them, and a
    # session keeps a copy of them (LiveSession.snapshot), so later edits never change what was played.
    composed: bool = False

    def question(self, question_id: str) -> Question | None:
        return self.by_id.get(question_id)


@dataclass(frozen=True)
class Intent:
    name: str
    phrases: tuple[str, ...]  # every language: the matcher is multilingual
    reply: Text


@dataclass(frozen=True)
class ChatTexts:
    intents: Mapping[str, Intent]
    fallback: Text
    disclaimer: Text
    urgent_intro: Text
    accomplice_intro: Text
    recovery_warning: Text
    emergency_steps: Mapping[str, tuple[str, ...]]  # by locale tag


@dataclass(frozen=True)
class TrainingText:
    """A text that teaches the matcher (content/training/): a scam script or a benign look-alike."""

    label: str  # a scam slug (scripts.yaml) or a benign key: a slug whose look-alike this is, or "marketing"
    text: str
    lang: str  # zh-Hans | zh-Hant | en
    register: str  # narrated | pasted


@dataclass(frozen=True)
class UrgencyCase:
    text: str
    urgent: bool
    lang: str
    register: str
    family: str  # which signal (or which trap: asked, planned, stopped, actor) the text is about


@dataclass(frozen=True)
class Training:
    scripts: tuple[TrainingText, ...] = ()  # scam texts in the scammers' own words, by type
    benign: tuple[TrainingText, ...] = ()  # the legitimate versions of each type's topic, and marketing
    urgency: tuple[UrgencyCase, ...] = ()  # labelled: is the person in trouble right now?
    # (slug, text) -> the other types a scam text under `slug` fits as well (overlaps.yaml): an answer naming one
    # of them first is right too. Only the chatbot's benchmark asks for this.
    overlaps: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Catalog:
    types: Mapping[str, ScamType]
    explainers: Mapping[tuple[str, str], Explainer]
    law: Mapping[str, LawRef]
    hotlines: tuple[Hotline, ...]
    quizzes: Mapping[str, Quiz]
    chat: ChatTexts
    training: Training = Training()
    pages: Mapping[tuple[str, str], Page] = field(default_factory=lambda: MappingProxyType({}))

    def page(self, name: str, locale: str) -> Page | None:
        return self.pages.get((name, locale.replace("_", "-")))

    def explainer(self, slug: str, locale: str) -> Explainer | None:
        return self.explainers.get((slug, locale.replace("_", "-")))

    def types_for(self, audience: str) -> list[ScamType]:
        """The scam types that target an audience, most common first."""
        return sorted((t for t in self.types.values() if audience in t.audiences), key=lambda t: t.rank)

    def law_groups(self, locale: str) -> list[tuple[str, list[LawRef]]]:
        """Every reference, grouped by law, in file order."""
        groups: dict[str, list[LawRef]] = {}
        for ref in sorted(self.law.values(), key=lambda r: r.group):
            groups.setdefault(ref.law.get(locale), []).append(ref)
        return list(groups.items())

    def quizzes_for(self, audience: str) -> list[Quiz]:
        return [q for q in self.quizzes.values() if q.audience == audience]
