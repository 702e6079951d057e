"""The live-session countdown on a phone: without JavaScript it says when answers close (a clock time),
never a frozen number of seconds; with JavaScript the seconds tick down."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from uuid import uuid4

import pytest

from tests import factories
from tests.browser.helpers import screenshot
from webapp.classroom import sessions

CHINA = timezone(timedelta(hours=8))


@pytest.fixture
def open_question(live_app):
    """A session in its lobby, 60 s per question: (app, base URL, code, the classroom live rules)."""
    from webapp.classroom import live as service

    app, base = live_app
    with app.app_context():
        organizer = factories.organizer(f"countdown-{uuid4().hex[:12]}", "pw")
        code, _token = factories.live_session(organizer.id, time_limit=60, count=2)
    return app, base, code, service


def join(page, base, code):
    page.goto(f"{base}/join?code={code}")
    page.get_by_label("您的昵称").fill("王奶奶")
    page.get_by_role("button", name="加入").click()
    page.wait_for_url(re.compile(r".*/play/\d{6}.*"))


@pytest.mark.parametrize("javascript", [False, True])
def test_countdown_without_javascript_shows_the_deadline(context_factory, open_question, javascript):
    app, base, code, service = open_question
    page = context_factory(java_script_enabled=javascript).new_page()
    join(page, base, code)
    with app.app_context():
        live = service.advance(sessions.get_session(code))
        deadline = live.deadline
    page.goto(page.url)
    page.locator(".countdown").wait_for()
    clock = deadline.astimezone(CHINA).strftime("%H:%M:%S")
    assert page.locator(".countdown-deadline").inner_text() == f"请在 {clock} 前作答"
    assert page.locator(".countdown-deadline").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    if not javascript:
        assert not page.locator(".countdown-number").is_visible()  # no number that would freeze
        screenshot(page, "countdown-no-js")
    else:
        number = page.locator(".countdown-number")
        number.wait_for()
        first = int(number.inner_text())
        assert 50 <= first <= 60
        page.wait_for_timeout(2200)
        assert int(number.inner_text()) < first
        screenshot(page, "countdown-js")


def test_a_reload_of_an_answered_question_counts_from_the_servers_seconds(context_factory, open_question):
    """A reload of an answered question's page is a 304 (the browser shows its copy): the copy's seconds left
    are as old as it is, so classroom.js asks the server right away and counts from its seconds."""
    app, base, code, service = open_question
    other = context_factory(java_script_enabled=False).new_page()  # one who has not answered: no reveal yet
    other.goto(f"{base}/join?code={code}")
    other.get_by_label("您的昵称").fill("李爷爷")
    other.get_by_role("button", name="加入").click()
    page = context_factory().new_page()
    join(page, base, code)
    with app.app_context():
        deadline = service.advance(sessions.get_session(code)).deadline
    page.locator(".answer-button").first.wait_for()
    page.locator(".answer-button").first.click()
    if page.locator("input[name=choice]").count():  # the drawn question takes several answers: a tap only ticks one
        page.get_by_role("button", name="提交答案").click()
    page.locator("[data-answer-sent]").wait_for()
    page.reload()  # drawn afresh: the answered page, with its own date
    page.locator(".countdown-number").wait_for()
    page.wait_for_timeout(4000)
    page.reload()  # answered 304 before Flask (tests/functional/test_classroom_nojs_refresh.py): the browser's copy
    page.wait_for_timeout(800)
    left = (deadline - datetime.now(timezone.utc)).total_seconds()
    assert int(page.locator(".countdown-number").inner_text()) <= left + 1.5
    assert "答案已提交" in page.locator("main").inner_text()
