"""A phone with JavaScript answers without loading a new page (classroom.js sends the form with fetch and
shows "Answer sent!" itself); when the network drops that request, the plain form POST goes instead."""

from __future__ import annotations

import re

from tests import factories
from tests.browser.helpers import screenshot, started_session

WAIT = 15_000


def joined_phone(context_factory, base: str, code: str, name: str):
    phone = context_factory().new_page()
    phone.goto(f"{base}/join?code={code}&lang=en")
    phone.get_by_label("Your nickname").fill(name)
    phone.get_by_role("button", name="Join").click()
    phone.get_by_role("heading", name="You're in!").wait_for(timeout=WAIT)
    phone.wait_for_load_state("load")  # the play page's own load (its script in): a test counting loads starts after it
    return phone


def tap_first_choice(phone) -> None:
    phone.locator(".answer-button").first.wait_for(timeout=WAIT)
    if phone.locator("input[name=choice]").count():
        phone.locator(".answer-button").first.click()
        phone.get_by_role("button", name="Send my answer").click()
    else:
        phone.locator(".answer-button").first.click()


def test_an_answer_goes_without_a_page_load_and_falls_back_to_the_form(live_app, context_factory):
    app, base = live_app
    code, host_token = started_session(app)
    ann = joined_phone(context_factory, base, code, "Ann")
    bo = joined_phone(context_factory, base, code, "Bo")
    joined_phone(context_factory, base, code, "Cy")  # keeps the question open after Ann and Bo answer
    host = context_factory().request
    assert host.post(f"{base}/api/v1/sessions/{code}/advance", headers={"Authorization": f"Bearer {host_token}"}).ok

    loads = []
    ann.on("load", lambda: loads.append(ann.url))
    ann.locator(".answer-button").first.wait_for(timeout=WAIT)
    ann.wait_for_load_state("load")  # the reload that brought the question has finished
    loads.clear()
    tap_first_choice(ann)
    ann.get_by_role("heading", name="Answer sent!").wait_for(timeout=WAIT)
    assert loads == []  # shown by the page itself
    assert not ann.locator("form.answer-form").is_visible()

    dropped = []

    def drop_the_first(route, request):
        if request.method == "POST" and not dropped:
            dropped.append(request.headers.get("accept"))
            route.abort()
        else:
            route.continue_()

    bo.route("**/answer", drop_the_first)
    tap_first_choice(bo)
    bo.get_by_role("heading", name="Answer sent!").wait_for(timeout=WAIT)
    assert dropped == ["application/json"]  # the fetch was dropped; the plain POST got through
    with app.app_context():
        from webapp.classroom import queries, sessions

        live = sessions.find_session(code)
        assert queries.answer_count(live, 0) == 2


def test_a_phone_plays_to_the_end_without_loading_a_page(live_app, context_factory):
    """After joining, every phase comes with the poll and is drawn in place: the question (answered with
    fetch), the reveal with this player's own feedback and rank, the next question, the final rank."""
    app, base = live_app
    code, host_token = started_session(app, "swap-teacher")
    with app.app_context():
        questions = factories.questions(code)
    host = context_factory().request
    headers = {"Authorization": f"Bearer {host_token}"}
    ann = joined_phone(context_factory, base, code, "Ann")
    bo = joined_phone(context_factory, base, code, "Bo")
    loads = []
    for phone in (ann, bo):
        phone.on("load", lambda phone=phone: loads.append(phone.url))

    for number, question in enumerate(questions):
        assert host.post(f"{base}/api/v1/sessions/{code}/advance", headers=headers).ok
        ann.get_by_text(f"Question {number + 1} of 2").wait_for(timeout=WAIT)
        # drawn in place: a screen reader is taken to the new question's prompt
        assert ann.evaluate("document.activeElement.classList.contains('live-prompt')")
        choices = ann.locator(".answer-button")
        if question.kind == "multiple":
            for index in sorted(question.answer):
                choices.nth(index).click()
            ann.get_by_role("button", name="Send my answer").click()
        else:
            choices.nth(sorted(question.answer)[0]).click()
        ann.get_by_role("heading", name="Answer sent!").wait_for(timeout=WAIT)
        wrong = next(i for i in range(len(question.choices)) if i not in question.answer)
        bo.locator(".answer-button").nth(wrong).click()  # a checkbox for a multiple choice: not sent
        if question.kind == "multiple":
            bo.get_by_role("button", name="Send my answer").click()
        # both have answered: the reveal comes by itself
        ann.get_by_role("heading", name="Right!").wait_for(timeout=WAIT)
        bo.get_by_role("heading", name="Not this time").wait_for(timeout=WAIT)
        assert ann.evaluate("document.activeElement.textContent") == "Right!"  # and to their own feedback
        assert ann.locator(".feedback:visible").count() == 1 and bo.locator(".feedback:visible").count() == 1
        assert re.fullmatch(r"\+\d+ points", ann.locator(".feedback.right .points").inner_text())
        assert ann.locator(".rank-line").inner_text().startswith("You are number 1 with ")
        assert ann.locator(".code-strip").inner_text().startswith("Ann · ")
        if number == 0:
            screenshot(ann, "phone-reveal-swapped")

    assert host.post(f"{base}/api/v1/sessions/{code}/advance", headers=headers).ok
    ann.get_by_role("heading", name="The quiz is over").wait_for(timeout=WAIT)
    assert ann.locator(".final-rank").inner_text().startswith("You finished number 1 with ")
    assert ann.locator(".final-rank").inner_text().endswith("and 2 of 2 right.")
    bo.get_by_role("heading", name="The quiz is over").wait_for(timeout=WAIT)
    assert "0 of 2 right" in bo.locator(".final-rank").inner_text()
    assert loads == []  # not one page loaded after joining


def test_an_answer_that_reached_the_server_after_the_reveal_is_told_too_late(live_app, context_factory):
    """The network held the answer back until the question had closed and the phone had drawn its reveal
    ("Time is up"): the refusal that comes back turns it into "Your answer came too late"."""
    import time

    app, base = live_app
    code, host_token = started_session(app, "late-teacher")
    ann = joined_phone(context_factory, base, code, "Late Ann")
    joined_phone(context_factory, base, code, "Late Bo")
    host = context_factory().request
    assert host.post(f"{base}/api/v1/sessions/{code}/advance", headers={"Authorization": f"Bearer {host_token}"}).ok
    ann.locator(".answer-button").first.wait_for(timeout=WAIT)
    with app.app_context():
        factories.move_deadline(code, -1)  # closed; the phone's next poll brings the reveal

    def hold_back(route, request):
        time.sleep(4)  # the phone polls meanwhile and draws the reveal
        route.continue_()

    ann.route("**/answer", hold_back)
    tap_first_choice(ann)
    ann.get_by_role("heading", name="Your answer came too late").wait_for(timeout=WAIT)
    assert ann.locator(".feedback:visible").count() == 1


def test_a_reveal_drawn_before_the_phones_answer_was_stored_is_asked_for_again(live_app, context_factory):
    """The reveal (every player's own part, drawn once) can be older than an answer that was taken in the
    last instant. A phone whose answer was taken but whose reveal says "no answer" asks the server itself
    again, and shows what was stored."""
    from sqlalchemy import select

    from webapp.extensions import db
    from webapp.models import Answer, Player
    from webapp.types import utcnow

    app, base = live_app
    code, host_token = started_session(app, "stored-late-teacher")
    ann = joined_phone(context_factory, base, code, "Stored Ann")
    other = context_factory().request  # a phone that polls by hand, with its cookie
    token = other.post(f"{base}/api/v1/sessions/{code}/players", data={"nickname": "Other"}).json()["player_token"]
    host = context_factory().request
    headers = {"Authorization": f"Bearer {host_token}"}
    assert host.post(f"{base}/api/v1/sessions/{code}/advance", headers=headers).ok
    ann.locator(".answer-button").first.wait_for(timeout=WAIT)
    with app.app_context():
        question = factories.questions(code)[0]
    # Ann's answer is "taken" by a reply that never reached the server; the row is written after the reveal
    ann.route("**/answer", lambda route, request: route.fulfill(status=200, json={"accepted": True}))
    tap_first_choice(ann)
    ann.get_by_role("heading", name="Answer sent!").wait_for(timeout=WAIT)
    assert host.post(f"{base}/api/v1/sessions/{code}/advance", headers=headers).ok  # the reveal
    drawn = other.get(f"{base}/play/{code}/state", headers={"Cookie": f"fz_player={token}", "Accept-Language": "en"})  # draws everyone's part, in Ann's language
    assert drawn.json()["phase"] == "reveal"
    with app.app_context():
        ann_id = db.session.scalar(select(Player.id).where(Player.nickname == "Stored Ann"))
        db.session.add(Answer(player_id=ann_id, question_index=0, choice=sorted(question.answer), correct=True,
                              points=700, answered_at=utcnow()))
        db.session.commit()
    ann.get_by_role("heading", name="Right!").wait_for(timeout=WAIT)  # after "Time is up", asked again
    assert ann.locator(".feedback.right .points").inner_text() == "+700 points"
