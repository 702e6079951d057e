"""A phone without JavaScript, in real Chromium: its <noscript> refresh reloads the play page with the
Last-Modified it was given, the gate answers 304 while the lobby lasts (Flask never sees those reloads),
and the first reload after the host starts shows the question."""

from __future__ import annotations

from flask import request, request_started

from tests.browser.helpers import screenshot, started_session

WAIT = 15_000


def test_a_phone_without_javascript_reloads_an_unchanged_lobby_with_304s(live_app, context_factory):
    app, base = live_app
    code, host_token = started_session(app, "nojs-refresh-teacher")
    phone = context_factory(java_script_enabled=False, locale="en-US").new_page()
    seen: list[int] = []
    phone.on("response", lambda response: seen.append(response.status) if response.url == f"{base}/play/{code}" else None)
    drawn: list[str] = []

    def count(sender, **extra):
        if request.path == f"/play/{code}":
            drawn.append(request.method)

    phone.goto(f"{base}/join?code={code}")
    phone.get_by_label("Your nickname").fill("Grandma Li")
    phone.get_by_role("button", name="Join").click()
    phone.get_by_role("heading", name="You're in!").wait_for(timeout=WAIT)
    request_started.connect(count, app)
    try:
        phone.wait_for_timeout(7500)  # the lobby refreshes every 3 s: two reloads at least
        assert len(seen) >= 3, seen  # the reloads went out ...
        assert drawn == [], drawn  # ... from the gate: the page was drawn once, when the phone joined
        assert phone.get_by_role("heading", name="You're in!").is_visible()

        client = app.test_client()
        started = client.post(f"/api/v1/sessions/{code}/advance", headers={"Authorization": f"Bearer {host_token}"})
        assert started.status_code == 200
        phone.locator(".answer-button").first.wait_for(timeout=WAIT)  # the next reload shows the question
        assert drawn and seen[-1] == 200
        screenshot(phone, "classroom-nojs-question-after-lobby-reloads")
    finally:
        request_started.disconnect(count, app)
