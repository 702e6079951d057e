"""The chatbot's answer as data: the matcher's analysis, the person's role, what their message contains,
and the catalog's words in one language. No web concerns here: views, templates and the API serializer
(present.py) turn a ChatResult into HTML or JSON.

    result = answer(message, "zh-Hans", matcher=matcher, catalog=catalog, content=chat_content)
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ..catalog import Catalog
from ..catalog.model import Hotline
from ..matcher import Analysis, Matcher, normalise, redact
from ..matcher import artefacts
from ..matcher.normalise import is_chinese
from ..matcher.words import whole_words
from . import role as roles
from .texts import ChatContent

log = logging.getLogger("webapp.chat")
MAX_MESSAGE = 2000
LANGS = ("zh-Hans", "zh-Hant", "en")
MAX_ACTIONS = 3
CONFIDENT = 0.5  # a first match this likely, and twice the second, is named alone in the verdict
HANG_UP = ("挂断", "挂掉", "挂电话", "掛斷", "hang up")  # call advice, wrong for a text message or chat
# Verdicts
LIKELY = "likely"  # "this looks like X"
SEVERAL = "several"  # "it could be one of these"
UNLIKELY = "unlikely"  # "this does not look like a scam, but..."
CAUTION = "caution"  # no type fits, but the message holds warning signs
UNKNOWN = "unknown"  # nothing to go on: tell us more
HELP = "help"  # "I was scammed, what now?": the emergency answer
SMALL_TALK = "small_talk"  # greeting, thanks, off-topic, how to report
# Closing reminders
TOO_LATE = "too_late"  # after a confident match: if it is already too late, call 110, then 96110
NOT_SAFE = "not_safe"  # little matched: no match does not mean safe
ALREADY_GAVE = "already_gave"  # accomplice: if the card or account is already handed over
RISKY = frozenset({
    artefacts.BRAND_MISMATCH, artefacts.LOOKALIKE, artefacts.SHORT_LINK, artefacts.RAW_IP, artefacts.APK,
    artefacts.MOBILE_AS_OFFICIAL, artefacts.OVERSEAS, artefacts.CODE, artefacts.SCREEN_SHARE,
    artefacts.SAFE_ACCOUNT, artefacts.DOWNLOAD_APP, artefacts.POLICE_NEVER_ASK, artefacts.ACCOUNT_NUMBER,
})


def build_matcher(catalog: Catalog, cache_dir: str | None = None) -> Matcher:
    """The matcher, learned from everything content/ teaches it (webapp/matcher/training.py)."""
    return Matcher.from_catalog(catalog, cache_dir=cache_dir)


def answer_language(message: str, normal: str, requested: str | None, page_locale: str) -> str:
    """An explicit `lang` wins; otherwise answer in the language and script the person wrote in."""
    if requested in LANGS:
        return requested
    if not is_chinese(message):
        return "en" if any(c.isalpha() for c in message) else page_locale
    if any(a != b for a, b in zip(message, normal) if is_chinese(a)):  # Traditional characters became Simplified
        return "zh-Hant"
    return "zh-Hans" if page_locale == "en" else page_locale


@dataclass(frozen=True)
class LawPoint:
    id: str
    title: str  # what it is about, in plain words
    means: str  # one plain sentence: what it means for this person
    source: str  # the law's name and article, for the law page link
    whose: str  # "protects" (helps you) | "scammer" (what the scammer faces) | "you" (what you would face)


@dataclass(frozen=True)
class MatchedType:
    slug: str
    title: str
    score: float
    why: tuple[str, ...]  # the person's own words, whole
    type_role: str  # who the type is about: "victim" | "accomplice"
    summary: str
    steps: tuple[str, ...]
    red_flags: tuple[str, ...]
    actions: tuple[str, ...]  # the explainer's what-to-do, all of it
    law: tuple[LawPoint, ...]


@dataclass(frozen=True)
class Emergency:
    steps: tuple[str, ...]
    hotlines: tuple[Hotline, ...]  # the police first, then the anti-fraud line
    intro: str
    recovery_warning: str


@dataclass(frozen=True)
class ChatResult:
    lang: str
    verdict: str  # LIKELY | SEVERAL | UNLIKELY | CAUTION | UNKNOWN | HELP | SMALL_TALK
    urgent: bool
    role: str | None  # the person's role: "victim" | "accomplice" | "unclear" | None (nothing matched)
    matches: tuple[MatchedType, ...]
    actions: tuple[str, ...]  # at most three, for this person now (channel advice is added by the presenter)
    findings: artefacts.Findings
    channel: str | None  # how a message with links, numbers or requests reached the person: its advice comes first
    never_ask: tuple[str, ...]  # official numbers that never ask for money or codes
    emergency_numbers: tuple[str, ...]  # the police, then the anti-fraud line (from the checked list)
    emergency: Emergency | None
    intent: str | None  # greeting, thanks, offtopic, report, notice: when nothing matched
    reply: str | None
    fallback: str | None
    notice: str | None  # the catalog's "no match is not safe" text, when that is the reminder
    reminder: str  # TOO_LATE | NOT_SAFE | ALREADY_GAVE
    analysis: Analysis

    @property
    def why(self) -> tuple[str, ...]:
        words: list[str] = []
        for match in self.matches:
            words += [w for w in match.why if w not in words]
        return tuple(words)


def _law_points(catalog: Catalog, content: ChatContent, ids: tuple[str, ...], lang: str, stance: str | None) -> tuple[LawPoint, ...]:
    """Plain law lines for this person: what protects a victim first, then what the scammer faces;
    for an accomplice, what they would face; for an unclear role, one of each."""
    protects = [i for i in ids if i in content.plain_law and content.plain_law[i].protects]
    for plain in content.plain_law.values():
        if plain.every_victim and plain.id not in protects:
            protects.insert(0, plain.id)  # stop-payment and freezing: every victim should know it
    acts = [i for i in ids if i in content.plain_law and not content.plain_law[i].protects]
    if stance == roles.ACCOMPLICE:
        chosen = [(i, "you") for i in acts[:4]]
    elif stance == roles.UNCLEAR:
        chosen = [(i, "protects") for i in protects[:1]] + [(i, "you") for i in acts[:2]]
    else:
        chosen = [(i, "protects") for i in protects[:2]] + [(i, "scammer") for i in acts[:2]]
    points = []
    for ref_id, whose in chosen:
        plain, ref = content.plain_law[ref_id], catalog.law.get(ref_id)
        if ref is None:  # only verified references reach the catalog
            continue
        points.append(LawPoint(ref_id, plain.title[lang], plain.means[lang], f"{ref.law.get(lang)} {ref.article.get(lang)}", whose))
    return tuple(points)


def _actions(matches: tuple[MatchedType, ...], channel: str | None, room: int) -> tuple[str, ...]:
    if not matches:
        return ()
    actions = list(matches[0].actions)
    if channel in ("sms", "chat", "message"):
        actions = [a for a in actions if not any(word in a.lower() for word in HANG_UP)]
    return tuple(actions[:room])


def _confident(matches: tuple[MatchedType, ...]) -> bool:
    second = matches[1].score if len(matches) > 1 else 0.0
    return matches[0].score >= CONFIDENT and matches[0].score >= 2 * second


def answer(message: str, lang: str, *, matcher: Matcher, catalog: Catalog, content: ChatContent, normal: str | None = None) -> ChatResult:
    normal = normal if normal is not None else normalise(message)
    analysis = matcher.analyse(message)
    log.info(
        "chat answered: lang=%s matches=%s urgent=%s role=%s chars=%d",
        lang, [m.slug for m in analysis.matches], analysis.urgent, analysis.role, len(message),
    )
    log.debug("chat message (redacted): %s", redact(message))
    findings = artefacts.find(message, normal, content.official)
    stance = roles.person_role(normal, analysis.role) if analysis.matches else None
    matches = []
    for match in analysis.matches:
        explainer = catalog.explainer(match.slug, lang)
        matches.append(MatchedType(
            slug=match.slug, title=explainer.title, score=match.score,
            why=whole_words(message, normal, match.why), type_role=explainer.role, summary=explainer.summary,
            steps=explainer.steps, red_flags=explainer.red_flags, actions=explainer.what_to_do,
            law=_law_points(catalog, content, explainer.law, lang, stance),
        ))
    matches_t = tuple(matches)
    help_asked = roles.asks_for_help_after_scam(normal)
    if help_asked and matches_t and not _confident(matches_t):
        matches_t = ()  # "I was scammed, what now?" with no clear type: the emergency answer, whole
    urgent = analysis.urgent or help_asked
    if stance == roles.ACCOMPLICE and not analysis.urgent:
        urgent = False  # they get the legal consequences and what to do, first
    chat = catalog.chat
    emergency = None
    if urgent:
        lines = {line.number: line for line in catalog.hotlines}
        hotlines = tuple(lines[number] for number in content.emergency_numbers if number in lines)
        emergency = Emergency(tuple(chat.emergency_steps[lang]), hotlines, chat.urgent_intro.get(lang), chat.recovery_warning.get(lang))
    risky = bool(RISKY & set(findings.signals))
    substantive = risky or any(a.kind in ("link", "phone", "account") for a in findings.artefacts)
    if matches_t:
        verdict = LIKELY if _confident(matches_t) else SEVERAL
    elif urgent:
        verdict = HELP
    elif risky:
        verdict = CAUTION
    elif substantive or analysis.intent == "notice":
        verdict = UNLIKELY
    elif analysis.intent:
        verdict = SMALL_TALK
    else:
        verdict = UNKNOWN
    channel = findings.channel if substantive else None
    actions = () if urgent else _actions(matches_t, channel, MAX_ACTIONS - (1 if channel else 0))
    if stance == roles.ACCOMPLICE:
        reminder = ALREADY_GAVE
    elif verdict in (LIKELY, SEVERAL, HELP) or urgent:
        reminder = TOO_LATE
    else:
        reminder = NOT_SAFE
    reply = None
    if not matches_t and analysis.intent and not substantive and (not urgent or analysis.intent in ("report", "notice")):
        reply = chat.intents[analysis.intent].reply.get(lang)  # "can I click this link?" is analysed, not small talk
    return ChatResult(
        lang=lang, verdict=verdict, urgent=urgent, role=stance, matches=matches_t, actions=actions,
        findings=findings, channel=channel, never_ask=content.never_ask, emergency_numbers=content.emergency_numbers, emergency=emergency, intent=analysis.intent if not matches_t else None,
        reply=reply, fallback=chat.fallback.get(lang) if verdict == UNKNOWN else None,
        notice=chat.disclaimer.get(lang) if reminder == NOT_SAFE else None, reminder=reminder, analysis=analysis,
    )


def highlight(message: str, words: tuple[str, ...] | list[str]) -> list[tuple[str, bool]]:
    """Split the user's text into (piece, is_evidence) so a template can mark the words that matched."""
    marks = [False] * len(message)
    for word in words:
        start = message.find(word)
        while word and start != -1:
            for i in range(start, start + len(word)):
                marks[i] = True
            start = message.find(word, start + len(word))
    pieces: list[tuple[str, bool]] = []
    for char, marked in zip(message, marks):
        if pieces and pieces[-1][1] == marked:
            pieces[-1] = (pieces[-1][0] + char, marked)
        else:
            pieces.append((char, marked))
    return pieces
