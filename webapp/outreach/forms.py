"""Outreach forms (FlaskForm: CSRF-protected). The JSON API checks the same values in service.py."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import DateInput

from ..catalog import Question
from ..classroom import codes
from ..errors import message
from .service import AUDIENCE_MAX, LABEL_MAX, PLACE_MAX, parse_date

KINDS = {  # the names of service.KINDS
    "school": _l("In schools"),
    "enterprise": _l("In workplaces"),
    "community": _l("In communities"),
    "village": _l("In villages"),
    "family": _l("In families"),
}


def kind_label(kind: str) -> str:
    return str(KINDS.get(kind, kind))


def iso_date(_form, field) -> None:
    """The browser's date picker sends year-month-day; a typed date must look the same."""
    field.date = parse_date(field.data)
    if field.date is None:
        raise ValidationError(message("outreach", "bad_date"))


class EventForm(FlaskForm):
    kind = RadioField(
        _l("Where is the event?"), validators=[InputRequired(_l("Please choose where the event is."))],
        choices=[SelectChoice(key, label) for key, label in KINDS.items()],
    )
    place = StringField(
        _l("Place"), validators=[DataRequired(_l("Please write the place.")), Length(max=PLACE_MAX)],
        description=_l("For example: Sunshine Community Centre, Room 2"),
        render_kw={"maxlength": PLACE_MAX, "autocomplete": "off"},
    )
    date = StringField(
        _l("Date"), default=lambda: date.today().isoformat(), widget=DateInput(), validators=[iso_date],
        render_kw={"min": "2000-01-01", "max": "2100-12-31"},
    )
    audience = StringField(
        _l("Audience (optional)"), validators=[Optional(), Length(max=AUDIENCE_MAX)],
        description=_l("Who comes? For example: older residents, parents, new employees"),
        render_kw={"maxlength": AUDIENCE_MAX, "autocomplete": "off"},
    )
    quiz = SelectField(_l("Quiz"), validators=[DataRequired()])


SEPARATORS = re.compile(r"[\s,，、;；/]+")
BLANK_KEYS = {"0", "-"}


def parse_typed(raw: str, questions: list[Question]) -> list[bool | None]:
    """What is ticked on a sheet, typed: one group per question, 1–4 for A–D (several digits for several
    ticks), 0 or - for left blank, groups parted by spaces ("2 1 4 0 13 …"). When no question has more
    than one right answer the groups may run together ("21402…"). Marked right or wrong against the key."""
    groups = [g for g in SEPARATORS.split(raw.strip()) if g]
    if len(groups) == 1 and len(groups[0]) == len(questions) and len(questions) > 1:
        groups = list(groups[0])
    if len(groups) != len(questions):
        raise ValidationError(str(_l("Type one group for each of the %(total)s questions (you typed %(count)s).",
                                     total=len(questions), count=len(groups))))
    marks: list[bool | None] = []
    for number, (group, question) in enumerate(zip(groups, questions), start=1):
        if group in BLANK_KEYS:
            marks.append(None)
            continue
        if not group.isdigit() or any(not 1 <= int(d) <= len(question.choices) for d in group):
            raise ValidationError(str(_l("Question %(number)s: type 1 to %(last)s for the ticked answer, or 0 if blank.",
                                         number=number, last=len(question.choices))))
        marks.append(question.is_correct({int(d) - 1 for d in group}))
    return marks


def paper_form(questions: list[Question], formdata=None) -> FlaskForm:
    """A form for one paper sheet: right / wrong / left blank for each question, or the ticks typed in one
    line (`typed`), which then decides and the taps are not needed."""
    total = len(questions)

    class PaperForm(FlaskForm):
        label = StringField(
            _l("Name or sheet number (optional)"), validators=[Optional(), Length(max=LABEL_MAX)],
            render_kw={"maxlength": LABEL_MAX, "autocomplete": "off"},
        )
        typed = StringField(
            _l("Or type what is ticked on the sheet"), validators=[Optional(), Length(max=200)],
            description=_l("1 to 4 for A to D, 0 if left blank, one group per question, then Enter."),
            render_kw={"maxlength": 200, "autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"},
        )

        def validate(self, extra_validators=None):
            if not (self.typed.data or "").strip():
                return super().validate(extra_validators)
            ok = self.label.validate(self) and self.typed.validate(self) and self.csrf_ok()
            if ok:
                try:
                    self.typed_marks = parse_typed(self.typed.data, questions)
                except ValidationError as error:
                    self.typed.errors = [*self.typed.errors, str(error)]
                    ok = False
            return ok

        def csrf_ok(self) -> bool:
            csrf = getattr(self, "csrf_token", None)
            return csrf is None or csrf.validate(self)

    for number in range(1, total + 1):
        setattr(PaperForm, f"q{number}", RadioField(
            _l("Question %(number)s", number=number),
            validators=[InputRequired(_l("Question %(number)s: choose right, wrong or left blank.", number=number))],
            choices=[SelectChoice("right", _l("Right")), SelectChoice("wrong", _l("Wrong")),
                     SelectChoice("blank", _l("Left blank"))],
        ))
    return PaperForm(formdata=formdata) if formdata is not None else PaperForm()


def marks_of(form, total: int) -> list[bool | None]:
    if getattr(form, "typed_marks", None) is not None:
        return form.typed_marks
    return [{"right": True, "wrong": False}.get(form[f"q{n}"].data) for n in range(1, total + 1)]


class KioskForm(FlaskForm):
    nickname = StringField(
        _l("Your name (optional)"), validators=[Optional(), Length(max=60)],
        render_kw={"autocomplete": "off", "maxlength": codes.NICKNAME_MAX},
    )
