"""The JSON side of live sessions (contract in design.md); authentication in webapp/api_common.py."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from ..api_common import bearer_token, check_csrf, json_body, require_organizer
from ..auth import current_organizer_id
from ..compose.views import chosen_quiz
from ..errors import DomainError, message
from ..extensions import csrf
from ..i18n import current_tag
from ..models import LiveSession
from .. import exports
from . import live as live_rules
from . import modes, results, sessions, tables
from .phone import matches, poll_reply
from .players import join_limit
from .sessions import refused

api = Blueprint("classroom_api", __name__, url_prefix="/api/v1/sessions")


def require_host(live: LiveSession, *, cookie_needs_csrf: bool) -> None:
    """A Bearer host token, or the login of the organizer who owns the session."""
    token = bearer_token()
    if token is not None:
        if not sessions.is_host(live, token=token):
            raise refused("not_host", 403)
        return
    organizer_id = current_organizer_id()
    if organizer_id is None:
        raise DomainError("host_required", 401, domain="auth")
    if not sessions.is_host(live, organizer_id=organizer_id):
        raise refused("not_host", 403)
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
    quiz = chosen_quiz(data.get("quiz"))  # a bank, or one of this organizer's composed quizzes
    live, host_token = live_rules.create_session(
        organizer_id, quiz, data.get("scoring", "speed"), time_limit, data.get("questions"),
    )
    return jsonify(code=live.code, host_token=host_token), 201


@api.post("/<code>/players")
@csrf.exempt
@join_limit  # successful joins per session; failed code guesses per address (webapp/ratelimits.py)
def join(code: str):
    nickname = json_body().get("nickname")
    nickname = nickname if isinstance(nickname, str) else None
    if (joined := sessions.quick_join(code, nickname)) is not None:  # the commonest join, in one statement
        return jsonify(player_token=joined[1]), 201
    live = sessions.get_session(code)
    _player, token = modes.of(live).join(live, nickname)
    return jsonify(player_token=token), 201


@api.get("/<code>/state")
def state(code: str):
    """`?view=phone`: a player's page polling (classroom.js). It needs neither a token nor the answer count,
    so its ETag moves only with the version, and a poll that matches is answered from one small query."""
    phone = request.args.get("view") == "phone"
    if phone and (look := live_rules.quick_look(code)) is not None:
        if matches(etag := live_rules.poll_etag(look.version, current_tag(), "")):
            return poll_reply(Response(status=304), etag)
    live = sessions.get_session(code)
    live_rules.expire_if_due(live)
    rules = modes.of(live)
    player = None
    if not phone and (token := bearer_token()) is not None:
        try:
            player = sessions.player_by_token(live, token)
        except DomainError:
            player = None
    etag = live_rules.poll_etag(live.version, current_tag(), "" if phone else rules.state_tag(live, player))
    if matches(etag):  # nothing changed
        return poll_reply(Response(status=304), etag)
    return poll_reply(jsonify(rules.state(live, current_tag(), player)), etag)


@api.post("/<code>/answers")
@csrf.exempt
def answer(code: str):
    live = sessions.get_session(code)
    player = sessions.player_by_token(live, bearer_token())
    data = json_body()
    if "question" not in data or "choice" not in data:
        raise DomainError("missing_answer", 400, domain="api")
    result = modes.of(live).record_answer(live, player, data["question"], data["choice"])
    if not result.accepted:
        response = jsonify(
            accepted=False, correct=None, points=0, reason=result.reason,
            error={"code": result.reason, "message": message("classroom", result.reason)},
        )
        response.status_code = 409
        return response
    if result.reveal is not None:  # self-paced: nobody reveals the answer, so it comes with the result
        return jsonify(
            accepted=True, correct=result.correct, points=result.points, answer=sorted(result.reveal.answer),
            explanation=result.reveal.explanation.get(current_tag()), next=result.next_index,
        )
    return jsonify(accepted=True, correct=result.correct, points=result.points)


@api.post("/<code>/advance")
@csrf.exempt  # Bearer host token; with the login cookie instead, require_host() checks CSRF
def advance(code: str):
    live = sessions.get_session(code)
    require_host(live, cookie_needs_csrf=True)
    data = json_body(required=False)
    expected = None
    if "phase" in data:
        expected = (data["phase"], data.get("question"))
    live_rules.advance(live, expected)
    return jsonify(results.public_state(live, current_tag()))


@api.get("/<code>/results.csv")
def results_csv(code: str):
    return results_download(code, "csv")


@api.get("/<code>/results.xlsx")
def results_xlsx(code: str):
    return results_download(code, "xlsx")


def results_download(code: str, kind: str):
    """The results as a spreadsheet, headers in the request's language (`?lang=` from the results page)."""
    live = sessions.get_session(code)
    require_host(live, cookie_needs_csrf=False)  # a GET changes nothing
    return exports.download(tables.results_rows(live), f"fangzha-session-{live.code}", kind, tables.results_title())
