"""Compose forms (FlaskForm: CSRF-protected). service.py and sheets.py check the same values for the API
and the spreadsheets; a form only gathers them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..catalog.model import AUDIENCES
from ..catalog.schema import OWN_LIMITS
from .service import BANK_MAX, TITLE_MAX
from .sheets import LETTERS

AUDIENCE_NAMES = {
    "elderly": _l("Older people"), "students": _l("Students"), "rural": _l("Rural residents"), "general": _l("Everyone"),
}
KIND_NAMES = {
    "single": _l("One right answer"), "multiple": _l("Several right answers"), "truefalse": _l("True or false"),
    "scenario": _l("A scene, then one right answer"),
}


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class QuizForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Please give the quiz a title.")), Length(max=TITLE_MAX)],
        description=_l("For example: Class 3, autumn term"), render_kw={"maxlength": TITLE_MAX, "autocomplete": "off"},
    )
    audience = RadioField(
        _l("Who is it for?"), default="general", validators=[InputRequired()],
        choices=[SelectChoice(a, AUDIENCE_NAMES[a]) for a in AUDIENCES],
    )
    types = CheckboxesField(_l("Scam types from the site's banks"), validate_choice=True)
    count = IntegerField(
        _l("How many questions from the site's banks"), default=5,
        validators=[InputRequired(), NumberRange(min=0, max=BANK_MAX)],
        description=_l("0 to %(max)s. 0: only your own questions.", max=BANK_MAX),
        render_kw={"inputmode": "numeric", "min": 0, "max": BANK_MAX},
    )
    order = RadioField(
        _l("Order"), default="bank", validators=[InputRequired()],
        choices=[SelectChoice("bank", _l("As in the banks, your own questions last")),
                 SelectChoice("shuffled", _l("Shuffled, a new draw for each session"))],
    )


class QuestionForm(FlaskForm):
    kind = RadioField(_l("Kind of question"), default="single", validators=[InputRequired()],
                      choices=[SelectChoice(k, name) for k, name in KIND_NAMES.items()])
    prompt = TextAreaField(
        _l("Question"), validators=[DataRequired(_l("Please write the question.")), Length(max=OWN_LIMITS["prompt"])],
        render_kw={"maxlength": OWN_LIMITS["prompt"], "rows": 3},
    )
    scene = TextAreaField(
        _l("Scene (only for a scene question)"), validators=[Optional(), Length(max=OWN_LIMITS["scene"])],
        description=_l("What happened, in a few sentences: who called, what they said."),
        render_kw={"maxlength": OWN_LIMITS["scene"], "rows": 3},
    )
    answer = StringField(
        _l("Right answer"), validators=[DataRequired(_l("Please give the right answer.")), Length(max=20)],
        description=_l("A letter such as B; several letters such as AC; for true or false: 对 or 错."),
        render_kw={"maxlength": 20, "autocomplete": "off"},
    )
    explanation = TextAreaField(
        _l("Explanation"), validators=[DataRequired(_l("Please explain the right answer.")),
                                       Length(max=OWN_LIMITS["explanation"])],
        description=_l("Shown after the answer: why, and what to do."),
        render_kw={"maxlength": OWN_LIMITS["explanation"], "rows": 3},
    )
    scam_type = SelectField(_l("Scam type (optional)"), validators=[Optional()], validate_choice=True)


for _letter in LETTERS:  # the choices A to F: no choices for true or false
    setattr(QuestionForm, f"choice_{_letter.lower()}", StringField(
        _l("Choice %(letter)s", letter=_letter), validators=[Optional(), Length(max=OWN_LIMITS["choice"])],
        render_kw={"maxlength": OWN_LIMITS["choice"], "autocomplete": "off"},
    ))


class ImportForm(FlaskForm):
    file = FileField(_l("Spreadsheet (CSV or XLSX)"), validators=[FileRequired(_l("Please choose a file."))],
                     render_kw={"accept": ".csv,.xlsx,text/csv"})
    lang = RadioField(_l("Language of the questions"), default="zh-Hans", validators=[InputRequired()],
                      choices=[SelectChoice("zh-Hans", "简体中文"), SelectChoice("zh-Hant", "繁體中文"),
                               SelectChoice("en", "English")])


class ConfirmForm(FlaskForm):
    """Only the CSRF token: copy, delete, remove a question."""
