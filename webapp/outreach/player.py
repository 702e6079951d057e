"""A participant's pages in an outreach event (a self-paced session): /play/<code> shows the player's own
next question, then feedback on each answer; /play/<code>/kiosk turns a shared tablet into a kiosk that
starts a fresh player for each person and forgets the last one when they finish. No JavaScript needed."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..classroom import service as classroom
from ..classroom.forms import AnswerForm, JoinForm
from ..classroom.service import ClassroomError
from ..classroom.views import PLAYER_COOKIE, PLAYER_COOKIE_AGE, set_player_cookie
from ..models import LiveSession, Phase, Player
from ..ratelimits import join_limit
from . import service
from .forms import KioskForm

kiosk_bp = Blueprint("kiosk", __name__)
KIOSK_COOKIE = "fz_kiosk"
KIOSK_RESET_SECONDS = 20


def in_kiosk() -> bool:
    return request.cookies.get(KIOSK_COOKIE) == "1"


def forget_player(response, code: str) -> None:
    response.delete_cookie(PLAYER_COOKIE, path=url_for("classroom.play", code=code))


def play(live: LiveSession, player: Player | None):
    """GET /play/<code> of a self-paced session."""
    if player is None:
        if in_kiosk() and live.phase != Phase.FINISHED:
            return redirect(url_for("kiosk.start", code=live.code), 303)
        if live.phase == Phase.FINISHED:
            return render_template("classroom/gone.html", live=live, message=classroom.MESSAGES["finished"])
        return redirect(url_for("classroom.join", code=live.code), 303)
    questions = classroom.questions_of(live)
    answered, right = classroom.progress(player)
    index = answered if answered < len(questions) and live.phase != Phase.FINISHED else None
    feedback = None
    last = request.args.get("answered", "")
    if last.isdigit() and int(last) < len(questions):
        answer = classroom.answer_of(player, int(last))
        if answer is not None:
            feedback = (questions[int(last)], answer)
    event = service.event_of_session(live)
    kiosk = in_kiosk()
    missed = [] if index is not None else missed_slugs(player, questions)
    response = current_app.make_response(render_template(
        "outreach/play.html", live=live, event=event, player=player, questions=questions, index=index,
        question=questions[index] if index is not None else None, answered=answered, right=right,
        feedback=feedback, kiosk=kiosk, missed=missed, form=AnswerForm(question=index),
        reset_seconds=KIOSK_RESET_SECONDS,
    ))
    if index is None and kiosk:  # done on a shared tablet: the next person starts afresh
        forget_player(response, live.code)
    response.headers["Cache-Control"] = "no-store"
    return response


def missed_slugs(player: Player, questions) -> list[str]:
    """The scam types of the questions this player got wrong, in question order, each once."""
    slugs: list[str] = []
    for index, question in enumerate(questions):
        answer = classroom.answer_of(player, index)
        if answer is not None and not answer.correct and question.slug not in slugs:
            slugs.append(question.slug)
    return slugs


def answer(live: LiveSession, player: Player):
    """POST /play/<code>/answer of a self-paced session: record once, then show the feedback."""
    form = AnswerForm()
    target = url_for("classroom.play", code=live.code)
    if form.validate_on_submit():
        index = int(form.question.data) if form.question.data.isdigit() else -1
        try:
            result = classroom.record_answer(live, player, index, request.form.getlist("choice"))
        except ClassroomError as failure:
            flash(failure.message)
        else:
            if result.accepted:
                target = url_for("classroom.play", code=live.code, answered=index)
            else:
                flash(str(classroom.MESSAGES[result.reason]))
    return redirect(target, 303)


@kiosk_bp.route("/play/<code>/kiosk", methods=["GET", "POST"])
@join_limit  # successful joins per session; failed code guesses per address (webapp/ratelimits.py)
def start(code: str):
    """A shared tablet: each person taps Start and gets a new player; nothing of the last one is kept."""
    live = classroom.find_session(code)
    if live is None or not live.self_paced:
        form = JoinForm(code=code)
        return render_template("classroom/join.html", form=form, error=classroom.MESSAGES["bad_code"]), 404
    if live.phase == Phase.FINISHED:
        return render_template("classroom/gone.html", live=live, message=classroom.MESSAGES["finished"])
    form = KioskForm()
    error, status = None, 200
    if form.validate_on_submit():
        nickname = (form.nickname.data or "").strip() or _("Guest")
        try:
            _player, token = classroom.join(live, nickname)
        except ClassroomError as failure:
            error, status = failure.message, failure.status
        else:
            response = redirect(url_for("classroom.play", code=live.code), 303)
            set_player_cookie(response, live.code, token)
            set_kiosk_cookie(response, live.code)
            return response
    elif form.errors:
        status = 400
    response = current_app.make_response((render_template(
        "outreach/kiosk.html", live=live, event=service.event_of_session(live), form=form, error=error,
    ), status))
    forget_player(response, live.code)  # whoever used the tablet before is gone
    set_kiosk_cookie(response, live.code)
    response.headers["Cache-Control"] = "no-store"
    return response


def set_kiosk_cookie(response, code: str) -> None:
    response.set_cookie(
        KIOSK_COOKIE, "1", max_age=PLAYER_COOKIE_AGE, path=url_for("classroom.play", code=code),
        httponly=True, samesite="Lax", secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
    )
