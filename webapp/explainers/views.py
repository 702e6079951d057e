"""Home, audience pages, scam explainers, the law page and the "I was scammed" page."""

from __future__ import annotations

import re
from datetime import date

from flask import Blueprint, abort, render_template
from flask_babel import format_date, gettext as _

from ..catalog import get_catalog
from ..i18n import current_tag

bp = Blueprint("explainers", __name__)

AUDIENCE_PAGES = ("elderly", "students", "rural")
HELP_PAGES = ("family", "after-report")
IN_FORCE_FROM = re.compile(r"^in force from (\d{4})-(\d{2})-(\d{2})$")


def status_text(status: str | None) -> str | None:
    """A reference's status in the reader's language; None for a status the site cannot yet say in words."""
    match = IN_FORCE_FROM.match(status or "")
    if not match:
        return None
    return _("In force from %(date)s", date=format_date(date(*map(int, match.groups())), format="long"))


@bp.app_template_filter("law_status")
def law_status(status: str | None) -> str | None:
    return status_text(status)


@bp.get("/")
def home():
    return render_template("explainers/home.html", audiences=AUDIENCE_PAGES)


@bp.get("/for/<audience>")
def audience(audience: str):
    if audience not in AUDIENCE_PAGES:
        abort(404)
    catalog = get_catalog()
    types = catalog.types_for(audience)
    explainers = [catalog.explainer(t.slug, current_tag()) for t in types]
    return render_template("explainers/audience.html", audience=audience, explainers=explainers)


@bp.get("/scams")
def index():
    catalog = get_catalog()
    types = sorted(catalog.types.values(), key=lambda t: t.rank)
    explainers = [catalog.explainer(t.slug, current_tag()) for t in types]
    return render_template("explainers/index.html", explainers=explainers)


@bp.get("/scams/<slug>")
def scam(slug: str):
    catalog = get_catalog()
    explainer = catalog.explainer(slug, current_tag())
    if explainer is None:
        abort(404)
    refs = [catalog.law[law_id] for law_id in explainer.law]
    related = [catalog.explainer(other, current_tag()) for other in explainer.related]
    return render_template("explainers/scam.html", explainer=explainer, refs=refs, related=related)


@bp.get("/law")
def law():
    return render_template("explainers/law.html", groups=get_catalog().law_groups(current_tag()))


@bp.get("/help")
def emergency():
    return render_template("explainers/emergency.html")


@bp.get("/help/<name>")
def help_page(name: str):
    if name not in HELP_PAGES:
        abort(404)
    page = get_catalog().page(name, current_tag())
    if page is None:
        abort(404)
    return render_template("explainers/help_page.html", page=page)
