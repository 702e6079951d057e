"""A live class quiz in real browsers: one host (a projector-sized window) and three phones, each in
its own browser context, play a short quiz to the end with JavaScript polling the state."""

from __future__ import annotations

import re

import pytest

from tests import factories
from tests.browser.helpers import screenshot

WAIT = 15_000  # ms: polls run every 2 s


@pytest.fixture(scope="module")
def classroom_server(live_app):
    """The shared live server, with an organizer account to log in with."""
    app, _url = live_app
    with app.app_context():
        factories.organizer("teacher", "correct horse")
    return live_app


def assert_main_is_accessible(page) -> None:
    """axe on the game itself (#main): the shared header is checked by test_site.py."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page, context="#main").response["violations"]
    serious = [v for v in violations if v.get("impact") in ("serious", "critical")]
    assert not serious, "\n".join(f"{v['id']}: {v['help']} ({v['nodes'][0]['target']})" for v in serious)


def answer_on_phone(page, question, right: bool) -> None:
    buttons = page.locator(".answer-button")
    buttons.first.wait_for(timeout=WAIT)
    chosen = sorted(question.answer) if right else [next(i for i in range(len(question.choices)) if i not in question.answer)]
    if question.kind == "multiple":
        for index in chosen:
            buttons.nth(index).click()
        page.get_by_role("button", name="Send my answer").click()
    else:
        buttons.nth(chosen[0]).click()


def test_a_host_and_three_phones_play_to_the_end(classroom_server, context_factory):
    app, base = classroom_server
    host = context_factory(viewport={"width": 1280, "height": 800}, is_mobile=False, has_touch=False,
                           device_scale_factor=1).new_page()
    host.goto(base + "/auth/login?lang=en")
    host.get_by_label("Username").fill("teacher")
    host.get_by_label("Password").fill("correct horse")
    host.get_by_role("button", name="Log in").click()
    host.get_by_role("link", name="Host a new live quiz").click()
    host.get_by_label("Quiz").select_option("elderly-basics")
    host.get_by_label("Accuracy: every right answer earns the same").check()
    host.get_by_label("Time per question").select_option("60")
    host.get_by_label("Number of questions").fill("2")
    host.get_by_role("button", name="Create the session").click()
    host.wait_for_url(re.compile(r".*/classroom/\d{6}/host$"))
    code = re.search(r"/classroom/(\d{6})/host", host.url).group(1)
    assert host.locator(".qr").is_visible()
    assert host.evaluate("document.querySelector('.qr').naturalWidth") > 0  # the SVG loaded
    code_size = host.evaluate("parseFloat(getComputedStyle(document.querySelector('.join-code')).fontSize)")
    assert code_size >= 80  # readable from the back of a classroom
    screenshot(host, "classroom-host-lobby")
    assert_main_is_accessible(host)

    with app.app_context():
        questions = factories.questions(code)

    phones = {}
    for name in ("Ann", "Bo", "陈晨"):
        phone = context_factory().new_page()
        phone.goto(f"{base}/join?code={code}&lang=en")
        assert phone.get_by_label("Session code").input_value() == code
        phone.get_by_label("Your nickname").fill(name)
        phone.get_by_role("button", name="Join").click()
        phone.get_by_role("heading", name="You're in!").wait_for(timeout=WAIT)
        phones[name] = phone
    assert phones["Ann"].evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phones["Ann"], "classroom-phone-lobby")

    # The host's lobby fills up by itself (JavaScript polls and reloads).
    host.locator(".lobby-players .nick").nth(2).wait_for(timeout=WAIT)
    assert sorted(host.locator(".lobby-players .nick").all_inner_texts()) == sorted(phones)
    host.get_by_role("button", name="Start the quiz").click()

    for index, question in enumerate(questions):
        host.locator(".countdown-number").wait_for(timeout=WAIT)
        if index == 0:
            phones["Bo"].locator(".answer-button").first.wait_for(timeout=WAIT)
            assert_main_is_accessible(phones["Bo"])
            assert phones["Bo"].evaluate("document.documentElement.scrollWidth") <= 390
            screenshot(phones["Bo"], "classroom-phone-question")
        for name, phone in phones.items():
            answer_on_phone(phone, question, right=(name == "Ann" or (name == "Bo" and index == 0)))
        # Everyone answered: the reveal comes at once, on every screen.
        phones["Ann"].get_by_role("heading", name="Right!").wait_for(timeout=WAIT)
        phones["陈晨"].get_by_role("heading", name="Not this time").wait_for(timeout=WAIT)
        host.locator(".leaderboard").wait_for(timeout=WAIT)
        assert host.locator(".leaderboard li").first.inner_text().startswith("1")
        assert "Ann" in host.locator(".leaderboard li").first.inner_text()
        if index == 0:
            screenshot(host, "classroom-host-reveal")
            screenshot(phones["陈晨"], "classroom-phone-reveal")
            assert_main_is_accessible(host)
        last = index == len(questions) - 1
        host.get_by_role("button", name="Show the final results" if last else "Next question").click()

    host.get_by_role("heading", name="Final results").wait_for(timeout=WAIT)
    assert "Ann" in host.locator(".podium .place-1").inner_text()
    assert "Bo" in host.locator(".podium .place-2").inner_text()
    for phone in phones.values():
        phone.get_by_role("heading", name="The quiz is over").wait_for(timeout=WAIT)
    assert "number 1" in phones["Ann"].locator(".final-rank").inner_text()
    assert "number 3" in phones["陈晨"].locator(".final-rank").inner_text()
    screenshot(phones["Ann"], "classroom-phone-final")

    host.get_by_role("link", name="Results and the questions the class missed").click()
    assert host.locator(".players-table tbody tr").count() == 3
    assert host.locator(".question-result a[href^='/scams/']").count() == 2
