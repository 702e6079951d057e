"""/about: who runs the site, where its content comes from, and what it will never ask of you. The
operator's name, contact and filing numbers come from the settings (SITE_OPERATOR, SITE_CONTACT,
ICP_NUMBER, PSB_FILING_NUMBER); an empty setting shows nothing at all."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from .catalog import get_catalog
from .config import OPERATOR_SETTINGS
from .i18n import current_tag

bp = Blueprint("about", __name__)


def operator() -> dict[str, str]:
    """The operator settings that are filled in, by lower-case name (site_operator, icp_number, ...)."""
    return {name.lower(): value for name in OPERATOR_SETTINGS if (value := current_app.config.get(name, ""))}


@bp.app_context_processor
def operator_globals() -> dict:
    return {"site_operator": operator()}


@bp.get("/about")
def about():
    laws = [name for name, _refs in get_catalog().law_groups(current_tag())]
    return render_template("about.html", laws=laws)
