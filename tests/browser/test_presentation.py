"""Presentation mode: the host screen on a projector at 1366×768 and 1920×1080, through a whole 3-question
quiz with two phones, driven from the keyboard (space, →, PageDown). At every phase the controls and the
whole question (prompt, scene, every choice) must be on the screen with nothing to scroll; the questions
are the longest of the bank, so the shrinking is tested where it matters."""

from __future__ import annotations

import pytest

from tests import factories
from tests.browser.helpers import assert_no_serious_axe_violations, log_in, screenshot
from webapp.catalog import get_catalog
from webapp.classroom import live as live_rules
from webapp.classroom import present, sessions
from webapp.extensions import db

WAIT = 15_000
QUIZ = "students-basics"
SIZES = [(1366, 768), (1920, 1080)]


@pytest.fixture(scope="module")
def presenter(live_app):
    app, _url = live_app
    with app.app_context():
        organizer_id = factories.organizer("presenter", "long enough secret").id
    return organizer_id


def longest_questions(count: int, tag: str = "en"):
    """The bank's questions with the most text in `tag`, longest first (scenarios with their scenes)."""
    quiz = get_catalog().quizzes[QUIZ]
    return sorted(quiz.questions, key=lambda q: -present.question_ems(q, tag))[:count]


def new_session(app, organizer_id: int, question_ids: list[str], others: int = 0) -> str:
    """A session of these questions, with `others` players already in (long names, who never answer)."""
    with app.app_context():
        code, _token = factories.live_session(organizer_id, get_catalog().quizzes[QUIZ], "accuracy", 60, len(question_ids))
        live = sessions.get_session(code)
        live.question_ids = list(question_ids)
        db.session.commit()
        for number in range(others):
            sessions.join(live, f"三年级二班的王小明同学{number:02d}号")
    return code


def assert_on_screen(page, *selectors: str) -> None:
    """Nothing to scroll, and every element matching each selector wholly inside the viewport and not
    under the bottom bar (text the stage had to cut off would end below its top)."""
    size = page.evaluate("({w: innerWidth, h: innerHeight, scroll: document.scrollingElement.scrollHeight,"
                         " wide: document.scrollingElement.scrollWidth})")
    assert size["scroll"] <= size["h"] and size["wide"] <= size["w"], size
    stage = page.evaluate("(() => { const s = document.querySelector('.present-stage');"
                          " return {scroll: s.scrollHeight, client: s.clientHeight, sw: s.scrollWidth, cw: s.clientWidth}; })()")
    if not (stage["scroll"] <= stage["client"] and stage["sw"] <= stage["cw"]):
        screenshot(page, "present-failure")  # to see what did not fit
    assert stage["scroll"] <= stage["client"] and stage["sw"] <= stage["cw"], f"the stage overflows: {stage}"
    bar_top = page.locator(".present-controls").bounding_box()["y"]
    for selector in selectors:
        elements = page.locator(selector).all()
        assert elements, f"nothing matches {selector}"
        for element in elements:
            box = element.bounding_box()
            assert box is not None, f"{selector} is not shown"
            assert box["x"] >= 0 and box["y"] >= 0, (selector, box)
            assert box["x"] + box["width"] <= size["w"] + 0.5 and box["y"] + box["height"] <= size["h"] + 0.5, (selector, box, size)
            if not element.evaluate("el => !!el.closest('.present-controls')"):
                assert box["y"] + box["height"] <= bar_top + 0.5, (selector, box, bar_top)


def assert_code_whole(page) -> None:
    """The latecomers' code in the corner is never cut short (only the URL beside it may be)."""
    cut = page.evaluate("(() => { const c = document.querySelector('.corner-code'); return c.scrollWidth > c.clientWidth"
                        " || c.getBoundingClientRect().right > document.querySelector('.corner-join').getBoundingClientRect().right + 0.5; })()")
    assert not cut


def font_px(page, selector: str) -> float:
    return page.evaluate(f"parseFloat(getComputedStyle(document.querySelector('{selector}')).fontSize)")


QUESTION = (".live-prompt", ".live-choice", ".present-controls .advance-form button", ".countdown", ".answer-count")


def answer(phone, question, right: bool) -> None:
    buttons = phone.locator(".answer-button")
    buttons.first.wait_for(timeout=WAIT)
    chosen = sorted(question.answer) if right else [next(i for i in range(len(question.choices)) if i not in question.answer)]
    for index in chosen:
        buttons.nth(index).click()
    if question.kind == "multiple":
        phone.get_by_role("button", name="Send my answer").click()
    buttons.first.wait_for(state="hidden", timeout=WAIT)  # "Answer sent!", or the reveal when it was the last


def wait_phase(host, phase: str, index: int | None = None) -> None:
    selector = f".present.phase-{phase}" + (f"[data-index='{index}']" if index is not None else "")
    host.locator(selector).wait_for(timeout=WAIT)
    host.wait_for_load_state("load")


@pytest.mark.parametrize("width,height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_presentation_mode_fits_every_phase(live_app, presenter, context_factory, width, height):
    app, base = live_app
    with app.app_context():
        chosen = longest_questions(3)
        code = new_session(app, presenter, [q.id for q in chosen], others=28)  # a class of 30
        questions = factories.questions(code)
    name = f"present-{width}x{height}"
    host = context_factory(viewport={"width": width, "height": height}, is_mobile=False, has_touch=False,
                           device_scale_factor=1, locale="en-US").new_page()
    errors = []
    host.on("pageerror", lambda error: errors.append(str(error)))
    log_in(host, base, "presenter", "long enough secret")
    host.goto(f"{base}/classroom/{code}/host?lang=en")

    # The site's chrome is gone; one 96110 line stays.
    for chrome in (".site-header", ".hotline-strip", ".prefs", ".site-footer"):
        assert not host.locator(chrome).is_visible()
    assert "96110" in host.locator(".present-hotline").inner_text()

    phones = []
    for nickname in ("Ann", "Bo"):
        phone = context_factory(locale="en-US").new_page()
        phone.goto(f"{base}/join?code={code}&lang=en")
        phone.get_by_label("Your nickname").fill(nickname)
        phone.get_by_role("button", name="Join").click()
        phone.get_by_role("heading", name="You're in!").wait_for(timeout=WAIT)
        phones.append(phone)
    ann, bo = phones
    host.locator(".player-count").filter(has_text="30").wait_for(timeout=WAIT)
    assert host.locator(".lobby-players .nick").first.inner_text() == "Bo"  # the newest first
    assert host.locator(".lobby-players li").count() == 16
    assert host.locator(".more-line").inner_text() == "+14 more"
    assert_on_screen(host, ".qr", ".join-code", ".join-url", ".lobby-players li", ".more-line", ".present-controls button")
    assert font_px(host, ".join-code") >= 80
    screenshot(host, f"{name}-lobby")
    assert_no_serious_axe_violations(host)

    # The beep is off until the host turns it on; the choice is remembered in this browser.
    sound = host.locator("[data-sound-toggle]")
    assert sound.is_visible() and sound.get_attribute("aria-pressed") == "false"
    if width == 1366:
        sound.click()
        assert sound.get_attribute("aria-pressed") == "true"
        host.reload()
        assert host.locator("[data-sound-toggle]").get_attribute("aria-pressed") == "true"
        assert host.evaluate("localStorage.getItem('fangzha.sound')") == "on"

    # Space starts the quiz.
    assert errors == []
    host.keyboard.press("Space")
    wait_phase(host, "question", 0)
    q = questions[0]
    assert q.scene is not None  # the longest questions are scenarios: their scene must fit too
    assert_on_screen(host, *QUESTION, ".scene", ".corner-join .qr-corner", ".corner-code", ".present-exit", ".present-end")
    assert_code_whole(host)
    assert host.locator(".live-choice").count() == len(q.choices)
    if width == 1366:
        assert font_px(host, ".live-prompt") >= 40  # readable from the back row
    shapes = host.locator(".live-choice .choice-mark").all_inner_texts()
    assert [s.replace("\n", "") for s in shapes] == ["▲A", "◆B", "●C", "■D"][: len(q.choices)]
    screenshot(host, f"{name}-question")
    assert_no_serious_axe_violations(host)

    # Ann answers; → reveals before Bo does.
    answer(ann, q, right=True)
    host.locator("[data-answer-count]").filter(has_text="1").wait_for(timeout=WAIT)
    host.keyboard.press("ArrowRight")
    wait_phase(host, "reveal", 0)
    assert_on_screen(host, ".live-prompt", ".live-choice", ".leaderboard li", ".more-line", ".present-controls button",
                     ".corner-code", ".present-exit")  # latecomers still find the code
    assert_code_whole(host)
    assert host.locator(".leaderboard li").first.inner_text().startswith("1")
    assert host.locator(".leaderboard li").nth(1).inner_text().startswith("2")  # the 29 on 0 points share 2nd
    assert host.locator(".leaderboard li").nth(6).inner_text().startswith("2")
    screenshot(host, f"{name}-reveal")
    ann.get_by_role("heading", name="Right!").wait_for(timeout=WAIT)
    right_marks = ann.locator(".right-mark .choice-letter").all_inner_texts()
    assert right_marks == ["ABCD"[i] for i in sorted(q.answer)]  # the phone names the projector's letter
    if width == 1366:
        screenshot(ann, "present-phone-reveal")
    assert_no_serious_axe_violations(host)

    # Space: the next question, and the reveal; PageDown (what a clicker sends) goes on.
    host.keyboard.press("Space")
    wait_phase(host, "question", 1)
    assert_on_screen(host, *QUESTION)
    answer(ann, questions[1], right=False)
    answer(bo, questions[1], right=True)
    host.locator("[data-answer-count]").filter(has_text="2").wait_for(timeout=WAIT)
    host.keyboard.press("Space")
    wait_phase(host, "reveal", 1)
    assert_on_screen(host, ".live-prompt", ".live-choice", ".leaderboard li", ".present-controls button")
    host.keyboard.press("PageDown")
    wait_phase(host, "question", 2)
    assert_on_screen(host, *QUESTION)
    if width == 1366:
        # the same question in Chinese fits too
        host.goto(f"{base}/classroom/{code}/host?lang=zh-Hans")
        assert_on_screen(host, *QUESTION)
        screenshot(host, f"{name}-question-zh")
        host.goto(f"{base}/classroom/{code}/host?lang=en")
    answer(ann, questions[2], right=True)
    answer(bo, questions[2], right=True)
    host.locator("[data-answer-count]").filter(has_text="2").wait_for(timeout=WAIT)
    host.keyboard.press("PageDown")
    wait_phase(host, "reveal", 2)
    screenshot(host, f"{name}-reveal-last")
    assert_on_screen(host, ".live-prompt", ".live-choice", ".leaderboard li", ".present-controls button")
    host.keyboard.press("ArrowRight")

    # The end: Ann and Bo have the same points and right answers, so they share first place, equally high;
    # the 28 on 0 points share 3rd, off the podium.
    wait_phase(host, "finished")
    assert_on_screen(host, ".podium-place", ".leaderboard li", ".more-line", ".result-links a")
    assert host.locator(".leaderboard li").first.inner_text().startswith("3")
    places = host.locator(".podium-place")
    assert places.count() == 2
    assert host.locator(".podium .place-1").count() == 2
    heights = [box["height"] for box in (s.bounding_box() for s in host.locator(".podium-step").all())]
    assert heights[0] == heights[1]
    screenshot(host, f"{name}-final")
    assert errors == []
    assert_no_serious_axe_violations(host)
    for phone in phones:
        phone.get_by_role("heading", name="The quiz is over").wait_for(timeout=WAIT)
        assert "number 1 " in phone.locator(".final-rank").inner_text()


def test_phones_show_the_shapes_and_letters_of_the_choices(live_app, presenter, context_factory):
    app, base = live_app
    with app.app_context():
        code = new_session(app, presenter, [q.id for q in longest_questions(1)])
    phone = context_factory(locale="en-US").new_page()
    phone.goto(f"{base}/join?code={code}&lang=en")
    phone.get_by_label("Your nickname").fill("Chen")
    phone.get_by_role("button", name="Join").click()
    phone.get_by_role("heading", name="You're in!").wait_for(timeout=WAIT)
    with app.app_context():
        live_rules.advance(sessions.get_session(code))  # the host starts (its screen is tested above)
    phone.locator(".answer-button").first.wait_for(timeout=WAIT)
    marks = [m.replace("\n", "") for m in phone.locator(".answer-button .choice-mark").all_inner_texts()]
    assert marks == ["▲A", "◆B", "●C", "■D"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.locator(".answer-choices").scroll_into_view_if_needed()
    screenshot(phone, "present-phone-question")
    assert_no_serious_axe_violations(phone)


def test_a_long_name_never_makes_a_lower_place_taller(live_app, presenter, context_factory):
    """Places 1, 2, 3 with a 20-character name in third: the steps keep their rank's height."""
    app, base = live_app
    with app.app_context():
        qs = longest_questions(3)
        code = new_session(app, presenter, [q.id for q in qs])
        live = sessions.get_session(code)
        players = [sessions.join(live, name)[0] for name in ("Ann", "Bo", "一二三四五六七八九十一二三四五六七八九十")]
        live_rules.advance(live)
        for index, question in enumerate(qs):
            for rank, player in enumerate(players):
                right = index < 3 - rank  # Ann 3 right, Bo 2, the long name 1
                choice = sorted(question.answer) if right else [next(i for i in range(4) if i not in question.answer)]
                live_rules.record_answer(live, player, index, [str(c) for c in choice])
            if live.phase == "question":
                live_rules.advance(live)
            live_rules.advance(live)
        assert live.phase == "finished"
    host = context_factory(viewport={"width": 1366, "height": 768}, is_mobile=False, has_touch=False,
                           device_scale_factor=1, locale="en-US").new_page()
    log_in(host, base, "presenter", "long enough secret")
    host.goto(f"{base}/classroom/{code}/host?lang=en")
    steps = {rank: host.locator(f".podium .place-{rank} .podium-step").bounding_box()["height"] for rank in (1, 2, 3)}
    assert steps[1] > steps[2] > steps[3], steps
    assert_on_screen(host, ".podium-place", ".result-links a")
    screenshot(host, "present-1366x768-podium")


@pytest.mark.parametrize("width,height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_outreach_projector_fits_one_screen(live_app, presenter, context_factory, width, height):
    from webapp.outreach import service

    app, base = live_app
    with app.app_context():
        event = service.create_event(presenter, "community", "阳光社区文化活动中心三楼多功能厅", "2026-03-15",
                                     get_catalog().quizzes["elderly-basics"])
        event_id = event.id
    projector = context_factory(viewport={"width": width, "height": height}, is_mobile=False, has_touch=False,
                                device_scale_factor=1, locale="en-US").new_page()
    log_in(projector, base, "presenter", "long enough secret")
    projector.goto(f"{base}/outreach/events/{event_id}/projector?lang=en")
    for chrome in (".site-header", ".hotline-strip", ".prefs", ".site-footer"):
        assert not projector.locator(chrome).is_visible()
    assert_on_screen(projector, ".projector-title", ".qr", ".join-code", ".projector-number", ".present-hotline")
    assert font_px(projector, ".join-code") >= 60
    screenshot(projector, f"present-{width}x{height}-projector")
    assert_no_serious_axe_violations(projector)


def test_the_host_screen_works_without_javascript(live_app, presenter, context_factory):
    """The controls are plain POST forms (with their CSRF token): start and reveal work with JavaScript
    off, and the question still fits (the server's fit class sizes the text); no sound button appears."""
    app, base = live_app
    with app.app_context():
        code = new_session(app, presenter, [q.id for q in longest_questions(2)], others=2)
    host = context_factory(viewport={"width": 1366, "height": 768}, is_mobile=False, has_touch=False,
                           device_scale_factor=1, locale="en-US", java_script_enabled=False).new_page()
    log_in(host, base, "presenter", "long enough secret")
    host.goto(f"{base}/classroom/{code}/host?lang=en")
    assert not host.locator("[data-sound-toggle]").is_visible()
    host.get_by_role("button", name="Start the quiz").click()
    wait_phase(host, "question", 0)
    assert_on_screen(host, ".live-prompt", ".scene", ".live-choice", ".countdown-deadline", ".answer-count",
                     ".present-controls button")
    assert font_px(host, ".live-prompt") >= 40
    screenshot(host, "present-1366x768-question-nojs")
    host.get_by_role("button", name="Show the answer").click()
    wait_phase(host, "reveal", 0)
    assert host.get_by_role("button", name="Next question").is_visible()
