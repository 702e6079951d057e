"""The chrome around every page's content (the hotline strip, the header and its menu, the language and
text-size links, the footer), drawn once and reused.

It is the same for every request that shares its few inputs, yet drawing it was most of what a page cost
(two dozen translated strings and a dozen URLs: about half of a phone's 8 ms play page). The top depends
on the language, the text size, whether an organizer is signed in and the address (the language and
text-size links lead back to it); the footer on the language alone. Per app, bounded."""

from __future__ import annotations

from flask import Flask, current_app, g, render_template, request, session
from markupsafe import Markup

from . import i18n

KEPT = 512  # addresses × languages × text sizes; a full cache starts again


def init_app(app: Flask) -> None:
    app.extensions["chrome"] = {}
    app.jinja_env.globals["chrome"] = chrome


def chrome(part: str) -> Markup:
    """`top` or `footer` (templates/_chrome_<part>.html), as drawn for requests like this one."""
    if part == "top":
        key = (part, i18n.select_locale(), bool(g.get("large_text")), bool(session.get("organizer_id")),
               request.script_root, request.full_path)
    else:
        key = (part, i18n.select_locale())
    drawn: dict = current_app.extensions["chrome"]
    html = drawn.get(key)
    if html is None:
        if len(drawn) >= KEPT:
            drawn.clear()
        html = drawn[key] = Markup(render_template(f"_chrome_{part}.html"))
    return html
