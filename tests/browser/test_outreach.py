"""An outreach event in real browsers: the organizer's projector page (a projector-sized window) counts
the participants and their average score without a reload while a phone and a kiosk tablet, each in
its own browser context, play the event's ten questions at their own pace."""

from __future__ import annotations

import io
import re

import pytest

from tests import factories
from tests.browser.helpers import screenshot

WAIT = 15_000  # ms: the projector polls every 3 s


@pytest.fixture(scope="module")
def outreach_server(live_app):
    app, _url = live_app
    with app.app_context():
        factories.organizer("worker", "correct horse")
    return live_app


def assert_main_is_accessible(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page, context="#main").response["violations"]
    serious = [v for v in violations if v.get("impact") in ("serious", "critical")]
    assert not serious, "\n".join(f"{v['id']}: {v['help']} ({v['nodes'][0]['target']})" for v in serious)


def play_all(page, questions, right: set[int]) -> None:
    """Tap through the ten questions: the right answer on the indexes in `right`, a wrong one elsewhere."""
    for index, question in enumerate(questions):
        page.get_by_text(f"Question {index + 1} of {len(questions)}").wait_for(timeout=WAIT)
        chosen = sorted(question.answer) if index in right else [
            next(i for i in range(len(question.choices)) if i not in question.answer)]
        buttons = page.locator(".answer-button")
        if question.kind == "multiple":
            for choice in chosen:
                buttons.nth(choice).click()
            page.get_by_role("button", name="Send my answer").click()
        else:
            buttons.nth(chosen[0]).click()
        page.get_by_role("heading", name="Right!" if index in right else "Not this time").wait_for(timeout=WAIT)
    page.get_by_role("heading", name="All done. Thank you!").wait_for(timeout=WAIT)


def test_the_projector_counts_people_as_they_finish(outreach_server, context_factory):
    from PIL import Image
    from pyzbar import pyzbar

    from webapp.extensions import db
    from webapp.models import Event
    from webapp.outreach import service

    app, base = outreach_server
    projector = context_factory(viewport={"width": 1366, "height": 768}, is_mobile=False, has_touch=False,
                                device_scale_factor=1).new_page()
    projector.goto(base + "/auth/login?lang=en")
    projector.get_by_label("Username").fill("worker")
    projector.get_by_label("Password").fill("correct horse")
    projector.get_by_role("button", name="Log in").click()
    projector.goto(base + "/outreach/new")
    projector.get_by_label("In communities").check()
    projector.get_by_label("Place", exact=True).fill("Sunshine Community Centre")
    projector.get_by_label("Date", exact=True).fill("2025-03-15")
    projector.get_by_label("Quiz", exact=True).select_option("elderly-basics")
    projector.get_by_role("button", name="Create the event").click()
    projector.wait_for_url(re.compile(r".*/outreach/events/\d+$"))
    event_id = int(projector.url.rsplit("/", 1)[1])
    projector.get_by_role("link", name="Projector screen").click()
    projector.wait_for_url(re.compile(r".*/projector$"))
    with app.app_context():
        event = db.session.get(Event, event_id)
        code, questions = event.live_session.code, service.questions_of(event)

    # The QR code as the browser draws it reads back as the join URL.
    qr = projector.locator(".qr")
    assert qr.is_visible() and projector.evaluate("document.querySelector('.qr').naturalWidth") > 0
    found = pyzbar.decode(Image.open(io.BytesIO(qr.screenshot())))
    assert [f.data.decode() for f in found] == [f"{base}/join?code={code}"]
    assert projector.evaluate("parseFloat(getComputedStyle(document.querySelector('.join-code')).fontSize)") >= 60
    assert projector.locator('[data-count="players"]').inner_text() == "0"
    assert projector.locator('[data-count="average"]').inner_text() == "–"
    assert_main_is_accessible(projector)
    screenshot(projector, "outreach-projector-empty")

    # A phone joins with the code and answers 7 of 10 right.
    phone = context_factory().new_page()
    phone.goto(f"{base}/join?code={code}&lang=en")
    phone.get_by_label("Your nickname").fill("王阿姨")
    phone.get_by_role("button", name="Join").click()
    phone.get_by_text("Question 1 of 10").wait_for(timeout=WAIT)
    assert_main_is_accessible(phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    projector.locator('[data-count="players"]', has_text="1").wait_for(timeout=WAIT)  # no reload
    play_all(phone, questions, right=set(range(7)))
    assert "You got 7 of 10 right." in phone.locator("main").inner_text()
    screenshot(phone, "outreach-phone-done")
    projector.locator('[data-count="finished"]', has_text="1").wait_for(timeout=WAIT)
    projector.locator('[data-count="average"]', has_text="7.0").wait_for(timeout=WAIT)

    # A shared tablet in kiosk mode: one person plays (all right), then it starts afresh for the next.
    tablet = context_factory(viewport={"width": 800, "height": 1280}).new_page()
    tablet.goto(f"{base}/play/{code}/kiosk?lang=en")
    tablet.get_by_role("button", name="Start the quiz").click()
    play_all(tablet, questions, right=set(range(10)))
    projector.locator('[data-count="average"]', has_text="8.5").wait_for(timeout=WAIT)  # (7 + 10) / 2
    assert projector.locator('[data-count="players"]').inner_text() == "2"
    assert projector.locator('[data-count="finished"]').first.inner_text() == "2"
    screenshot(projector, "outreach-projector-two")
    assert not [c for c in tablet.context.cookies() if c["name"] == "fz_player"]  # the last person is forgotten
    tablet.get_by_role("link", name="Next person: start again").click()
    tablet.get_by_role("button", name="Start the quiz").wait_for(timeout=WAIT)
    tablet.get_by_role("button", name="Start the quiz").click()
    tablet.get_by_text("Question 1 of 10").wait_for(timeout=WAIT)  # a new player, from the first question
    projector.locator('[data-count="players"]', has_text="3").wait_for(timeout=WAIT)

    # The poster prints on A4 with the QR code.
    projector.goto(f"{base}/outreach/events/{event_id}/poster")
    projector.emulate_media(media="print")
    assert not projector.locator(".hotline-strip").is_visible() and projector.locator(".poster-qr svg").is_visible()
    pdf_reader_size = projector.pdf(format="A4")
    assert pdf_reader_size.startswith(b"%PDF")
