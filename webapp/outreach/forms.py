"""Outreach forms (FlaskForm: CSRF-protected). The JSON API checks the same values in service.py."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import DateInput

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


def paper_form(total: int, formdata=None) -> FlaskForm:
    """A form for one paper sheet: right / wrong / left blank for each of the `total` questions."""

    class PaperForm(FlaskForm):
        label = StringField(
            _l("Name or sheet number (optional)"), validators=[Optional(), Length(max=LABEL_MAX)],
            render_kw={"maxlength": LABEL_MAX, "autocomplete": "off"},
        )

    for number in range(1, total + 1):
        setattr(PaperForm, f"q{number}", RadioField(
            _l("Question %(number)s", number=number),
            validators=[InputRequired(_l("Question %(number)s: choose right, wrong or left blank.", number=number))],
            choices=[SelectChoice("right", _l("Right")), SelectChoice("wrong", _l("Wrong")),
                     SelectChoice("blank", _l("Left blank"))],
        ))
    return PaperForm(formdata=formdata) if formdata is not None else PaperForm()


def marks_of(form, total: int) -> list[bool | None]:
    return [{"right": True, "wrong": False}.get(form[f"q{n}"].data) for n in range(1, total + 1)]


class KioskForm(FlaskForm):
    nickname = StringField(
        _l("Your name (optional)"), validators=[Optional(), Length(max=60)],
        render_kw={"autocomplete": "off", "maxlength": codes.NICKNAME_MAX},
    )
