"""The A4 print pages rendered to PDF by Chromium (what a community worker's printer gets): the poster on
one page down to its last line, the paper quiz sheet and the answer key each on exactly the pages they
announce, question numbers whole ("10.", never ".0."), and the paper quiz in print of at least 18 pt."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest

from tests import factories
from tests.browser.helpers import ARTIFACTS, log_in

PRINT_PAGES = ("poster", "sheet", "key")


def text_length(question, tag="zh-Hans") -> int:
    parts = [question.prompt.get(tag), question.explanation.get(tag), *(c.get(tag) for c in question.choices)]
    return sum(len(p) for p in parts) + (len(question.scene.get(tag)) if question.scene else 0)


@pytest.fixture(scope="module")
def printed(live_app, browser):
    """For one event per quiz, drawn as usual, and one per quiz with its ten longest questions (the worst
    case for paper), and in English too: {(event name, page name): (PDF bytes, pages announced)}."""
    from webapp.extensions import db
    from webapp.outreach import service

    app, base = live_app
    events = {}
    with app.app_context():
        organizer = factories.organizer("printer", "correct horse")
        catalog = app.extensions["catalog"]
        for quiz_id in sorted(catalog.quizzes):
            quiz = catalog.quizzes[quiz_id]
            drawn = service.create_event(organizer.id, "community", "阳光社区活动室（二楼）", date(2026, 12, 1), quiz)
            longest = service.create_event(organizer.id, "village", "青山村村委会大院", date(2026, 12, 2), quiz)
            longest.live_session.question_ids = [q.id for q in sorted(quiz.questions, key=text_length)[-10:]]
            db.session.commit()
            events[quiz_id] = drawn.id
            events[quiz_id + "-longest"] = longest.id
            events[quiz_id + "-longest-en"] = longest.id
    context = browser.new_context(locale="zh-CN", viewport={"width": 1000, "height": 1400})
    page = context.new_page()
    log_in(page, base, "printer", "correct horse")
    out = {}
    ARTIFACTS.mkdir(exist_ok=True)
    for name, event_id in events.items():
        lang = "en" if name.endswith("-en") else "zh-Hans"
        for kind in PRINT_PAGES:
            page.goto(f"{base}/outreach/events/{event_id}/{kind}?lang={lang}")
            announced = max(1, page.locator(".print-sheet").count())
            pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
            (ARTIFACTS / f"print-{name}-{kind}.pdf").write_bytes(pdf)
            out[(name, kind)] = (pdf, announced)
    context.close()
    return out


def pdf_pages(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def test_the_poster_is_one_page_ending_with_the_hotline(printed):
    for (name, kind), (pdf, _announced) in printed.items():
        if kind == "poster":
            pages = pdf_pages(pdf)
            assert len(pages) == 1, name
            lines = [line.strip() for line in pages[0].splitlines() if line.strip()]
            assert "96110" in lines[-1], (name, lines[-3:])
            assert "110" in pages[0].replace("96110", "")


@pytest.mark.parametrize("kind", ["sheet", "key"])
def test_sheet_and_key_print_on_exactly_the_pages_they_announce(printed, kind):
    for (name, k), (pdf, announced) in printed.items():
        if k != kind:
            continue
        pages = pdf_pages(pdf)
        assert len(pages) == announced, name
        # The key stays short; at 18 pt a usual draw of ten questions takes a few pages (the longest ten more).
        assert announced <= (4 if kind == "key" else 10 if "longest" in name else 6), name
        # Every number is whole and on its page; the questions run 1 to 10 in order across the pages.
        numbers = [int(n) for text in pages for n in re.findall(r"(?m)^\s*(\d{1,2})\.", text)]
        assert numbers == list(range(1, 11)), (name, numbers)
        if announced > 1:
            for number, text in enumerate(pages, start=1):
                assert re.search(rf"{number}\D+{announced}", text.splitlines()[-1] if text else ""), (name, number)


def test_the_paper_quiz_prints_at_least_18_points(live_app, browser, printed):
    app, base = live_app
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    log_in(page, base, "printer", "correct horse")
    page.emulate_media(media="print")
    page.goto(base + "/outreach/")
    href = page.locator("a[href*='/outreach/events/']").first.get_attribute("href")
    event_path = re.match(r"(/outreach/events/\d+)", href).group(1)
    page.goto(base + event_path + "/sheet")
    smallest = page.evaluate("""() => Math.min(...[...document.querySelectorAll('.sheet *')]
        .filter(e => e.getClientRects().length && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
        .map(e => parseFloat(getComputedStyle(e).fontSize)))""")
    assert smallest >= 24  # px: 18 pt
    # The numbers sit inside the page, not cut off at its left edge.
    lefts = page.evaluate("[...document.querySelectorAll('.qnum')].map(e => e.getBoundingClientRect().left)")
    assert len(lefts) == 10 and min(lefts) >= 0
    context.close()
