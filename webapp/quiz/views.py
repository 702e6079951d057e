"""Solo quizzes: one question per screen, a form post per answer, works without JavaScript."""

from __future__ import annotations

from flask import Blueprint, abort, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..catalog import get_catalog
from ..errors import DomainError, message
from ..i18n import current_tag
from . import scoring, service
from .service import PROGRESS_COOKIE

bp = Blueprint("quiz", __name__, url_prefix="/quiz")
ONE_YEAR = 365 * 24 * 3600
# The newest token of the run in this browser: after the back button, an answer sent again from an old
# page finds where the run really is instead of a dead end.
LATEST_RUN_COOKIE = "quizrun"


def level_names() -> dict[str, str]:
    return {"beginner": _("Anti-fraud beginner"), "expert": _("Anti-fraud expert"), "guardian": _("Anti-fraud guardian")}


def load_run():
    return service.decode(request.values.get("s"), get_catalog().quizzes.get)


@bp.get("/")
def index():
    return render_template("quiz/index.html", quizzes=list(get_catalog().quizzes.values()))


@bp.get("/<quiz_id>")
def intro(quiz_id: str):
    quiz = get_catalog().quizzes.get(quiz_id) or abort(404)
    return render_template("quiz/intro.html", quiz=quiz, length=min(service.RUN_LENGTH, len(quiz.questions)))


def remember_run(response, token: str):
    response.set_cookie(LATEST_RUN_COOKIE, token, max_age=24 * 3600, samesite="Lax", httponly=True, path="/quiz")
    return response


def latest_run_after(run):
    """The same run further on, as this browser last saw it, or None."""
    try:
        latest, _quiz = service.decode(request.cookies.get(LATEST_RUN_COOKIE), get_catalog().quizzes.get)
    except DomainError:
        return None
    if latest.run_id != run.run_id or latest.index <= run.index:
        return None
    return latest


@bp.post("/<quiz_id>/start")
def start(quiz_id: str):
    quiz = get_catalog().quizzes.get(quiz_id) or abort(404)
    token = service.encode(service.start(quiz))
    return remember_run(redirect(url_for("quiz.play", s=token), 303), token)


@bp.get("/play")
def play():
    run, quiz = load_run()
    if run.finished:
        return redirect(url_for("quiz.result", s=request.values["s"], note=request.args.get("note")), 303)
    question = quiz.question(run.question_ids[run.index])
    return render_template(
        "quiz/question.html", run=run, quiz=quiz, question=question, token=request.values["s"],
        note=request.args.get("note") == "answered",
    )


@bp.post("/answer")
def answer():
    run, quiz = load_run()
    question_id = request.form.get("question", "")
    try:
        run = service.answer(run, quiz, question_id, request.form.getlist("choice"))
    except DomainError as error:
        if error.code in ("replayed", "wrong_question") and (latest := latest_run_after(run)):
            # Back, then answered again: the first answer stands; carry on where the run is.
            return redirect(url_for("quiz.play", s=service.encode(latest), note="answered"), 303)
        if error.code == "no_choice" and not run.finished and question_id == run.question_ids[run.index]:
            question = quiz.question(question_id)
            return render_template(
                "quiz/question.html", run=run, quiz=quiz, question=question, token=request.values["s"],
                error=message("quiz", code := "no_choice_multiple" if question.kind == "multiple" else "no_choice"),
                error_code=code,
            ), 422
        raise
    token = service.encode(run)
    return remember_run(redirect(url_for("quiz.feedback", s=token), 303), token)


@bp.get("/feedback")
def feedback():
    run, quiz = load_run()
    if not run.steps:
        return redirect(url_for("quiz.play", s=request.values["s"]), 303)
    step = run.steps[-1]
    question = quiz.question(step.question_id)
    explainer = get_catalog().explainer(question.slug, current_tag())
    return render_template(
        "quiz/feedback.html", run=run, quiz=quiz, question=question, step=step, explainer=explainer,
        token=request.values["s"], chosen=[question.choices[i].get(current_tag()) for i in step.chosen],
        right=[question.choices[i].get(current_tag()) for i in sorted(question.answer)],
    )


def summary(run, quiz) -> dict:
    catalog = get_catalog()
    wrong_slugs = scoring.missed_slugs((quiz.question(step.question_id).slug, step.correct) for step in run.steps)
    return {
        "level": scoring.run_level(run.right, len(run.steps)),
        "review": [catalog.explainer(slug, current_tag()) for slug in wrong_slugs],
        "share": round(100 * run.right / len(run.steps)) if run.steps else 0,
    }


@bp.get("/result")
def result():
    run, quiz = load_run()
    if not run.finished:
        return redirect(url_for("quiz.play", s=request.values["s"]), 303)
    progress = service.add_run(service.read_progress(request.cookies.get(PROGRESS_COOKIE)), run, quiz)
    response = make_response(render_template(
        "quiz/result.html", run=run, quiz=quiz, token=request.values["s"], levels=level_names(),
        badges=service.badges(progress), note=request.args.get("note") == "answered", **summary(run, quiz),
    ))
    response.set_cookie(PROGRESS_COOKIE, service.dump_progress(progress), max_age=ONE_YEAR, samesite="Lax", httponly=True)
    return response


@bp.get("/card")
def card():
    run, quiz = load_run()
    if not run.finished:
        abort(404)
    return render_template("quiz/card.html", run=run, quiz=quiz, levels=level_names(), **summary(run, quiz))


@bp.get("/progress")
def progress():
    data = service.read_progress(request.cookies.get(PROGRESS_COOKIE))
    catalog = get_catalog()
    slugs = sorted(data["slugs"].items(), key=lambda item: catalog.types[item[0]].rank if item[0] in catalog.types else 99)
    return render_template(
        "quiz/progress.html", progress=data, levels=level_names(), level=scoring.overall_level(data["points"]),
        badges=[catalog.explainer(s, current_tag()) for s in service.badges(data) if s in catalog.types],
        slugs=[(catalog.explainer(s, current_tag()), right, total) for s, (right, total) in slugs if s in catalog.types],
    )

