"""Organizer accounts: session-based login (flask.session["organizer_id"])."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from ..errors import message
from ..extensions import db, limiter
from ..models import Organizer
from ..views_common import safe_next
from . import service
from .forms import LoginForm, LogoutForm, ProfileForm, RegisterForm

bp = Blueprint("auth", __name__, url_prefix="/auth")
SESSION_KEY = "organizer_id"
HOME = "organizers.dashboard"  # where an organizer lands after logging in


def current_organizer_id() -> int | None:
    organizer_id = session.get(SESSION_KEY)
    if organizer_id is None:
        return None
    if db.session.get(Organizer, organizer_id) is None:  # the account was deleted
        session.pop(SESSION_KEY, None)
        return None
    return organizer_id


def login_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_organizer_id() is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def log_in(organizer: Organizer) -> None:
    session.clear()  # a fresh session: no fixation
    session[SESSION_KEY] = organizer.id


def registration_open() -> bool:
    """REGISTRATION_OPEN=0 closes /auth/register; `flask organizer create` still makes accounts."""
    return bool(current_app.config["REGISTRATION_OPEN"])


@bp.app_context_processor
def auth_globals() -> dict:
    return {"registration_open": registration_open}


@bp.route("/register", methods=["GET", "POST"])
def register():
    if not registration_open():
        return render_template("auth/register.html", form=None, closed=message("auth", "registration_closed")), 403
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            organizer = service.create_organizer(
                form.username.data, form.password.data, form.display_name.data, form.organization.data,
            )
        except service.UsernameTaken:
            form.username.errors.append(message("auth", "username_taken"))
        else:
            log_in(organizer)
            return redirect(url_for(HOME), 303)
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    organizer = db.session.get(Organizer, current_organizer_id())
    form = ProfileForm(obj=organizer)
    if form.validate_on_submit():
        service.update_profile(organizer, form.display_name.data, form.organization.data)
        flash(_("Saved. Certificates now show these details."))
        return redirect(url_for("auth.profile"), 303)
    return render_template("auth/profile.html", form=form, organizer=organizer), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        organizer = service.authenticate(form.username.data, form.password.data)
        if organizer is not None:
            log_in(organizer)
            return redirect(safe_next(request.args.get("next"), url_for(HOME)), 303)
        error = message("auth", "bad_login")
    status = 401 if error else (400 if form.errors else 200)
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/logout")
def logout():
    LogoutForm().validate_on_submit()  # CSRFProtect has already checked the token
    session.pop(SESSION_KEY, None)
    flash(_("You are logged out."))
    return redirect(url_for("auth.login"), 303)
