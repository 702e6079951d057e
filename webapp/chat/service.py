"""The chatbot's answers: the matcher's analysis, dressed in the catalog's words, in one language."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from flask import Flask, current_app

from ..catalog import Catalog, get_catalog
from ..matcher import Analysis, Matcher, normalise, redact
from ..matcher.normalise import is_chinese

log = logging.getLogger("webapp.chat")
MAX_MESSAGE = 2000
LANGS = ("zh-Hans", "zh-Hant", "en")


def build_matcher(catalog: Catalog, cache_dir: str | None = None) -> Matcher:
    """The matcher, learned from everything content/ teaches it (webapp/matcher/training.py)."""
    return Matcher.from_catalog(catalog, cache_dir=cache_dir)


def init_app(app: Flask) -> None:
    cache = os.path.join(app.instance_path, "matcher")  # the fitted model, keyed by a hash of its texts
    app.extensions["matcher"] = build_matcher(app.extensions["catalog"], cache_dir=cache)


def answer_language(message: str, requested: str | None, page_locale: str) -> str:
    """An explicit `lang` wins; otherwise answer in the language and script the person wrote in."""
    if requested in LANGS:
        return requested
    if not is_chinese(message):
        return "en" if any(c.isalpha() for c in message) else page_locale
    han = "".join(c for c in message if is_chinese(c))
    if normalise(han) != han:  # Traditional characters became Simplified
        return "zh-Hant"
    return "zh-Hans" if page_locale == "en" else page_locale


@dataclass(frozen=True)
class Answer:
    data: dict
    analysis: Analysis


def answer(message: str, lang: str) -> Answer:
    catalog = get_catalog()
    analysis: Analysis = current_app.extensions["matcher"].analyse(message)
    log.info(
        "chat answered: lang=%s matches=%s urgent=%s role=%s chars=%d",
        lang, [m.slug for m in analysis.matches], analysis.urgent, analysis.role, len(message),
    )
    log.debug("chat message (redacted): %s", redact(message))
    chat = catalog.chat
    matches = []
    for match in analysis.matches:
        explainer = catalog.explainer(match.slug, lang)
        refs = [catalog.law[law_id] for law_id in explainer.law]
        if explainer.role == "accomplice":
            refs.sort(key=lambda ref: ref.penalty is None)  # penalties first
            warning = f"{chat.accomplice_intro.get(lang)} {explainer.risk}"
        else:
            warning = explainer.summary
        matches.append({
            "slug": match.slug,
            "title": explainer.title,
            "score": match.score,
            "why": list(match.why),
            "role": explainer.role,
            "warning": warning,
            "actions": list(explainer.what_to_do),
            "red_flags": list(explainer.red_flags[:3]),
            "law": [
                {
                    "id": ref.id,
                    "title": f"{ref.law.get(lang)} {ref.article.get(lang)}",
                    "penalty": ref.penalty.get(lang) if ref.penalty else None,
                    "url": f"/law#{ref.id}",
                }
                for ref in refs
            ],
            "url": f"/scams/{match.slug}",
        })
    data: dict = {"lang": lang, "urgent": analysis.urgent, "role": analysis.role, "matches": matches}
    if analysis.urgent:
        data["emergency"] = {
            "intro": chat.urgent_intro.get(lang),
            "steps": list(chat.emergency_steps[lang]),
            "hotlines": [
                {"number": line.number, "role": line.role.get(lang)}
                for line in catalog.hotlines if line.number in ("110", "96110")
            ],
            "warning": chat.recovery_warning.get(lang),
        }
    if not matches:
        if analysis.intent:
            data["reply"] = catalog.chat.intents[analysis.intent].reply.get(lang)
        data["fallback"] = chat.fallback.get(lang)
    data["notice"] = chat.disclaimer.get(lang)
    return Answer(data, analysis)


def highlight(message: str, words: list[str]) -> list[tuple[str, bool]]:
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
