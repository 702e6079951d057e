"""Home, audience pages, scam explainers, the law page and the "I was scammed" page."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from ..catalog import get_catalog
from ..i18n import current_tag

bp = Blueprint("explainers", __name__)

AUDIENCE_PAGES = ("elderly", "students", "rural")


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
