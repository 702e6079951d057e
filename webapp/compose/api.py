"""The quizzes' JSON side (design.md): the list (the site's banks, plus the caller's own with "own": true),
composing one, and exporting an own quiz's questions as CSV or XLSX (its owner only; others get 404)."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify

from ..api_common import json_body, require_organizer
from ..auth import current_organizer_id
from ..catalog import get_catalog, own
from ..exports import download
from ..extensions import csrf
from ..i18n import current_tag
from . import service, sheets

api = Blueprint("compose_api", __name__, url_prefix="/api/v1/quizzes")
SHEET_KINDS = ("csv", "xlsx")


@api.get("")
def list_quizzes():
    catalog, tag = get_catalog(), current_tag()
    banks = [{"id": q.id, "audience": q.audience, "title": q.title.get(tag), "questions": len(q.questions)}
             for q in catalog.quizzes.values()]
    mine = [{"id": own.quiz_id(row.id), "audience": row.audience, "title": row.title,
             "questions": service.size(row, catalog), "own": True}
            for row in service.quizzes_of(current_organizer_id())]
    response = jsonify(mine + banks)
    if mine:
        response.headers["Cache-Control"] = "no-store, private"
    return response


@api.post("")
@csrf.exempt  # checked in require_organizer(), after the login
def create_quiz():
    organizer_id = require_organizer()
    data = json_body()
    row = service.create(organizer_id, get_catalog(), data.get("title"), data.get("audience"), data.get("from_bank"),
                         data.get("questions"))
    return jsonify(id=own.quiz_id(row.id)), 201


@api.get("/<quiz_id>/export.<kind>")
def export(quiz_id: str, kind: str):
    """The own questions (not the bank part: an import would make them the organizer's), in the page's language."""
    row = service.owned(quiz_id, current_organizer_id())
    if row is None or kind not in SHEET_KINDS:
        abort(404)
    rows = sheets.rows_of(service.own_questions(row, get_catalog()), current_tag())
    return download(rows, f"fangzha-quiz-{row.id}", kind, title="questions")
