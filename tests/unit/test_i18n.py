import pytest

from webapp.i18n import parse, pick_locale, to_tag


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("zh-CN", "zh_Hans"), ("zh", "zh_Hans"), ("zh-Hans", "zh_Hans"), ("zh_Hans_CN", "zh_Hans"),
        ("zh-TW", "zh_Hant"), ("zh-HK", "zh_Hant"), ("zh-Hant", "zh_Hant"), ("zh-hant-tw", "zh_Hant"),
        ("en", "en"), ("en-US", "en"), ("EN-gb", "en"),
        ("fr", None), ("", None), (None, None), ("--", None), ("x" * 200, None), ("<script>", None),
    ],
)
def test_parse(tag, expected):
    assert parse(tag) == expected


def test_explicit_choice_beats_browser():
    assert pick_locale("en", ["zh-CN", "zh"]) == "en"


def test_browser_list_in_order_skipping_unsupported():
    assert pick_locale(None, ["fr-FR", "de", "zh-TW", "en"]) == "zh_Hant"


def test_garbled_falls_back_to_default():
    assert pick_locale("¿¿", ["xx", "!!"]) == "zh_Hans"


def test_tags():
    assert to_tag("zh_Hans") == "zh-Hans"


def test_wtforms_messages_are_read_once_per_locale_and_still_translated(app):
    """Flask-WTF would read WTForms' catalogue from disk for every request with a form; the app's request
    class hands it the per-process copy (webapp/i18n.py CachingRequest), in the request's language."""
    from flask import request
    from flask_wtf import FlaskForm
    from wtforms import StringField
    from wtforms.validators import DataRequired

    from webapp.i18n import wtforms_messages

    class Needs(FlaskForm):
        class Meta:
            csrf = False

        name = StringField(validators=[DataRequired()])

    seen = []
    for lang in ("zh-Hans", "zh-Hans", "en"):
        with app.test_request_context(f"/?lang={lang}"):
            seen.append(request.wtforms_translations)
            form = Needs()
            form.validate()
            assert form.name.errors == (["该字段是必填字段。"] if lang == "zh-Hans" else ["This field is required."])
    assert seen[0] is seen[1] is wtforms_messages("zh_Hans") and seen[2] is not seen[0]
