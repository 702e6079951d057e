"""A phone with JavaScript answers without loading a new page (classroom.js sends the form with fetch and
shows "Answer sent!" itself); when the network drops that request, the plain form POST goes instead."""

from __future__ import annotations

from tests import factories
from webapp.classroom import live as classroom

WAIT = 15_000


def started_session(app) -> tuple[str, str]:
    with app.app_context():  # the live server is shared by the whole session: a name of our own
        organizer = factories.organizer("answer-teacher", "answer-password")
        live, host_token = classroom.create_session(
            organizer.id, app.extensions["catalog"].quizzes["elderly-basics"], time_limit=60, count=2,
        )
        return live.code, host_token


def joined_phone(context_factory, base: str, code: str, name: str):
    phone = context_factory().new_page()
    phone.goto(f"{base}/join?code={code}&lang=en")
    phone.get_by_label("Your nickname").fill(name)
    phone.get_by_role("button", name="Join").click()
    phone.get_by_role("heading", name="You're in!").wait_for(timeout=WAIT)
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
