"""webapp/chrome.py: the header and footer are drawn once and reused, and never for the wrong request: each
of their inputs (language, text size, an organizer signed in, the address) gives its own."""

from __future__ import annotations

import re

from tests import factories


def top(html: str) -> str:
    return html[html.index('<a class="skip-link"'):html.index('<main id="main">')]


def test_the_chrome_follows_the_language_the_text_size_the_address_and_the_organizer(app):
    with app.app_context():
        factories.organizer("teacher", "pw")
    client = app.test_client()
    english = top(client.get("/join", headers={"Accept-Language": "en"}).get_data(as_text=True))
    chinese = top(client.get("/join", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True))
    assert "Join a live quiz" in english and "Join a live quiz" not in chinese
    assert re.search(r'class="current"[^>]*lang="en"', english) and re.search(r'class="current"[^>]*lang="zh-Hans"', chinese)

    # the language and text-size links lead back to the page asked for, with its query
    other = top(client.get("/join?code=123456", headers={"Accept-Language": "en"}).get_data(as_text=True))
    assert "/join?code=123456&amp;lang=zh-Hans" in other and "/join?lang=zh-Hans" in english
    assert "next=/join?code%3D123456" in other and "next=/join?code" not in english

    client.set_cookie("textsize", "large")
    large = top(client.get("/join", headers={"Accept-Language": "en"}).get_data(as_text=True))
    assert "Normal text" in large and "Large text" in english and "Normal text" not in english
    client.delete_cookie("textsize")

    assert "My dashboard" not in english
    client.post("/auth/login", data={"username": "teacher", "password": "pw"})
    signed_in = top(client.get("/join", headers={"Accept-Language": "en"}).get_data(as_text=True))
    assert "My dashboard" in signed_in and "Host a class or event" not in signed_in
    anonymous = top(app.test_client().get("/join", headers={"Accept-Language": "en"}).get_data(as_text=True))
    assert anonymous == english  # the same inputs: the same chrome, drawn once
    assert len(app.extensions["chrome"]) >= 5


def test_the_footer_is_in_the_pages_language(app):
    client = app.test_client()
    english = client.get("/join", headers={"Accept-Language": "en"}).get_data(as_text=True)
    chinese = client.get("/join", headers={"Accept-Language": "zh-TW"}).get_data(as_text=True)
    assert "About this site" in english.split('<footer class="site-footer">')[1]
    assert "About this site" not in chinese.split('<footer class="site-footer">')[1]
