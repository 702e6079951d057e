"""Classroom forms. HTML forms are FlaskForms (CSRF); the JSON API checks plain values (see api.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from . import codes
from .sessions import DEFAULT_QUESTIONS


def time_limit_choices():
    return [SelectChoice(str(s), _l("%(seconds)s seconds", seconds=s)) for s in codes.TIME_LIMITS] + [
        SelectChoice("0", _l("No time limit (I reveal the answer)"))
    ]


class NewSessionForm(FlaskForm):
    quiz = SelectField(_l("Quiz"), validators=[DataRequired()])
    scoring = RadioField(
        _l("Points"), default="speed",
        choices=[SelectChoice("speed", _l("Speed: right answers earn more the faster they come (at least half)")),
                 SelectChoice("accuracy", _l("Accuracy: every right answer earns the same"))],
    )
    time_limit = SelectField(_l("Time per question"), default="20", choices=time_limit_choices)
    questions = IntegerField(
        _l("Number of questions"), default=DEFAULT_QUESTIONS, validators=[InputRequired(), NumberRange(min=1, max=50)],
        render_kw={"inputmode": "numeric", "min": 1, "max": 50},
    )


CODE_FIELD_MAX, NICKNAME_FIELD_MAX = 12, 60  # what the join form takes (a code with spaces; a nickname to clean)


class JoinForm(FlaskForm):
    code = StringField(
        _l("Session code"), validators=[DataRequired(), Length(max=CODE_FIELD_MAX)],
        render_kw={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9 ]*", "maxlength": 12},
    )
    nickname = StringField(
        _l("Your nickname"), validators=[DataRequired(), Length(max=NICKNAME_FIELD_MAX)],
        description=_l("1 to 20 characters. Everyone in the room will see it."),
        render_kw={"autocomplete": "nickname", "maxlength": 20},
    )


class AnswerForm(FlaskForm):
    question = HiddenField(validators=[DataRequired()])
    # the choices come as one or several `choice` values: read with request.form.getlist


class AdvanceForm(FlaskForm):
    expected = HiddenField()  # "phase:index" as the host screen showed it


class RemovePlayerForm(FlaskForm):
    """Only the CSRF token."""
