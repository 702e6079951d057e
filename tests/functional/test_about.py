"""Who runs the site: the operator settings from the environment, in the footer of every page and on
/about in three languages; empty settings show nothing at all."""

from __future__ import annotations

import re

import pytest

from tests.factories import content_dirs
from webapp import config, create_app

OPERATOR_ENV = {
    "SITE_OPERATOR": "阳光街道反诈宣传志愿队",
    "SITE_CONTACT": "fanzha@example.org",
    "ICP_NUMBER": "京ICP备12345678号-1",
    "PSB_FILING_NUMBER": "京公网安备11010502030000号",
}


@pytest.fixture
def operated_app(tmp_path):
    settings = config.from_environment({**OPERATOR_ENV, "SITE_CONTACT": "  fanzha@example.org  "})
    return create_app({
        **content_dirs(), **settings, "TESTING": True, "SECRET_KEY": "test", "RATELIMIT_ENABLED": False,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.db'}",
    })


def footer(html: str) -> str:
    return re.search(r'<footer class="site-footer">(.*?)</footer>', html, re.S).group(1)


def test_settings_come_from_the_environment_trimmed():
    read = config.from_environment({**OPERATOR_ENV, "SITE_CONTACT": "  x@example.org ", "ICP_NUMBER": "   "})
    assert read["SITE_OPERATOR"] == OPERATOR_ENV["SITE_OPERATOR"] and read["SITE_CONTACT"] == "x@example.org"
    assert "ICP_NUMBER" not in read  # blank is not a setting


@pytest.mark.parametrize("path", ["/", "/scams/fake-loan", "/quiz/", "/law", "/about"])
def test_every_footer_names_the_operator_and_filing_numbers(operated_app, path):
    html = footer(operated_app.test_client().get(path).get_data(as_text=True))
    for value in OPERATOR_ENV.values():
        assert value in html
    assert 'href="https://beian.miit.gov.cn/"' in html and 'href="/about"' in html


@pytest.mark.parametrize("lang, words", [
    ("zh-Hans", ["关于本站", "本站由阳光街道反诈宣传志愿队运营", "从不向您要钱", "反电信网络诈骗法"]),
    ("zh-Hant", ["關於本站", "從不向您要錢", "詐騙法"]),
    ("en", ["About this site", "This site is run by 阳光街道反诈宣传志愿队.", "never asks you for money",
            "verification code", "Anti-Telecom"]),
])
def test_about_says_who_runs_it_where_content_comes_from_and_what_it_never_asks(operated_app, lang, words):
    response = operated_app.test_client().get(f"/about?lang={lang}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for word in words:
        assert word in html, word
    assert OPERATOR_ENV["ICP_NUMBER"] in html and OPERATOR_ENV["SITE_CONTACT"] in html
    assert 'href="/law"' in html
    # The legal sources are the laws the /law page lists, by name.
    law = operated_app.test_client().get(f"/law?lang={lang}").get_data(as_text=True)
    sources = re.findall(r'<ul class="plain-list law-sources">(.*?)</ul>', html, re.S)[0]
    names = re.findall(r"<li>(.*?)</li>", sources)
    assert names and all(name in law for name in names)


def test_empty_settings_show_nothing_not_placeholders(client):
    for path in ("/", "/about", "/about?lang=en"):
        html = client.get(path).get_data(as_text=True)
        foot = footer(html)
        assert "beian" not in html and "ICP" not in html
        assert "operator-name" not in html and "operator-contact" not in html and "psb" not in foot
        assert 'href="/about"' in foot
        assert not re.search(r"·\s*·|·\s*</p>", foot)  # no dangling separators
        assert "None" not in foot and "TODO" not in html
