"""Composing a quiz on a phone (390×844), in a real browser with CSRF on: the settings with the scam types
as checkboxes, one own question, then the quiz offered on the new-session form. Axe finds nothing serious."""

from __future__ import annotations

import pytest

from tests import factories
from tests.browser.helpers import PHONE, assert_no_serious_axe_violations, log_in, screenshot


@pytest.fixture(scope="module")
def compose_server(live_app):
    app, _url = live_app
    with app.app_context():
        factories.organizer("composer", "correct horse")
    return live_app


def test_compose_a_quiz_on_a_phone(compose_server, page):
    app, base = compose_server
    log_in(page, base, "composer", "correct horse")
    page.goto(base + "/compose/new?lang=en")
    assert page.viewport_size == PHONE
    assert_no_serious_axe_violations(page)
    page.locator("input[name=types]").nth(0).scroll_into_view_if_needed()
    screenshot(page, "compose-types-390")
    page.get_by_label("Title").fill("Class 3 <b>autumn</b>")
    page.get_by_label("Students").check()
    boxes = page.locator("input[name=types]")
    assert boxes.count() == 23
    boxes.nth(0).check()
    boxes.nth(2).check()
    page.get_by_label("How many questions from the site's banks").fill("3")
    page.get_by_label("Shuffled, a new draw for each session").check()
    screenshot(page, "compose-new-390")
    # nothing sticks out sideways on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="Create the quiz").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Class 3 <b>autumn</b>"  # shown as typed, not as markup

    page.get_by_role("link", name="Add a question").click()
    page.get_by_label("One right answer", exact=True).check()
    page.get_by_label("Question", exact=True).fill("The class chat 'teacher' asks for a fee. What first?")
    page.get_by_label("Choice A").fill("Pay at once")
    page.get_by_label("Choice B").fill("Call the teacher yourself")
    page.get_by_label("Right answer", exact=True).fill("E")
    page.get_by_label("Explanation", exact=True).fill("Check with the teacher by phone first.")
    page.get_by_role("button", name="Save the question").click()
    page.get_by_role("alert").filter(has_text="Answer 'E' is not one of the choices").wait_for()
    assert_no_serious_axe_violations(page)
    screenshot(page, "compose-question-error-390")
    page.get_by_label("Right answer", exact=True).fill("B")
    page.get_by_role("button", name="Save the question").click()
    page.get_by_text("The question is saved.").wait_for()
    assert "The class chat 'teacher' asks for a fee." in page.locator("#questions + p + ol, ol.own-questions").inner_text()
    assert_no_serious_axe_violations(page)
    screenshot(page, "compose-edit-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    edit, remove = page.get_by_role("link", name="Edit"), page.get_by_role("button", name="Remove")
    assert edit.bounding_box()["y"] == remove.bounding_box()["y"]  # side by side, each a big tap target
    assert min(edit.bounding_box()["height"], remove.bounding_box()["height"]) >= 44

    page.get_by_role("link", name="Host live").first.click()
    page.wait_for_load_state()
    selected = page.locator("select[name=quiz] option:checked").inner_text()
    assert selected.startswith("Mine: Class 3 <b>autumn</b>") and "(4)" in selected


def test_my_quizzes_and_the_import_page_on_a_phone(compose_server, page):
    app, base = compose_server
    log_in(page, base, "composer", "correct horse")
    page.goto(base + "/compose/?lang=en")
    page.get_by_role("link", name="Compose a new quiz").wait_for()
    assert_no_serious_axe_violations(page)
    screenshot(page, "compose-list-390")
    page.goto(base + "/compose/new")
    page.get_by_label("Title").fill("Import test")
    page.get_by_label("How many questions from the site's banks").fill("1")
    page.get_by_role("button", name="Create the quiz").click()
    page.get_by_role("link", name="Import from a spreadsheet").click()
    page.set_input_files("input[type=file]", files=[{
        "name": "q.csv", "mimeType": "text/csv",
        "buffer": "题型 kind,题目 prompt,A,B,答案 answer,解析 explanation\n单选,问,甲,乙,C,因为\n".encode("gbk")}])
    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_text("row 2: answer 'C' is not one of the choices.").wait_for()
    assert_no_serious_axe_violations(page)
    screenshot(page, "compose-import-error-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_projector_marks_the_organizers_question(compose_server, context_factory):
    """An own question on the presentation-mode host screen at 1366×768: the mark is on screen with it."""
    from webapp.catalog import get_catalog
    from webapp.classroom import live as live_rules
    from webapp.compose import service
    from webapp.models import Organizer
    from webapp.extensions import db

    app, base = compose_server
    with app.app_context():
        organizer = db.session.query(Organizer).filter_by(username="composer").one()
        row = service.create(organizer.id, get_catalog(), "Projector test", "general", {"types": [], "count": 0}, [
            {"kind": "single", "prompt": {"en": "Our village case: a 'nephew' calls from a new number. First?"},
             "choices": {"en": ["Send the money", "Call his old number", "Ask his parents", "Wait"]},
             "answer": 1, "explanation": {"en": "Check on a number you already know."}}])
        live, _token = live_rules.create_session(organizer.id, service.to_quiz(row, get_catalog()), "speed", None)
        code = live.code
    host = context_factory(viewport={"width": 1366, "height": 768}, is_mobile=False, has_touch=False,
                           device_scale_factor=1).new_page()
    log_in(host, base, "composer", "correct horse")
    phone = context_factory().new_page()
    phone.goto(base + f"/join?code={code}&lang=en")
    phone.get_by_label("Your nickname").fill("Ann")
    phone.locator("form button[type=submit]").click()
    host.goto(base + f"/classroom/{code}/host?lang=en")
    host.locator("form[action$='/advance'] button[type=submit]").first.click()
    mark = host.locator(".live-prompt .own-mark")
    mark.wait_for()
    assert mark.inner_text() == "Written by the organizer"
    box = mark.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 768 and box["x"] + box["width"] <= 1366
    screenshot(host, "compose-host-own-question-1366")
    phone.reload()
    phone.locator(".own-mark").first.wait_for()
    screenshot(phone, "compose-phone-own-question-390")
