"""A participant's pages in an outreach event (a self-paced session): /play/<code> shows the player's own
next question, then feedback on each answer (the answer POST is classroom's, for both kinds of session);
/play/<code>/kiosk turns a shared tablet into a kiosk that starts a fresh player for each person and
forgets the last one when they finish. No JavaScript needed."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..classroom import queries, self_paced, sessions
from ..classroom.forms import AnswerForm
from ..classroom.players import (
    bad_code_page, forget_player, gone_page, self_paced_play_page, set_play_cookie, set_player_cookie,
)
from ..errors import DomainError
from ..models import LiveSession, Phase, Player
from ..quiz.scoring import missed_slugs
from ..classroom.players import join_limit
from . import service
from .forms import KioskForm

kiosk_bp = Blueprint("kiosk", __name__)
KIOSK_COOKIE = "fz_kiosk"
KIOSK_RESET_SECONDS = 20


def in_kiosk() -> bool:
    return request.cookies.get(KIOSK_COOKIE) == "1"


@self_paced_play_page
def play(live: LiveSession, player: Player | None):
    """GET /play/<code> of a self-paced session."""
    if player is None:
        if in_kiosk() and live.phase != Phase.FINISHED:
            return redirect(url_for("kiosk.start", code=live.code), 303)
        if live.phase == Phase.FINISHED:
            return gone_page(live)
        return redirect(url_for("classroom.join", code=live.code), 303)
    questions = sessions.questions_of(live)
    answered, right = queries.progress(player)
    index = self_paced.own_index(live, answered)
    feedback = None
    last = request.args.get("answered", "")
    if last.isdigit() and int(last) < len(questions):
        answer = queries.answer_of(player, int(last))
        if answer is not None:
            feedback = (questions[int(last)], answer)
    kiosk = in_kiosk()
    missed = [] if index is not None else missed_of(player, questions)
    response = current_app.make_response(render_template(
        "outreach/play.html", live=live, event=service.event_of_session(live), player=player, questions=questions,
        index=index, question=questions[index] if index is not None else None, answered=answered, right=right,
        feedback=feedback, kiosk=kiosk, missed=missed, form=AnswerForm(question=index),
        reset_seconds=KIOSK_RESET_SECONDS,
    ))
    if index is None and kiosk:  # done on a shared tablet: the next person starts afresh
        forget_player(response, live.code)
    response.headers["Cache-Control"] = "no-store"
    return response


def missed_of(player: Player, questions) -> list[str]:
    """The scam types of the questions this player got wrong, in question order, each once."""
    given = {answer.question_index: answer for answer in queries.answers_of_player(player)}
    return missed_slugs((q.slug, given[i].correct) for i, q in enumerate(questions)
                        if i in given and q.slug is not None)  # an organizer's question may name no scam type


@kiosk_bp.route("/play/<code>/kiosk", methods=["GET", "POST"])
@join_limit  # successful joins per session; failed code guesses per address (webapp/ratelimits.py)
def start(code: str):
    """A shared tablet: each person taps Start and gets a new player; nothing of the last one is kept."""
    live = sessions.find_session(code)
    if live is None or not live.self_paced:
        return bad_code_page(code)
    if live.phase == Phase.FINISHED:
        return gone_page(live)
    form = KioskForm()
    error, status = None, 200
    if form.validate_on_submit():
        nickname = (form.nickname.data or "").strip() or _("Guest")
        try:
            _player, token = self_paced.join(live, nickname)
        except DomainError as failure:
            error, status = failure.message, failure.status
        else:
            response = redirect(url_for("classroom.play", code=live.code), 303)
            set_player_cookie(response, live.code, token)
            set_play_cookie(response, live.code, KIOSK_COOKIE, "1")
            return response
    elif form.errors:
        status = 400
    response = current_app.make_response((render_template(
        "outreach/kiosk.html", live=live, event=service.event_of_session(live), form=form, error=error,
    ), status))
    forget_player(response, live.code)  # whoever used the tablet before is gone
    set_play_cookie(response, live.code, KIOSK_COOKIE, "1")
    response.headers["Cache-Control"] = "no-store"
    return response
