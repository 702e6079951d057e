"""Organizer forms (FlaskForm: CSRF-protected)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..models import DISPLAY_NAME_MAX, ORGANIZATION_MAX
from .service import PASSWORD_MIN, USERNAME_MAX


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=USERNAME_MAX)],
                           render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})


class ProfileForm(FlaskForm):
    """What certificates show: never the login handle."""

    display_name = StringField(
        _l("Your name on certificates"), validators=[Optional(), Length(max=DISPLAY_NAME_MAX)],
        description=_l("For example: Teacher Li. Optional."), render_kw={"autocomplete": "name"},
    )
    organization = StringField(
        _l("School or organization"), validators=[Optional(), Length(max=ORGANIZATION_MAX)],
        description=_l("For example: Sunshine Primary School, Class 3. Optional."),
        render_kw={"autocomplete": "organization"},
    )


class RegisterForm(ProfileForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(min=3, max=USERNAME_MAX)],
                           render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(min=PASSWORD_MIN, max=200)],
        description=_l("At least %(count)s characters.", count=PASSWORD_MIN),
        render_kw={"autocomplete": "new-password"},
    )


class LogoutForm(FlaskForm):
    """No fields: only the CSRF token."""
