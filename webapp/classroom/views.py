"""Live sessions as HTML pages: host screens for organizers, play pages for phones. Every page works
without JavaScript (forms + a <noscript> refresh); classroom.js only polls the state and reloads."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from ..auth import current_organizer_id, login_required
from ..catalog import get_catalog
from ..i18n import current_tag
from ..models import LiveSession, Phase
from ..ratelimits import join_limit
from . import qr, service
from .forms import AdvanceForm, AnswerForm, JoinForm, NewSessionForm, RemovePlayerForm
from .service import ClassroomError

bp = Blueprint("classroom", __name__)
PLAYER_COOKIE = "fz_player"
PLAYER_COOKIE_AGE = 12 * 3600


def join_url(live: LiveSession) -> str:
    return url_for("classroom.join", code=live.code, _external=True)


def hosted_session(code: str) -> LiveSession:
    """The session, if the logged-in organizer hosts it (login_required has run). An outreach event's
    self-paced session has no host screen: its pages are under /outreach/."""
    live = service.find_session(code) or abort(404)
    if live.self_paced:
        abort(404)
    if not service.is_host(live, organizer_id=current_organizer_id()):
        abort(403)
    return live


@bp.get("/classroom/")
@login_required
def index():
    return render_template(
        "classroom/index.html", sessions=service.sessions_of(current_organizer_id()), quizzes=get_catalog().quizzes,
    )


@bp.route("/classroom/new", methods=["GET", "POST"])
@login_required
def new():
    quizzes = get_catalog().quizzes
    form = NewSessionForm(quiz=request.args.get("quiz"))
    form.quiz.choices = [SelectChoice(q.id, f"{q.title.get(current_tag())} ({len(q.questions)})") for q in quizzes.values()]
    if form.validate_on_submit():
        time_limit = int(form.time_limit.data) or None
        live, _token = service.create_session(
            current_organizer_id(), quizzes[form.quiz.data], form.scoring.data, time_limit, form.questions.data,
        )
        return redirect(url_for("classroom.host", code=live.code), 303)
    return render_template("classroom/new.html", form=form), 400 if form.errors else 200


@bp.get("/classroom/<code>/host")
@login_required
def host(code: str):
    live = hosted_session(code)
    service.expire_if_due(live)
    return render_template("classroom/host.html", **host_context(live))


def host_context(live: LiveSession) -> dict:
    question = service.current_question(live)
    standings = service.leaderboard(live) if live.phase in (Phase.REVEAL, Phase.FINISHED) else []
    return {
        "live": live, "quiz": service.quiz_of(live), "question": question, "join_url": join_url(live),
        "players": service.players_of(live), "answers": service.answer_count(live) if question else 0,
        "counts": service.choice_counts(question, service._answers(live, live.question_index))
        if question and live.phase == Phase.REVEAL else (),
        "standings": standings, "state": service.public_state(live, current_tag()),
        "advance_form": AdvanceForm(expected=f"{live.phase}:{live.question_index}"), "remove_form": RemovePlayerForm(),
    }


@bp.post("/classroom/<code>/advance")
@login_required
def advance(code: str):
    live = hosted_session(code)
    if AdvanceForm().validate_on_submit():
        phase, _sep, index = (request.form.get("expected") or "").partition(":")
        try:
            service.advance(live, (phase, int(index) if index.isdigit() else None))
        except ClassroomError as error:
            if error.code != "stale":  # a double click: the first one did it
                flash(error.message)
    return redirect(url_for("classroom.host", code=live.code), 303)


@bp.post("/classroom/<code>/players/<int:player_id>/remove")
@login_required
def remove_player(code: str, player_id: int):
    live = hosted_session(code)
    if RemovePlayerForm().validate_on_submit():
        try:
            service.remove_player(live, player_id)
        except ClassroomError as error:
            flash(error.message)
    return redirect(url_for("classroom.host", code=live.code), 303)


@bp.get("/classroom/<code>/qr.svg")
def qr_svg(code: str):
    live = service.find_session(code) or abort(404)
    response = Response(qr.svg(join_url(live), _("Scan to join")), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.get("/classroom/<code>/results")
@login_required
def results(code: str):
    live = hosted_session(code)
    questions = service.question_results(live)
    return render_template(
        "classroom/results.html", live=live, quiz=service.quiz_of(live), standings=service.leaderboard(live),
        questions=service.most_missed_first(questions), total=len(questions),
    )


@bp.get("/classroom/<code>/certificates")
@login_required
def certificates(code: str):
    live = hosted_session(code)
    return render_template(
        "classroom/certificates.html", live=live, quiz=service.quiz_of(live), standings=service.leaderboard(live),
        total=len(live.question_ids), organizer=service.organizer_name(live.organizer_id),
    )


# -- players -------------------------------------------------------------------------------------


@bp.route("/join", methods=["GET", "POST"])
@join_limit  # successful joins per session; failed code guesses per address (webapp/ratelimits.py)
def join():
    form = JoinForm(code=request.args.get("code", ""))
    error, status = None, 200
    if form.validate_on_submit():
        try:
            live = service.get_session(form.code.data)
            _player, token = service.join(live, form.nickname.data)
        except ClassroomError as failure:
            error, status = failure.message, failure.status
        else:
            response = redirect(url_for("classroom.play", code=live.code), 303)
            set_player_cookie(response, live.code, token)
            return response
    elif form.errors:
        status = 400
    return render_template("classroom/join.html", form=form, error=error), status


def set_player_cookie(response: Response, code: str, token: str) -> None:
    """HttpOnly, only sent to this session's play pages; reopening the page resumes the game."""
    response.set_cookie(
        PLAYER_COOKIE, token, max_age=PLAYER_COOKIE_AGE, path=url_for("classroom.play", code=code),
        httponly=True, samesite="Lax", secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
    )


def current_player(live: LiveSession):
    try:
        return service.player_by_token(live, request.cookies.get(PLAYER_COOKIE)), None
    except ClassroomError as error:
        return None, error


@bp.get("/play/<code>")
def play(code: str):
    live = service.find_session(code)
    if live is None:
        form = JoinForm(code=code)
        return render_template("classroom/join.html", form=form, error=service.MESSAGES["bad_code"]), 404
    player, error = current_player(live)
    if live.self_paced:  # an outreach event: each player at their own question (webapp/outreach/player.py)
        from ..outreach import player as self_paced

        return self_paced.play(live, player)
    if player is None:
        if error.code == "removed":
            return render_template("classroom/gone.html", live=live, message=error.message), 403
        if live.phase == Phase.FINISHED:
            return render_template("classroom/gone.html", live=live, message=service.MESSAGES["finished"])
        return redirect(url_for("classroom.join", code=live.code), 303)
    service.expire_if_due(live)
    return render_template("classroom/play.html", **play_context(live, player))


def play_context(live: LiveSession, player) -> dict:
    question = service.current_question(live)
    return {
        "live": live, "player": player, "question": question, "quiz": service.quiz_of(live),
        "answer": service.answer_of(player, live.question_index) if question else None,
        "standing": service.standing_of(live, player) if live.phase != Phase.LOBBY else None,
        "podium": service.leaderboard(live, 3) if live.phase == Phase.FINISHED else [],
        "state": service.public_state(live, current_tag()), "form": AnswerForm(question=live.question_index),
    }


@bp.post("/play/<code>/answer")
def answer(code: str):
    live = service.find_session(code) or abort(404)
    player, error = current_player(live)
    if player is None:
        return redirect(url_for("classroom.play", code=live.code), 303)
    if live.self_paced:
        from ..outreach import player as self_paced

        return self_paced.answer(live, player)
    form = AnswerForm()
    if form.validate_on_submit():
        index = int(form.question.data) if form.question.data.isdigit() else -1
        try:
            result = service.record_answer(live, player, index, request.form.getlist("choice"))
        except ClassroomError as failure:
            flash(failure.message)
        else:
            if not result.accepted:
                flash(str(service.MESSAGES[result.reason]))
    return redirect(url_for("classroom.play", code=live.code), 303)
