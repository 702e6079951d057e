"""One error model for the whole site.

Services raise `DomainError(code, status, domain=...)`: a code that means one thing in its domain, and
the HTTP status it deserves (404 unknown, 409 conflicting state, 400 bad input, 401/403 who you are).
They never hold the words: the message tables below do, one per domain, translated when shown. The
handler registered once in `init_app` answers `{"error": {"code", "message"}}` under /api/ and the
site's error page everywhere else; views that want to show a refusal in place (a flash, a form error)
catch the error and use `error.message`.
"""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    # JSON requests in general (webapp/api_common.py)
    "api": {
        "bad_request": _l("Send a JSON object."),
        "missing_answer": _l("Send the question index and your choice."),
        "missing_field": _l("Please send %(fields)s."),
        "bad_unicode": _l("Your request contains text that is not valid Unicode. Please type it again."),
    },
    # the chatbot's JSON API (webapp/chat/api.py)
    "chat": {
        "not_json": _l("Send a JSON object like {\"message\": \"...\"}."),
        "missing_message": _l("The field \"message\" is required."),
        "invalid_type": _l("\"message\" must be a string."),
        "invalid_lang": _l("\"lang\" must be one of zh-Hans, zh-Hant, en."),
        "empty_message": _l("Please describe what happened."),
        "too_long": _l("Please keep it under %(limit)s characters."),
    },
    # organizer accounts (webapp/auth)
    "auth": {
        "login_required": _l("Please log in as an organizer."),
        "host_required": _l("Please log in as an organizer, or send the host token."),
        "username_taken": _l("This username is taken. Please choose another."),
        "bad_login": _l("Wrong username or password."),
        "registration_closed": _l("This site does not take new organizer accounts. Ask the people who run it for one."),
    },
    # live and self-paced sessions (webapp/classroom)
    "classroom": {
        "bad_code": _l("No open session has this code. Check the six digits on the screen."),
        "finished": _l("This session has ended."),
        "bad_nickname": _l("Please choose a nickname of 1 to 20 characters."),
        "nickname_taken": _l("Someone in this session already uses that nickname. Please choose another."),
        "no_token": _l("Please join the session first."),
        "bad_token": _l("This player is not known in this session. Please join again."),
        "removed": _l("The host removed you from this session. You can join again with another nickname."),
        "not_host": _l("Only the host of this session can do that."),
        "not_question": _l("There is no open question right now."),
        "wrong_question": _l("That is not the current question."),
        "too_late": _l("Your answer arrived after the time was up, so it was not counted. This happens when the network or the site is busy."),
        "bad_choice": _l("That answer is not one of the choices."),
        "no_choice": _l("Please choose an answer."),
        "one_choice": _l("Choose one answer for this question."),
        "bad_request": _l("The request is not valid."),
        "no_players": _l("Wait until at least one player has joined."),
        "stale": _l("The session has moved on already."),
        "bad_quiz": _l("There is no such quiz."),
        "quiz_gone": _l("The questions of this session are no longer available."),
        "bad_options": _l("These session options are not valid."),
        "no_player": _l("There is no such player in this session."),
        "self_paced": _l("Everyone plays at their own pace in this session: there is nothing to advance."),
        "all_done": _l("You have answered every question already."),
    },
    # outreach events (webapp/outreach)
    "outreach": {
        "bad_kind": _l("Choose where the event is: a school, a workplace, a community, a village or a family."),
        "bad_place": _l("Please write the place, in at most %(max)s characters."),
        "bad_audience": _l("Please describe the audience in at most %(max)s characters."),
        "bad_date": _l("Please give the date as year-month-day, for example 2025-03-15."),
        "bad_quiz": _l("There is no such quiz."),
    },
    # quizzes organizers compose (webapp/compose)
    "compose": {
        "bad_title": _l("Please give the quiz a title of at most %(max)s characters."),
        "bad_audience": _l("Choose who the quiz is for: older people, students, rural residents or everyone."),
        "bad_types": _l("Choose scam types from the site's list."),
        "bad_count": _l("The number of questions from the site's banks must be 0 to %(max)s."),
        "bad_order": _l("Choose the order: as in the banks, or shuffled."),
        "bad_question": _l("Please check %(field)s: %(problem)s"),
        "too_many": _l("A quiz holds at most %(max)s questions of your own."),
        "empty": _l("Take some questions from the site's banks or add your own: the quiz is empty."),
        "no_question": _l("There is no such question in this quiz."),
        "bad_file": _l("Please choose a CSV or XLSX file saved from Excel or WPS, at most 1 MB."),
        "bad_header": _l("The first row must hold the column names of the template (missing: %(columns)s)."),
        "no_rows": _l("The file has no questions below the column names."),
        "row_kind": _l("kind '%(value)s' is not one of single, multiple, truefalse, scenario."),
        "row_prompt": _l("the question is empty or longer than %(max)s characters."),
        "row_choices": _l("give 2 to 6 choices (A to F), without gaps."),
        "row_choice_long": _l("choice %(letter)s is longer than %(max)s characters."),
        "row_answer": _l("answer '%(value)s' is not one of the choices."),
        "row_multiple": _l("a multiple-choice question needs at least two right answers, like AC."),
        "row_single": _l("this kind of question has exactly one right answer, like B."),
        "row_truefalse": _l("a true/false question has no choices and answers 对 or 错 (true or false)."),
        "row_explanation": _l("the explanation is empty or longer than %(max)s characters."),
        "row_scene": _l("a scenario question needs a scene (at most %(max)s characters); other kinds have none."),
        "row_type": _l("scam type '%(value)s' is not one of the site's (leave it empty if unsure)."),
        "row_other": _l("%(problem)s"),
        "in_row": _l("row %(row)s: %(problem)s"),
    },
    # solo quiz runs (webapp/quiz)
    "quiz": {
        "missing_run": _l("This quiz run is missing. Please start the quiz again."),
        "bad_run": _l("This quiz run is not valid. Please start the quiz again."),
        "bad_choice": _l("That answer is not one of the choices."),
        "no_choice": _l("Please choose an answer."),
        "no_choice_multiple": _l("Please tick at least one answer. You may tick several."),
        "one_choice": _l("Choose one answer for this question."),
        "finished": _l("This quiz is already finished."),
        "wrong_question": _l("That is not the current question of this quiz run."),
        "replayed": _l("This question was already answered. Your score has not changed."),
    },
}
# Where the error page sends the visitor next, per domain (the home page otherwise).
BACK_LINKS = {"quiz": ("quiz.index", _l("Back to the quizzes"))}


def message(domain: str, code: str, **params) -> str:
    """The translated message of a code; an unknown code reads as "the request is not valid"."""
    text = MESSAGES.get(domain, {}).get(code, MESSAGES["classroom"]["bad_request"])
    return str(text) % params if params else str(text)


class DomainError(Exception):
    """A refused request: `code` names it within `domain`, `status` is its HTTP status; `params` fill in
    the message (e.g. the field names of missing_field)."""

    def __init__(self, code: str, status: int = 400, *, domain: str, **params):
        super().__init__(f"{domain}.{code}")
        self.code, self.status, self.domain, self.params = code, status, domain, params

    @property
    def message(self) -> str:
        return message(self.domain, self.code, **self.params)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def api_error_response(code: str, message: str, status: int, field: str | None = None):
    response = jsonify(error={"code": code, "message": message, **({"field": field} if field else {})})
    response.status_code = status
    return response


def error_page(status: int, title: str, message: str, code: str | None = None, back=None):
    return render_template("errors/error.html", status=status, title=title, message=message, code=code,
                           back=back), status


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def handle_domain_error(error: DomainError):
        if wants_json():
            return api_error_response(error.code, error.message, error.status, error.params.get("field"))
        return error_page(error.status, _("Please try again"), error.message, error.code, BACK_LINKS.get(error.domain))

    @app.errorhandler(CSRFError)
    def handle_csrf(error: CSRFError):
        message = _("This form has expired. Please go back, reload the page and try again.")
        if wants_json():
            return api_error_response("csrf", message, 400)
        return error_page(400, _("Please try again"), message)

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException):
        status = error.code or 500
        if wants_json():
            code = {404: "not_found", 405: "method_not_allowed", 413: "too_large", 429: "rate_limited"}.get(
                status, "http_error"
            )
            message = _("Too many requests. Please wait a minute and try again.") if status == 429 else error.description
            return api_error_response(code, message, status)
        if status == 404:
            return render_template("errors/404.html"), 404
        if status == 429:
            return error_page(429, _("Please slow down"), _("Too many requests. Please wait a minute and try again."))
        return error_page(status, _("Something went wrong"), error.description)

    @app.errorhandler(500)
    def handle_500(error):
        if wants_json():
            return api_error_response("server_error", _("Something went wrong on our side."), 500)
        return render_template("errors/500.html"), 500
