"""The organizers' front door: a page that says what hosting is and how it goes (for everyone), and the
dashboard a logged-in organizer lands on, with their live sessions and outreach events side by side."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import to_user_timezone

from .auth import current_organizer_id, login_required
from . import clock
from .catalog import get_catalog
from .classroom import sessions
from .extensions import db
from .models import Organizer
from .outreach import service as outreach

bp = Blueprint("organizers", __name__, url_prefix="/organizers")

# The how-to's screenshots (made by scripts/organizer_shots.py): file in static/img, and its size in pixels.
SHOTS = {
    "new": ("organizer-new.png", 390, 700),
    "lobby": ("organizer-lobby.png", 390, 700),
    "phone": ("organizer-phone.png", 390, 700),
    "results": ("organizer-results.png", 390, 700),
}


@bp.get("/")
def index():
    return render_template("organizers/index.html", shots=SHOTS, logged_in=current_organizer_id() is not None)


@bp.get("/dashboard")
@login_required
def dashboard():
    organizer_id = current_organizer_id()
    return render_template(
        "organizers/dashboard.html", organizer=db.session.get(Organizer, organizer_id),
        sessions=sessions.sessions_of(organizer_id), events=outreach.events_of(organizer_id),
        quizzes=get_catalog().quizzes, today=to_user_timezone(clock.now()).date(),
    )
