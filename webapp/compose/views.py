"""Pages where an organizer composes quizzes: list, create, edit (settings, then own questions one at a
time), copy, delete, import from a spreadsheet, download the template. Plain forms: no JavaScript."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from ..auth import current_organizer_id, login_required
from ..catalog import get_catalog, own
from ..errors import DomainError, message
from ..i18n import current_tag
from ..models import ComposedQuiz
from ..views_common import form_page
from . import service, sheets
from ..exports import download
from .forms import ConfirmForm, ImportForm, QuestionForm, QuizForm

bp = Blueprint("compose", __name__, url_prefix="/compose")
# A spreadsheet and the form around it, or a whole quiz as JSON (50 questions of long Chinese text are
# several hundred kB); every other request keeps the site's MAX_CONTENT_LENGTH.
UPLOAD_MAX = sheets.MAX_BYTES + 16 * 1024
LARGE_BODIES = ("compose.import_sheet", "compose_api.create_quiz")


def allow_a_spreadsheet() -> None:
    if request.endpoint in LARGE_BODIES:
        request.max_content_length = UPLOAD_MAX


@bp.record_once
def _first_of_all(state) -> None:
    """Raise the body limit for the import before anything (CSRF, the Unicode check) reads the body."""
    state.app.before_request_funcs.setdefault(None, []).insert(0, allow_a_spreadsheet)


def my_quiz(number: int) -> ComposedQuiz:
    return service.owned(number, current_organizer_id()) or abort(404)


def problem_text(problem: sheets.RowProblem, in_row: bool = True) -> str:
    text = message("compose", problem.code, **problem.params)
    return message("compose", "in_row", row=problem.row, problem=text) if in_row and problem.row > 1 else text


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def quiz_form(row: ComposedQuiz | None = None) -> QuizForm:
    catalog, tag = get_catalog(), current_tag()
    if row is not None and request.method == "GET":
        form = QuizForm(title=row.title, audience=row.audience, types=row.bank_types, count=row.bank_count,
                        order=row.bank_order)
    else:
        form = QuizForm()
    form.types.choices = [SelectChoice(t.slug, t.name.get(tag)) for t in sorted(catalog.types.values(), key=lambda t: t.rank)]
    return form


@bp.get("/")
@login_required
def index():
    catalog = get_catalog()
    rows = [(row, service.size(row, catalog)) for row in service.quizzes_of(current_organizer_id())]
    return render_template("compose/index.html", rows=rows, form=ConfirmForm())


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = quiz_form()
    if form.validate_on_submit():
        try:
            row = service.create(current_organizer_id(), get_catalog(), form.title.data, form.audience.data,
                                 {"types": form.types.data, "count": form.count.data, "order": form.order.data}, [])
        except DomainError as error:
            form.count.errors = [*form.count.errors, error.message]
        else:
            return redirect(url_for("compose.edit", number=row.id), 303)
    return form_page("compose/quiz.html", form, row=None)


@bp.route("/<int:number>", methods=["GET", "POST"])
@login_required
def edit(number: int):
    row = my_quiz(number)
    form = quiz_form(row)
    if form.validate_on_submit():
        try:
            service.update_settings(row, get_catalog(), form.title.data, form.audience.data, form.types.data,
                                    form.count.data, form.order.data)
        except DomainError as error:
            form.count.errors = [*form.count.errors, error.message]
        else:
            flash(_("Saved."))
            return redirect(url_for("compose.edit", number=row.id), 303)
    questions = zip(row.questions, service.own_questions(row, get_catalog()))
    return form_page("compose/quiz.html", form, row=row, questions=list(questions), confirm=ConfirmForm(),
                     size=service.size(row, get_catalog()))


def question_form(stored: dict | None) -> QuestionForm:
    catalog, tag = get_catalog(), current_tag()
    if stored is not None and request.method == "GET":
        q = own.make_stored({k: v for k, v in stored.items() if k != "id"}, "own:0:q0", catalog.types)
        values = sheets.rows_of([q], tag)[1] if q else [""] * len(sheets.COLUMNS)
        cells = dict(zip(sheets.COLUMNS, values))
        form = QuestionForm(kind=q.kind if q else "single", prompt=cells["prompt"], scene=cells["scene"],
                            answer=cells["answer"], explanation=cells["explanation"], scam_type=cells["scam_type"],
                            **{f"choice_{x.lower()}": cells[x] for x in sheets.LETTERS})
    else:
        form = QuestionForm()
    form.scam_type.choices = [SelectChoice("", _("None, or not sure"))] + [
        SelectChoice(t.slug, t.name.get(tag)) for t in sorted(catalog.types.values(), key=lambda t: t.rank)
    ]
    return form


def stored_from(form: QuestionForm) -> dict | None:
    """The form as a stored own question, in the page's language; None with the problem on the form."""
    values = {"kind": form.kind.data, "prompt": form.prompt.data or "", "scene": form.scene.data or "",
              "answer": form.answer.data or "", "explanation": form.explanation.data or "",
              "scam_type": form.scam_type.data or "",
              **{x: form[f"choice_{x.lower()}"].data or "" for x in sheets.LETTERS}}
    try:
        return sheets.row_question(values, 0, get_catalog(), current_tag())
    except sheets.SheetError as error:
        form.form_errors.extend(capitalised(problem_text(p, in_row=False)) for p in error.problems)
        return None


@bp.route("/<int:number>/questions/new", methods=["GET", "POST"], defaults={"question_id": None})
@bp.route("/<int:number>/questions/<question_id>", methods=["GET", "POST"])
@login_required
def question(number: int, question_id: str | None):
    row = my_quiz(number)
    current = None
    if question_id is not None:
        current = next((q for q in row.questions if q["id"] == question_id), None) or abort(404)
    form = question_form(current)
    if form.validate_on_submit() and (stored := stored_from(form)) is not None:
        try:
            if current is None:
                service.add_questions(row, [stored])
            else:
                stored, dropped = service.edited({k: v for k, v in current.items() if k != "id"}, stored, current_tag())
                service.replace_question(row, question_id, stored)
                if dropped:
                    flash(_("Its other languages were removed: the answer or the choices changed, so they no longer fit."))
        except DomainError as error:
            form.form_errors.append(error.message)
        else:
            flash(_("The question is saved."))
            return redirect(url_for("compose.edit", number=row.id) + "#questions", 303)
    if form.form_errors and request.method == "POST":
        return render_template("compose/question.html", form=form, row=row, question_id=question_id), 400
    return form_page("compose/question.html", form, row=row, question_id=question_id)


@bp.post("/<int:number>/questions/<question_id>/remove")
@login_required
def remove_question(number: int, question_id: str):
    row = my_quiz(number)
    if ConfirmForm().validate_on_submit():
        service.remove_question(row, question_id)
        flash(_("The question is removed."))
    return redirect(url_for("compose.edit", number=row.id) + "#questions", 303)


@bp.post("/<int:number>/copy")
@login_required
def copy(number: int):
    row = my_quiz(number)
    if ConfirmForm().validate_on_submit():
        twin = service.copy(row, _("Copy of %(title)s", title=row.title))
        flash(_("Copied. You are editing the copy."))
        return redirect(url_for("compose.edit", number=twin.id), 303)
    return redirect(url_for("compose.index"), 303)


@bp.route("/<int:number>/delete", methods=["GET", "POST"])
@login_required
def delete(number: int):
    row = my_quiz(number)
    form = ConfirmForm()
    if form.validate_on_submit():
        service.delete(row)
        flash(_("The quiz is deleted. Sessions and events already played with it keep their questions and results."))
        return redirect(url_for("compose.index"), 303)
    return render_template("compose/delete.html", row=row, form=form)


@bp.route("/<int:number>/import", methods=["GET", "POST"])
@login_required
def import_sheet(number: int):
    row = my_quiz(number)
    form = ImportForm(lang=current_tag()) if request.method == "GET" else ImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            stored = sheets.parse(form.file.data.read(sheets.MAX_BYTES + 1), get_catalog(), form.lang.data)
            service.add_questions(row, stored)
        except sheets.SheetError as error:
            problems = [problem_text(p) for p in error.problems]
        except DomainError as error:
            problems = [error.message]
        else:
            flash(_("%(count)s questions imported.", count=len(stored)))
            return redirect(url_for("compose.edit", number=row.id) + "#questions", 303)
    status = 400 if problems or form.errors else 200
    return render_template("compose/import.html", row=row, form=form, problems=problems), status


@bp.get("/template.<kind>")
@login_required
def template(kind: str):
    if kind not in ("csv", "xlsx"):
        abort(404)
    return download(sheets.template_rows(), "fangzha-questions-template", kind, title="questions")


def offer_own_quizzes(form) -> None:
    """Put the organizer's composed quizzes first in a session or event form's `quiz` select."""
    catalog = get_catalog()
    mine = [SelectChoice(own.quiz_id(row.id), _("Mine: %(title)s (%(count)s)", title=row.title, count=service.size(row, catalog)))
            for row in service.quizzes_of(current_organizer_id())]
    form.quiz.choices = [*mine, *form.quiz.choices]


def chosen_quiz(quiz_id):
    """The quiz a session or event form or API call names: a bank, or one of the caller's own."""
    return service.find_quiz(get_catalog(), quiz_id, current_organizer_id())
