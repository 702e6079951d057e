"""Screenshots for the organizers' page (/organizers/): our own pages, as a phone shows them, made small.

    .venv/bin/python scripts/organizer_shots.py [--out webapp/static/img]

Builds the app on a throwaway SQLite database, serves it on loopback, plays a short live quiz with
made-up players through the real pages in Debian's Chromium (Playwright), and writes four PNGs
(organizer-new, -lobby, -phone, -results), each cut to 390×700 CSS pixels and reduced to a small
palette so it weighs a few tens of KB. Run `make compile-translations static` first. Re-run it after
changing those pages and commit the PNGs; webapp/organizers.py names them with their size.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from webapp import create_app  # noqa: E402
from webapp.organizers import SHOTS  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SIZE = {"width": 390, "height": 700}
SITE = "http://fangzha.example"  # what the screenshots show as the site's address
COLOURS = 48  # a palette this small keeps text crisp and the files a few tens of KB


def compress(path: Path) -> int:
    image = Image.open(path).convert("RGB")
    image.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)
    return path.stat().st_size


def serve(app) -> tuple[str, object]:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


def play_the_rest(app, code: str) -> None:
    """The quiz to its end through the services: each player gets a different share of the questions right."""
    from webapp.classroom import live as live_rules
    from webapp.classroom import modes, queries, sessions
    from webapp.models import Phase

    from webapp.extensions import db

    with app.app_context():
        live = sessions.find_session(code)
        while live.phase != Phase.FINISHED:
            if live.phase == Phase.QUESTION:
                question = sessions.current_question(live)
                for n, player in enumerate(queries.players_of(live)):
                    right = (n + live.question_index) % 3 != 2
                    choice = sorted(question.answer) if right else \
                        [next(i for i in range(len(question.choices)) if i not in question.answer)]
                    if question.kind != "multiple":
                        choice = choice[:1]
                    modes.of(live).record_answer(live, player, live.question_index, [str(c) for c in choice])
                db.session.expire_all()
                live = sessions.find_session(code)
            if live.phase != Phase.FINISHED:
                live_rules.advance(live, None)
            db.session.expire_all()
            live = sessions.find_session(code)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "webapp" / "static" / "img"))
    out = Path(parser.parse_args().out)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({
            "TESTING": True, "SECRET_KEY": "screenshots-only", "RATELIMIT_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'shots.db'}",
        })
        with app.app_context():
            from webapp.auth import service

            service.create_organizer("demo-teacher", "demo-password", "李老师", "阳光小学 三年级二班")
        base, server = serve(app)
        try:
            with sync_playwright() as playwright:
                # Our server is also the browser's proxy, so the pages show a plain site name, not 127.0.0.1:port.
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], proxy={"server": base},
                )
                base = SITE
                options = {"viewport": SIZE, "device_scale_factor": 1, "is_mobile": True, "has_touch": True,
                           "locale": "zh-CN"}
                host = browser.new_context(**options).new_page()
                host.goto(base + "/auth/login")
                host.fill("input[name=username]", "demo-teacher")
                host.fill("input[name=password]", "demo-password")
                host.click("form button[type=submit]")
                host.wait_for_load_state()

                def shot(page, name: str) -> None:
                    page.wait_for_load_state("networkidle")
                    page.evaluate("document.querySelector('main').scrollIntoView()")  # the page, not the site's header
                    page.evaluate("document.activeElement && document.activeElement.blur()")
                    path = out / SHOTS[name][0]
                    page.screenshot(path=str(path), full_page=False)
                    print(f"{path.relative_to(ROOT)}: {compress(path)} bytes")

                host.goto(base + "/classroom/new")
                host.fill("input[name=questions]", "5")
                shot(host, "new")
                host.click("form button[type=submit]")
                host.wait_for_load_state()
                code = host.url.rstrip("/").split("/")[-2]

                phones = []
                for nickname in ("小明", "王奶奶", "Lily"):
                    phone = browser.new_context(**options).new_page()
                    phone.goto(f"{base}/join?code={code}")
                    phone.fill("input[name=nickname]", nickname)
                    phone.click("form button[type=submit]")
                    phone.wait_for_load_state()
                    phones.append(phone)
                host.goto(f"{base}/classroom/{code}/host")
                shot(host, "lobby")

                host.locator(".advance-form button[type=submit]").first.click()  # the first question
                host.wait_for_load_state()
                phones[0].goto(f"{base}/play/{code}")
                shot(phones[0], "phone")
                play_the_rest(app, code)
                host.goto(f"{base}/classroom/{code}/results")
                shot(host, "results")
                browser.close()
        finally:
            server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
