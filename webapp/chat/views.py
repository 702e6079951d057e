"""/chat: a plain form that works without JavaScript; with it, a conversation on one page."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from ..extensions import limiter
from ..i18n import current_tag
from . import service
from .api import chat_limit
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
            error = _("Please describe what happened.")
        else:
            message = form.text()
            language = service.answer_language(message, None, current_tag())
            result = service.answer(message, language)
            words = [w for m in result.data["matches"] for w in m["why"]]
            exchange = {"message": message, "pieces": service.highlight(message, words), "answer": result.data}
            form.message.data = ""
    status = 400 if error else 200
    if fragment:
        return render_template("chat/_exchange.html", exchange=exchange, error=error), status
    return render_template("chat/chat.html", form=form, exchange=exchange, error=error, examples=examples()), status
