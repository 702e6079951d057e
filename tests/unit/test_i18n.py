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
