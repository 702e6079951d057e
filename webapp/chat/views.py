"""/chat: a plain form that works without JavaScript; with it, a conversation on one page."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from markupsafe import Markup

from ..extensions import limiter
from . import present, service
from .api import ask, chat_limit
from .forms import ChatForm

bp = Blueprint("chat", __name__)


def examples() -> list[str]:
    return [
        _("Someone on WeChat offers me 500 yuan a week to lend them my bank card"),
        _("A \"customer service\" caller says my parcel is lost and wants me to share my screen"),
        _("I got a text: your medical insurance card is abnormal, click the link to fix it"),
        _("A \"police officer\" says my account is involved in money laundering"),
        _("I was told to pay first for a part-time job liking videos, and I already paid 2000 yuan"),
    ]


def empty_message() -> str:
    return _("Please type what happened, or paste the message you got. For example: \"someone wants to rent my bank card\".")


def render_exchange(message: str, result: service.ChatResult) -> Markup:
    """One question and its answer, every word of the answer in the answer's language."""
    with present.in_answer_language(result):
        answer = present.present(result)
        return Markup(render_template(
            "chat/_exchange.html", message=message, pieces=service.highlight(message, result.why), answer=answer,
            result=result,
        ))


@bp.route("/chat", methods=["GET", "POST"])
@limiter.limit(chat_limit, methods=["POST"])
def chat():
    form = ChatForm()
    fragment = request.headers.get("X-Fragment") == "1"
    exchange = None
    error = None
    if request.method == "POST":
        if not form.validate():
            error = _("Please keep it under %(limit)s characters.", limit=service.MAX_MESSAGE)
        elif not form.text():
            error = empty_message()
        else:
            message = form.text()
            exchange = render_exchange(message, ask(message, None))
            form.message.data = ""
    status = 400 if error else 200
    if fragment:
        return render_template("chat/_error.html", error=error) if error else exchange, status
    return render_template(
        "chat/chat.html", form=form, exchange=exchange, error=error, examples=examples(), empty_message=empty_message(),
    ), status
