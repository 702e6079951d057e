from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, Optional

from .service import MAX_MESSAGE


class ChatForm(FlaskForm):
    message = TextAreaField(_l("What happened?"), validators=[Optional(), Length(max=MAX_MESSAGE)])
    example = StringField(validators=[Optional(), Length(max=MAX_MESSAGE)])

    def text(self) -> str:
        return ((self.example.data or "") or (self.message.data or "")).strip()
