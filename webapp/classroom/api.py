"""The JSON side of live sessions (contract in design.md). Players and hosts authenticate with
`Authorization: Bearer <token>` (CSRF-exempt: no cookie is trusted there); an organizer's login cookie
is accepted too, and then the X-CSRFToken header is checked."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, current_app, jsonify, request
from flask_babel import gettext as _

from ..auth import current_organizer_id
from ..catalog import get_catalog
from ..errors import ApiError, api_error_response
from ..extensions import csrf
from ..i18n import current_tag
from ..models import LiveSession
from ..ratelimits import join_limit
from . import codes, service
from .service import ClassroomError

api = Blueprint("classroom_api", __name__, url_prefix="/api/v1/sessions")


@api.errorhandler(ClassroomError)
def classroom_error(error: ClassroomError):
    return api_error_response(error.code, error.message, error.status)


def bearer_token() -> str | None:
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def json_body(required: bool = True) -> dict:
    data = request.get_json(silent=True)
    if data is None and not required:
        return {}
    if not isinstance(data, dict):
        raise ApiError("bad_request", _("Send a JSON object."), 400)
    return data


def check_csrf() -> None:
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()  # raises CSRFError → 400 {"error": {"code": "csrf"}}


def require_organizer() -> int:
    organizer_id = current_organizer_id()
    if organizer_id is None:
        raise ApiError("login_required", _("Please log in as an organizer."), 401)
    check_csrf()
    return organizer_id


def require_host(live: LiveSession, *, cookie_needs_csrf: bool) -> None:
    """A Bearer host token, or the login of the organizer who owns the session."""
    token = bearer_token()
    if token is not None:
        if not service.is_host(live, token=token):
            raise ClassroomError("not_host", 403)
        return
    organizer_id = current_organizer_id()
    if organizer_id is None:
        raise ApiError("login_required", _("Please log in as an organizer, or send the host token."), 401)
    if not service.is_host(live, organizer_id=organizer_id):
        raise ClassroomError("not_host", 403)
    if cookie_needs_csrf:
        check_csrf()


@api.post("")
@csrf.exempt  # checked in require_organizer(), after the login
def create_session():
    organizer_id = require_organizer()
    data = json_body()
    time_limit = data.get("time_limit", 20)
    if time_limit == 0:
        time_limit = None
    quiz_id = data.get("quiz")
    quiz = get_catalog().quizzes.get(quiz_id) if isinstance(quiz_id, str) else None
    live, host_token = service.create_session(
        organizer_id, quiz, data.get("scoring", "speed"), time_limit, data.get("questions"),
    )
    return jsonify(code=live.code, host_token=host_token), 201


@api.post("/<code>/players")
@csrf.exempt
@join_limit  # successful joins per session; failed code guesses per address (webapp/ratelimits.py)
def join(code: str):
    live = service.get_session(code)
    nickname = json_body().get("nickname")
    _player, token = service.join(live, nickname if isinstance(nickname, str) else None)
    return jsonify(player_token=token), 201


@api.get("/<code>/state")
def state(code: str):
    live = service.get_session(code)
    service.expire_if_due(live)
    player = None
    if (token := bearer_token()) is not None:
        try:
            player = service.player_by_token(live, token)
        except ClassroomError:
            player = None
    etag = f"{live.version}-{current_tag()}-{service.state_tag(live, player)}"
    if etag in request.if_none_match:  # the cheap path: nothing changed
        response = Response(status=304)
    else:
        if live.self_paced:  # an outreach event: the player's own question, and the event's totals
            body = service.self_paced_state(live, current_tag(), player)
        else:
            body = service.public_state(live, current_tag())
            if player is not None:
                body["me"] = me(live, player)
        response = jsonify(body)
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache, private"
    return response


def me(live: LiveSession, player) -> dict:
    standing = service.standing_of(live, player) if live.phase in ("reveal", "finished") else None
    answer = service.answer_of(player, live.question_index)
    return {
        "nickname": player.nickname,
        "points": standing.points if standing else service.points_of(player),
        "rank": standing.rank if standing else None,
        "answered": answer is not None,
    }


@api.post("/<code>/answers")
@csrf.exempt
def answer(code: str):
    live = service.get_session(code)
    player = service.player_by_token(live, bearer_token())
    data = json_body()
    if "question" not in data or "choice" not in data:
        raise ApiError("bad_request", _("Send the question index and your choice."), 400)
    result = service.record_answer(live, player, data["question"], data["choice"])
    if not result.accepted:
        response = jsonify(
            accepted=False, correct=None, points=0, reason=result.reason,
            error={"code": result.reason, "message": str(service.MESSAGES[result.reason])},
        )
        response.status_code = 409
        return response
    if live.self_paced:  # nobody reveals the answer: it comes with the result, and the next question's index
        question = service.questions_of(live)[data["question"]]
        return jsonify(
            accepted=True, correct=result.correct, points=result.points, answer=sorted(question.answer),
            explanation=question.explanation.get(current_tag()), next=service.own_question_index(live, player),
        )
    return jsonify(accepted=True, correct=result.correct, points=result.points)


@api.post("/<code>/advance")
@csrf.exempt  # Bearer host token; with the login cookie instead, require_host() checks CSRF
def advance(code: str):
    live = service.get_session(code)
    require_host(live, cookie_needs_csrf=True)
    data = json_body(required=False)
    expected = None
    if "phase" in data:
        expected = (data["phase"], data.get("question"))
    service.advance(live, expected)
    return jsonify(service.public_state(live, current_tag()))


@api.get("/<code>/results.csv")
def results_csv(code: str):
    live = service.get_session(code)
    require_host(live, cookie_needs_csrf=False)  # a GET changes nothing
    return Response(
        results_csv_text(live), mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="fangzha-session-{live.code}.csv"',
            "Cache-Control": "no-store, private",
        },
    )


def results_csv_text(live: LiveSession) -> str:
    """One row per player: rank, nickname, points, right answers, then the points of each question."""
    answers = service.player_points(live)
    total = len(live.question_ids)
    out = io.StringIO()
    out.write("\ufeff")  # so spreadsheet programs read the Chinese nicknames as UTF-8
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["rank", "nickname", "points", "right", "questions", *[f"q{i + 1}" for i in range(total)]])
    for standing in service.leaderboard(live):
        mine = answers.get(standing.player_id, {})
        writer.writerow([
            standing.rank, codes.csv_safe(standing.nickname), standing.points, standing.right, total,
            *[mine[i].points if i in mine else "" for i in range(total)],
        ])
    return out.getvalue()
