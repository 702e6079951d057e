"""Outreach pages for the organizer who owns the event (anyone else gets a 404), and the kiosk start page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from ..auth import current_organizer_id, login_required
from ..catalog import get_catalog
from ..classroom import qr, self_paced
from ..classroom.results import pace_summaries
from ..errors import DomainError
from ..i18n import current_tag
from ..models import Event
from ..views_common import form_page, quiz_form
from .. import exports
from . import printing, service, tables
from .forms import EventForm, kind_label, marks_of, paper_form

bp = Blueprint("outreach", __name__, url_prefix="/outreach")
LETTERS = "ABCDEFGH"


def owned(event_id: int) -> Event:
    """The event, if the logged-in organizer created it (login_required has run)."""
    return service.owned_event(event_id, current_organizer_id()) or abort(404)


def join_url(event: Event) -> str:
    return url_for("classroom.join", code=event.live_session.code, _external=True)


def qr_markup(event: Event) -> Markup:
    """The join QR code as inline SVG (segno's output: our own markup, no user text in it)."""
    return Markup(qr.svg(join_url(event), _("Scan to join")).decode("utf-8"))


@bp.app_context_processor
def outreach_globals() -> dict:
    return {"kind_label": kind_label, "letters": LETTERS}


@bp.get("/")
@login_required
def index():
    rows = service.events_of(current_organizer_id())
    return render_template("outreach/index.html", rows=rows, totals=service.grand_total(rows),
                           quizzes=get_catalog().quizzes)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = quiz_form(EventForm)
    if form.validate_on_submit():
        try:
            event = service.create_event(
                current_organizer_id(), form.kind.data, form.place.data, form.date.date,
                get_catalog().quizzes.get(form.quiz.data), form.audience.data,
            )
        except DomainError as error:
            field = {"bad_kind": form.kind, "bad_place": form.place, "bad_date": form.date,
                     "bad_audience": form.audience}.get(error.code, form.quiz)
            field.errors = [*field.errors, error.message]
        else:
            return redirect(url_for("outreach.event", event_id=event.id), 303)
    return form_page("outreach/new.html", form)


@bp.get("/events/<int:event_id>")
@login_required
def event(event_id: int):
    event = owned(event_id)
    summary = pace_summaries([event.live_session])[event.live_session_id]
    return render_template("outreach/event.html", event=event, summary=summary, quiz=service.quiz_of(event),
                           join_url=join_url(event))


@bp.get("/events/<int:event_id>/poster")
@login_required
def poster(event_id: int):
    event = owned(event_id)
    return render_template("outreach/poster.html", event=event, join_url=join_url(event), qr=qr_markup(event))


@bp.get("/events/<int:event_id>/projector")
@login_required
def projector(event_id: int):
    event = owned(event_id)
    summary = pace_summaries([event.live_session])[event.live_session_id]
    return render_template("outreach/projector.html", event=event, summary=summary, join_url=join_url(event))


@bp.get("/events/<int:event_id>/sheet")
@login_required
def sheet(event_id: int):
    event = owned(event_id)
    pages = printing.sheet_pages(service.questions_of(event), current_tag())
    return render_template("outreach/sheet.html", event=event, pages=pages)


@bp.get("/events/<int:event_id>/key")
@login_required
def answer_key(event_id: int):
    event = owned(event_id)
    pages = printing.key_pages(service.questions_of(event), current_tag())
    return render_template("outreach/key.html", event=event, pages=pages)


@bp.route("/events/<int:event_id>/paper", methods=["GET", "POST"])
@login_required
def paper(event_id: int):
    event = owned(event_id)
    questions = service.questions_of(event)
    form = paper_form(questions)
    fill = request.form.get("fill")
    if request.method == "POST" and fill in ("all", "clear"):
        # "All right" and "Clear" without JavaScript: the same sheet again, every mark set or none.
        for number in range(1, len(questions) + 1):
            form[f"q{number}"].data = "right" if fill == "all" else None
        form.typed.data = ""
        return render_template(
            "outreach/paper.html", event=event, form=form, questions=questions, sheets=service.paper_sheets(event),
        )
    if form.validate_on_submit():
        label = form.label.data or ""
        if not label.strip():
            label = _("Paper sheet %(number)s", number=len(service.paper_sheets(event)) + 1)
        try:
            self_paced.record_paper_sheet(event.live_session, label, marks_of(form, len(questions)))
        except DomainError as error:
            form.label.errors = [*form.label.errors, error.message]
        else:
            marks = marks_of(form, len(questions))
            flash(_("Sheet %(number)s saved: %(right)s of %(total)s right. It counts in the report now. Enter the next one.",
                    number=len(service.paper_sheets(event)), right=sum(m is True for m in marks), total=len(questions)))
            return redirect(url_for("outreach.paper", event_id=event.id), 303)
    return form_page("outreach/paper.html", form, event=event, questions=questions, sheets=service.paper_sheets(event))


@bp.get("/events/<int:event_id>/report")
@login_required
def report(event_id: int):
    event = owned(event_id)
    return render_template("outreach/report.html", report=service.report(event), quiz=service.quiz_of(event))


@bp.get("/events/<int:event_id>/report.csv")
@login_required
def report_csv(event_id: int):
    return report_download(event_id, "csv")


@bp.get("/events/<int:event_id>/report.xlsx")
@login_required
def report_xlsx(event_id: int):
    return report_download(event_id, "xlsx")


def report_download(event_id: int, kind: str):
    """The report as a spreadsheet, headers and values in the request's language (`?lang=` from the page)."""
    event = owned(event_id)
    rows = tables.report_rows(service.report(event), service.quiz_of(event), current_tag())
    return exports.download(rows, f"fangzha-event-{event.id}", kind, _("Report"))
