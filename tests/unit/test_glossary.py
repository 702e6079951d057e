"""One glossary of product words per language (docs/glossary.yaml): the nav, page titles, outreach
labels and the translations use it; the reader is 您; 110 comes before 96110."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = yaml.safe_load((ROOT / "docs/glossary.yaml").read_text(encoding="utf-8"))
TERMS = GLOSSARY["terms"]
LANGS = ("zh-Hans", "zh-Hant", "en")
NAV = ("ask", "scam_types", "quiz", "join_live_session", "the_law", "host_class_or_event")


def po(locale: str):
    with open(ROOT / f"translations/{locale}/LC_MESSAGES/messages.po", "rb") as f:
        return read_po(f, locale=locale)


def strings(message) -> list[str]:
    return [message.string] if isinstance(message.string, str) else list(message.string)


def title_of(html: str) -> str:
    return re.search(r"<title>(.*?) · ", html, re.S).group(1).strip()


@pytest.mark.parametrize("lang", LANGS)
def test_nav_uses_the_glossary(client, lang):
    html = client.get(f"/?lang={lang}").get_data(as_text=True)
    nav = re.search(r'<nav class="main-nav"[^>]*>(.*?)</nav>', html, re.S).group(1)
    labels = [re.sub(r"<.*?>", "", a).strip() for a in re.findall(r"<a [^>]*>(.*?)</a>", nav)]
    assert labels == [TERMS[key][lang] for key in NAV]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path, key", [("/join", "join_live_session"), ("/scams", "scam_types"),
                                       ("/quiz/", "quiz"), ("/about", "about"), ("/law", "the_law")])
def test_page_titles_use_the_glossary(client, lang, path, key):
    html = client.get(f"{path}?lang={lang}").get_data(as_text=True)
    assert title_of(html) == TERMS[key][lang] or (key == "the_law" and TERMS[key][lang] in html)


@pytest.mark.parametrize("lang", LANGS)
def test_outreach_labels_use_the_glossary(app, lang):
    from webapp.outreach import forms

    with app.test_request_context(f"/?lang={lang}"):
        assert {kind: forms.kind_label(kind) for kind in forms.KINDS} == {
            kind: words[lang] for kind, words in GLOSSARY["event_kinds"].items()}


def test_scam_type_names_are_the_labels_in_quiz_pages(client, catalog):
    """Wherever a page names a type as a label (quiz feedback, review, report), it is the type's name."""
    import html as html_lib

    progress = client.get("/quiz/progress?lang=zh-Hans").get_data(as_text=True)
    assert "我的成绩" in progress
    names = {t.slug: t.name.get("zh-Hans") for t in catalog.types.values()}
    assert names["impersonate-relative"].startswith("冒充亲友求助")
    template = (ROOT / "webapp/templates/quiz/feedback.html").read_text(encoding="utf-8")
    assert "catalog.types[question.slug].name" in template and "explainer.title" not in html_lib.unescape(template)


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hant"])
def test_the_reader_is_nin_in_every_translation(locale):
    informal = [m.id for m in po(locale) if m.id and any("你" in s for s in strings(m))]
    assert informal == []


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hant", "en"])
def test_110_comes_before_96110_in_every_string(locale):
    wrong = []
    for m in po(locale):
        for text in [m.id if isinstance(m.id, str) else m.id[0], *strings(m)]:
            if "96110" in text and re.search(r"(?<!96)110", text):
                if text.index("96110") < re.search(r"(?<!96)110", text).start():
                    wrong.append(text)
    assert wrong == []


def test_the_glossary_terms_are_what_the_translations_say():
    for locale, lang in (("zh_Hans", "zh-Hans"), ("zh_Hant", "zh-Hant")):
        catalog = po(locale)
        for key in NAV + ("about", "host_live_session", "paper_quiz", "answer_key"):
            english = TERMS[key]["en"]
            message = catalog.get(english) or catalog.get(english[0].upper() + english[1:])
            assert message is not None, english
            assert message.string == TERMS[key][lang], (english, message.string)
