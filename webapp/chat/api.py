"""POST /api/v1/chat and its OpenAPI description."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from ..catalog import get_catalog
from ..errors import DomainError
from ..extensions import csrf, limiter
from ..i18n import current_tag
from ..matcher import normalise
from . import present, service
from .openapi import OPENAPI
from .service import ChatResult

api = Blueprint("chat_api", __name__, url_prefix="/api/v1")


def chat_limit() -> str:
    return current_app.config["RATELIMIT_CHAT"]


def ask(message: str, requested_lang: str | None) -> ChatResult:
    """One message through the chatbot: normalised once, the matcher and content passed in explicitly."""
    normal = normalise(message)
    language = service.answer_language(message, normal, requested_lang, current_tag())
    return service.answer(
        message, language, normal=normal, matcher=current_app.extensions["matcher"], catalog=get_catalog(),
        content=current_app.extensions["chat_content"],
    )


@api.post("/chat")
@csrf.exempt  # anonymous JSON: no cookie is trusted
@limiter.limit(chat_limit)
def chat():
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise DomainError("not_json", domain="chat")
    message = payload.get("message")
    if message is None:
        raise DomainError("missing_message", domain="chat")
    if not isinstance(message, str):
        raise DomainError("invalid_type", domain="chat")
    lang = payload.get("lang")
    if lang is not None and lang not in service.LANGS:
        raise DomainError("invalid_lang", domain="chat")
    message = message.strip()
    if not message:
        raise DomainError("empty_message", domain="chat")
    if len(message) > service.MAX_MESSAGE:
        raise DomainError("too_long", domain="chat", limit=service.MAX_MESSAGE)
    result = ask(message, lang)
    with present.in_answer_language(result):
        response = jsonify(present.present(result))
    response.headers["Cache-Control"] = "no-store"
    return response


@api.get("/openapi.json")
def openapi():
    return jsonify(OPENAPI)
