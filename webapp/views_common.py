"""What every page shares: language and text-size preferences, template globals."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from flask import Flask, Response, g, redirect, render_template, request, url_for
from wtforms.fields.choices import SelectChoice

from . import i18n
from .catalog import get_catalog

TEXT_SIZE_COOKIE = "textsize"
ONE_YEAR = 365 * 24 * 3600


def safe_next(target: str | None, default: str = "/") -> str:
    """Only ever redirect to a path on this site."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def init_app(app: Flask) -> None:
    @app.before_request
    def read_preferences() -> None:
        g.large_text = request.cookies.get(TEXT_SIZE_COOKIE) == "large"

    @app.after_request
    def remember_language(response: Response) -> Response:
        chosen = i18n.parse(request.args.get("lang"))
        if chosen and request.cookies.get(i18n.LANGUAGE_COOKIE) != chosen:
            response.set_cookie(i18n.LANGUAGE_COOKIE, chosen, max_age=ONE_YEAR, samesite="Lax", httponly=True)
        response.vary.add("Cookie")
        response.vary.add("Accept-Language")
        return response

    @app.get("/prefs/text")
    def text_size():
        """The large-text switch: a plain link, remembered in a cookie, so it works without JavaScript."""
        size = "large" if request.args.get("size") == "large" else "normal"
        response = redirect(safe_next(request.args.get("next")))
        response.set_cookie(TEXT_SIZE_COOKIE, size, max_age=ONE_YEAR, samesite="Lax", httponly=True)
        return response

    @app.context_processor
    def template_globals() -> dict:
        locale = i18n.select_locale()
        return {
            "locale": locale,
            "lang_tag": i18n.to_tag(locale),
            "locale_names": i18n.LOCALE_NAMES,
            "catalog": get_catalog(),
            "switch_language_url": switch_language_url,
            "text_size_url": text_size_url,
        }


def switch_language_url(locale: str) -> str:
    args = request.args.to_dict()
    args["lang"] = i18n.to_tag(locale)
    return f"{request.path}?{urlencode(args)}"


def text_size_url(size: str) -> str:
    here = request.full_path.rstrip("?")
    return url_for("text_size", size=size, next=here)


def quiz_form(form_class, *, with_counts: bool = False):
    """A form with a `quiz` select of the catalog's quizzes, preselected from ?quiz= (the "new" pages)."""
    form = form_class(quiz=request.args.get("quiz"))
    tag = i18n.current_tag()
    form.quiz.choices = [
        SelectChoice(q.id, f"{q.title.get(tag)} ({len(q.questions)})" if with_counts else q.title.get(tag))
        for q in get_catalog().quizzes.values()
    ]
    return form


def form_page(template: str, form, **context):
    """A form page: 400 when the posted form had errors, so tests and tools see the refusal."""
    return render_template(template, form=form, **context), 400 if form.errors else 200
