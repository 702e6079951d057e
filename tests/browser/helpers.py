"""What browser tests share besides fixtures: the phone viewport, screenshots, the accessibility check, a
live session to play."""

from __future__ import annotations

import os
from pathlib import Path

from tests import factories
from webapp.classroom import live as classroom

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def log_in(page, base: str, username: str, password: str) -> None:
    """Log an organizer in through the real login form."""
    page.goto(base + "/auth/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def assert_no_serious_axe_violations(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not serious, "\n".join(f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: {v['nodes'][0]['target']})" for v in serious)


def started_session(app, username: str = "answer-teacher") -> tuple[str, str]:
    """A two-question live session of 60 s questions in its lobby: (code, host token)."""
    with app.app_context():  # the live server is shared by the whole session: a name of our own
        organizer = factories.organizer(username, "answer-password")
        live, host_token = classroom.create_session(
            organizer.id, app.extensions["catalog"].quizzes["elderly-basics"], time_limit=60, count=2,
        )
        return live.code, host_token
