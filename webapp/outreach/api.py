"""`POST /api/v1/events` (design.md): an organizer's login cookie plus X-CSRFToken, like POST /api/v1/sessions.
Participants then use the session endpoints (/api/v1/sessions/<code>/...) with the event's code."""

from __future__ import annotations

from flask import Blueprint, jsonify

from ..api_common import json_body, require_organizer
from ..compose.views import chosen_quiz
from ..errors import DomainError
from ..extensions import csrf
from . import service

api = Blueprint("outreach_api", __name__, url_prefix="/api/v1/events")
FIELDS = ("kind", "place", "date", "quiz")


@api.post("")
@csrf.exempt  # checked in require_organizer(), after the login
def create_event():
    organizer_id = require_organizer()
    data = json_body()
    missing = [name for name in FIELDS if data.get(name) in (None, "")]
    if missing:
        raise DomainError("missing_field", 400, domain="api", fields=", ".join(missing))
    quiz = chosen_quiz(data["quiz"])  # a bank, or one of this organizer's composed quizzes
    event = service.create_event(
        organizer_id, data["kind"], data["place"], data["date"], quiz, data.get("audience"),
    )
    return jsonify(id=event.id, code=event.live_session.code), 201
