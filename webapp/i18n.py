"""Locale selection. Folder names use underscores (zh_Hans); HTML and the API use BCP 47 tags (zh-Hans)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, cached_property

from babel import Locale, support
from flask import Request, g, request
from flask_babel import get_locale
from wtforms.i18n import messages_path

SUPPORTED_LOCALES = ("zh_Hans", "zh_Hant", "en")
DEFAULT_LOCALE = "zh_Hans"
TRADITIONAL_REGIONS = {"TW", "HK", "MO"}
LANGUAGE_COOKIE = "lang"
LOCALE_NAMES = {"zh_Hans": "简体中文", "zh_Hant": "繁體中文", "en": "English"}


def to_tag(locale: str) -> str:
    """zh_Hans -> zh-Hans (for <html lang> and content files)."""
    return locale.replace("_", "-")


def from_tag(tag: str) -> str:
    return tag.replace("-", "_")


def parse(tag: str | None) -> str | None:
    """Map any language tag onto a supported locale, or None when it names none of them."""
    if not tag or len(tag) > 35:
        return None
    parts = [p for p in tag.replace("-", "_").split("_") if p]
    if not parts:
        return None
    lang = parts[0].lower()
    rest = {p.title() if len(p) == 4 else p.upper() for p in parts[1:]}
    if lang == "zh":
        return "zh_Hant" if "Hant" in rest or (rest & TRADITIONAL_REGIONS and "Hans" not in rest) else "zh_Hans"
    if lang == "en":
        return "en"
    return None


def pick_locale(explicit: str | None, accepted: Iterable[str], default: str = DEFAULT_LOCALE) -> str:
    """Pure: the user's explicit choice wins, then the browser's list (best first), then the default."""
    for tag in ([explicit] if explicit else []) + list(accepted):
        locale = parse(tag)
        if locale:
            return locale
    return default


def select_locale() -> str:
    """Flask-Babel's locale selector: ?lang=, then the cookie the switcher sets, then Accept-Language."""
    if "locale" in g:
        return g.locale
    explicit = parse(request.args.get("lang")) or parse(request.cookies.get(LANGUAGE_COOKIE))
    g.locale = pick_locale(explicit, request.accept_languages.values())
    return g.locale


def current_tag() -> str:
    return to_tag(select_locale())


@cache
def wtforms_messages(locale: str) -> support.Translations:
    """WTForms' own messages ("This field is required.") in one locale, read from disk once per process."""
    return support.Translations.load(messages_path(), [Locale.parse(locale)], domain="wtforms")


class CachingRequest(Request):
    """The app's request class. Flask-WTF looks for `request.wtforms_translations` before reading WTForms'
    catalogue from disk, which it would otherwise do on every request with a form (about 1 ms each, measured
    in a profile of the play page): here it comes from the per-process cache, and only when a form asks."""

    @cached_property
    def wtforms_translations(self) -> support.Translations:
        return wtforms_messages(str(get_locale()))
