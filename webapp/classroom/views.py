"""Live sessions as HTML pages: host screens for organizers, play pages for phones. Every page works
without JavaScript (forms + a <noscript> refresh); classroom.js only polls the state and reloads.

/play/<code> of a self-paced session (an outreach event) is drawn by the page webapp/outreach registers
with `players.self_paced_play_page`; the answer POST is the same for both kinds of session."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, g, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf

from ..auth import current_organizer_id, login_required
from ..catalog import get_catalog
from ..compose.views import chosen_quiz, offer_own_quizzes
from ..errors import DomainError, message
from ..i18n import current_tag
from ..models import LiveSession, Phase
from ..views_common import form_page, quiz_form
from . import live as live_rules
from . import certificates as awards
from . import modes, phone, phone_pages, players, present, qr, queries, results, sessions
from .forms import AdvanceForm, AnswerForm, JoinForm, NewSessionForm, RemovePlayerForm
from .players import bad_code_page, gone_page, join_limit, session_and_player, set_player_cookie

bp = Blueprint("classroom", __name__)
def join_url(live: LiveSession) -> str:
    return url_for("classroom.join", code=live.code, _external=True)


def hosted_session(code: str) -> LiveSession:
    """The session, if the logged-in organizer hosts it (login_required has run). An outreach event's
    self-paced session has no host screen: its pages are under /outreach/."""
    live = sessions.find_session(code) or abort(404)
    if live.self_paced:
        abort(404)
    if not sessions.is_host(live, organizer_id=current_organizer_id()):
        abort(403)
    return live


@bp.get("/classroom/")
@login_required
def index():
    return render_template(
        "classroom/index.html", sessions=sessions.sessions_of(current_organizer_id()), quizzes=get_catalog().quizzes,
    )


@bp.route("/classroom/new", methods=["GET", "POST"])
@login_required
def new():
    form = quiz_form(NewSessionForm, with_counts=True)
    offer_own_quizzes(form)
    if form.validate_on_submit():
        time_limit = int(form.time_limit.data) or None
        live, _token = live_rules.create_session(
            current_organizer_id(), chosen_quiz(form.quiz.data), form.scoring.data, time_limit,
            form.questions.data,
        )
        return redirect(url_for("classroom.host", code=live.code), 303)
    return form_page("classroom/new.html", form)


@bp.get("/classroom/<code>/host")
@login_required
def host(code: str):
    live = hosted_session(code)
    live_rules.expire_if_due(live)
    return render_template("classroom/host.html", **host_context(live))


LOBBY_SIZE = 16  # nicknames on the lobby screen (the newest); the rest are "+N more"
BOARD_SIZE = 7  # leaderboard rows beside the reveal and the podium


def host_context(live: LiveSession) -> dict:
    question = sessions.current_question(live)
    standings = results.leaderboard(live) if live.phase in (Phase.REVEAL, Phase.FINISHED) else []
    players = queries.players_of(live)
    # The list is read after the session's row: a phone that joined in between is in the list but not in the
    # state of the version read. The page's count is the list it shows, or its next poll would reload it.
    state = results.public_state(live, current_tag()) | {"players": len(players)}
    return {
        "live": live, "quiz": sessions.quiz_of(live), "question": question, "join_url": join_url(live),
        "players": players, "answers": queries.answer_count(live) if question else 0,
        "counts": results.current_counts(live), "fit": present.fit_class(question, current_tag()),
        "late": queries.late_counts(live).get(live.question_index, 0) if live.phase == Phase.REVEAL else 0,
        "standings": standings, "podium": results.top_places(standings), "state": state,
        "state_url": url_for("classroom_api.state", code=live.code), "poll_etag": live_rules.poll_etag(live.version, current_tag(), live_rules.state_tag(live, None)),
        "lobby_size": LOBBY_SIZE, "board_size": BOARD_SIZE,
        "advance_form": AdvanceForm(expected=f"{live.phase}:{live.question_index}"), "remove_form": RemovePlayerForm(),
    }


@bp.post("/classroom/<code>/advance")
@login_required
def advance(code: str):
    live = hosted_session(code)
    if AdvanceForm().validate_on_submit():
        phase, _sep, index = (request.form.get("expected") or "").partition(":")
        try:
            live_rules.advance(live, (phase, int(index) if index.isdigit() else None))
        except DomainError as error:
            if error.code != "stale":  # a double click: the first one did it
                flash(error.message)
    return redirect(url_for("classroom.host", code=live.code), 303)


@bp.route("/classroom/<code>/end", methods=["GET", "POST"])
@login_required
def end(code: str):
    """End the quiz early: a page that asks first (a stray tap on a projector must not end a class)."""
    live = hosted_session(code)
    form = RemovePlayerForm()  # only the CSRF token
    if live.phase == Phase.FINISHED:
        return redirect(url_for("classroom.host", code=live.code), 303)
    if request.method == "POST" and form.validate_on_submit():
        try:
            live_rules.end(live)
        except DomainError as error:
            if error.code != "stale":
                flash(error.message)
        return redirect(url_for("classroom.host", code=live.code), 303)
    return render_template("classroom/end.html", live=live, form=form, players=queries.player_count(live))


@bp.post("/classroom/<code>/players/<int:player_id>/remove")
@login_required
def remove_player(code: str, player_id: int):
    live = hosted_session(code)
    if RemovePlayerForm().validate_on_submit():
        try:
            sessions.remove_player(live, player_id)
        except DomainError as error:
            flash(error.message)
    return redirect(url_for("classroom.host", code=live.code), 303)


@bp.get("/classroom/<code>/qr.svg")
def qr_svg(code: str):
    live = sessions.find_session(code) or abort(404)
    response = Response(qr.svg(join_url(live), _("Scan to join")), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.get("/classroom/<code>/results", endpoint="results")
@login_required
def results_page(code: str):
    live = hosted_session(code)
    questions = results.question_results(live)
    return render_template(
        "classroom/results.html", live=live, quiz=sessions.quiz_of(live), standings=results.leaderboard(live),
        questions=results.most_missed_first(questions), total=len(questions),
    )


@bp.get("/classroom/<code>/certificates")
@login_required
def certificates(code: str):
    """Certificates for the players at or above the pass mark (`?pass=`, percent right; 60 unless set)."""
    live = hosted_session(code)
    standings, total = results.leaderboard(live), len(live.question_ids)
    mark = awards.pass_mark(request.args.get("pass"))
    name, organization = awards.signed_by(live.organizer_id)
    return render_template(
        "classroom/certificates.html", live=live, quiz=sessions.quiz_of(live), standings=standings,
        winners=awards.passed(standings, total, mark), pass_mark=mark, total=total,
        organizer_name=name, organization=organization,
    )


# -- players -------------------------------------------------------------------------------------


@bp.route("/join", methods=["GET", "POST"])
@join_limit  # successful joins per session; failed code guesses per address (webapp/ratelimits.py)
def join():
    form = JoinForm(code=request.args.get("code", ""))
    error, status = None, 200
    if form.validate_on_submit():
        try:
            if (joined := sessions.quick_join(form.code.data, form.nickname.data)) is not None:
                code, token = joined  # the commonest join, without loading the session (sessions.quick_join)
            else:
                live = sessions.get_session(form.code.data)
                code = live.code  # read before the join commits (and expires `live`): no second SELECT
                _player, token = modes.of(live).join(live, form.nickname.data)
        except DomainError as failure:
            error, status = failure.message, failure.status
        else:
            response = redirect(url_for("classroom.play", code=code), 303)
            set_player_cookie(response, code, token)
            return response
    elif form.errors:
        status = 400
    elif request.method == "GET" and (code := phone_pages.JOIN_QUERY.fullmatch(request.query_string.decode())) \
            and phone_pages.plain_request():  # the address of the QR code: drawn once, filled per phone
        def draw(hole: str) -> str:
            if "csrf_token" in form:  # (none when CSRF is off)
                form.csrf_token.current_token = hole
            return render_template("classroom/join.html", form=form, error=None)
        page = phone_pages.join_form(current_app, code.group(1), current_tag(), bool(g.get("large_text")), draw)
        response = make_response(page)
        response.headers["Cache-Control"] = "no-cache, private"  # its CSRF token is this browser's
        return response
    return render_template("classroom/join.html", form=form, error=error), status


@bp.get("/play/<code>")
def play(code: str):
    live, player, error = session_and_player(code)
    if live is None:
        return bad_code_page(code)
    if live.self_paced and (page := players.self_paced_page()) is not None:
        return page(live, player)
    if player is None:
        if error.code == "removed":
            return gone_page(live, "removed", 403)
        if live.phase == Phase.FINISHED:
            return gone_page(live)
        return redirect(url_for("classroom.join", code=live.code), 303)
    live_rules.expire_if_due(live)
    lang, large = current_tag(), bool(g.get("large_text"))
    step = live_rules.phone_step(live.phase, live.question_index)
    if live.phase == Phase.LOBBY and phone_pages.plain_request():  # a hall's lobby: drawn once, filled per phone
        html = phone_pages.lobby(live, player, lang, large,
                                 lambda poll_ms: play_page(live, phone.me(live, player), poll_ms, **phone_pages.OWN_HOLES))
    else:
        mine = phone.me(live, player)
        if phone_pages.plain_request():  # a step's page: drawn once per variant, filled per phone
            html = phone_pages.step_page(live, player.nickname, mine, lang, large,
                                         lambda holed, holes: play_page(live, holed, **holes))
        else:
            html = play_page(live, mine, nickname=player.nickname, csrf=generate_csrf())
        step = phone.page_step(step, mine["answered"])
    response = make_response(html)
    # revalidated on every load; a page without JavaScript reloads it with this date (phone.page_validator)
    response.headers["Cache-Control"] = "no-cache, private"
    response.headers["Last-Modified"] = phone.page_validator(live.id, step, lang, large)
    return response


def play_page(live: LiveSession, mine: dict, poll_ms: int | None = None, remaining: str | None = None,
              seconds: str | None = None, **own: str) -> str:
    """The play page with this player's own part (`mine`: phone.me); `own` are the nickname and CSRF token
    (or phone_pages' holes for them, and for the seconds left: `remaining`, `seconds`), `poll_ms` the interval
    it polls at when the caller counted the players."""
    state = results.public_state(live, current_tag(), answers=False)  # the count is the host's
    if poll_ms is not None:
        state["poll_ms"] = poll_ms
    if remaining is not None and state["remaining"] is not None:
        state["remaining"] = remaining
    form = AnswerForm(question=live.question_index)
    if "csrf_token" in form:  # (none when CSRF is off) the token given, or its hole
        form.csrf_token.current_token = own["csrf"]
    return render_template(
        "classroom/play.html", live=live, question=sessions.current_question(live), me=mine,
        answer=mine["answered"], public=False, state=state, seconds_shown=seconds,
        podium=results.podium(live) if live.phase == Phase.FINISHED else [],
        form=form, state_url=url_for("classroom.phone_state", code=live.code),
        poll_etag=phone.etag_of(live), **own,
    )


@bp.get("/play/<code>/state")
def phone_state(code: str):
    """What classroom.js on the play page polls: a 304 while the step is the page's; else the new phase
    as a fragment and this player's own part (classroom/phone.py). `reload` when the page itself must
    change: no such player any more, or a self-paced session."""
    if (look := live_rules.quick_look(code)) is not None:
        if phone.matches(etag := phone.etag(look.step)):
            return phone.poll_reply(Response(status=304), etag)
    live, player, _error = session_and_player(code)
    if player is None or live.self_paced:
        return phone.poll_reply(jsonify(reload=True), "gone")
    if look is None:  # quick_look steps aside for a question past its deadline (else it is not due)
        live_rules.expire_if_due(live)
    return phone.poll_reply(jsonify(phone.state(live, player)), phone.etag_of(live))


@bp.post("/play/<code>/answer")
def answer(code: str):
    """The answer form of both kinds of session: record once, then back to the play page (which, in a
    self-paced session, shows the right answer of `?answered=`)."""
    live, player, _error = session_and_player(code)
    if live is None:
        abort(404)
    target = url_for("classroom.play", code=live.code)
    if player is None:
        return redirect(target, 303)
    # classroom.js sends a live session's answer form with fetch and shows "sent" itself: the same checks,
    # a JSON reply instead of 303 + a whole page (one page load less per phone and question).
    wants_json = not live.self_paced and request.accept_mimetypes.best == "application/json"
    form = AnswerForm()
    if not form.validate_on_submit():
        return (jsonify(accepted=False, reason="bad_request"), 400) if wants_json else redirect(target, 303)
    index = int(form.question.data) if form.question.data.isdigit() else -1
    try:
        result = modes.of(live).record_answer(live, player, index, request.form.getlist("choice"))
    except DomainError as failure:
        if wants_json:
            return jsonify(accepted=False, reason=failure.code, message=failure.message), failure.status
        flash(failure.message, failure.code)
        return redirect(target, 303)
    if wants_json:
        if not result.accepted:
            return jsonify(accepted=False, reason=result.reason, message=message("classroom", result.reason)), 409
        return jsonify(accepted=True)
    if not result.accepted:
        flash(message("classroom", result.reason), result.reason)
    elif result.reveal is not None:
        target = url_for("classroom.play", code=live.code, answered=index)
    return redirect(target, 303)
