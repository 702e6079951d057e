"""A phone waiting in a lobby slows its polls down as the hall fills: classroom.js reads the interval the
gate's 304 carries (X-Poll-Ms), since a 304 has no body to bring it."""

from __future__ import annotations

import re
import time
from uuid import uuid4

from tests import factories
from webapp.classroom import codes


def joined(app, code: str, nickname: str) -> None:
    """Another phone joins with the form and loads its lobby (the lobby is drawn at the hall's interval)."""
    phone = app.test_client()
    form = phone.get(f"/join?code={code}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    assert phone.post("/join", data={"code": code, "nickname": nickname, "csrf_token": token}).status_code == 303
    assert phone.get(f"/play/{code}").status_code == 200


def test_the_first_phone_polls_at_the_interval_the_filling_hall_sets(live_app, context_factory, monkeypatch):
    app, base = live_app
    monkeypatch.setattr(codes, "POLL_STEPS", ((1, 1000),))  # one player polls every second, a "hall" of three
    monkeypatch.setattr(codes, "POLL_MAX_MS", 3000)  # every 3 s
    with app.app_context():
        organizer = factories.organizer(f"lobby-{uuid4().hex[:12]}", "pw")
        code, _token = factories.live_session(organizer.id, count=2)
    page = context_factory().new_page()
    polls: list[float] = []
    page.on("request", lambda request: polls.append(time.monotonic()) if request.url.endswith("/state") else None)
    page.goto(f"{base}/join?code={code}")
    page.get_by_label("您的昵称").fill("王奶奶")
    page.get_by_role("button", name="加入").click()
    page.wait_for_url(re.compile(r".*/play/\d{6}$"))
    assert page.locator("[data-live]").get_attribute("data-poll-ms") == "1000"
    page.wait_for_timeout(3500)
    assert len(polls) >= 3  # every second while alone

    joined(app, code, "李爷爷")
    joined(app, code, "张阿姨")
    page.wait_for_timeout(1500)  # the next 304 brings the hall's interval
    polls.clear()
    page.wait_for_timeout(6500)
    assert 1 <= len(polls) <= 3, polls  # every 3 s now, not 6 or 7 times
