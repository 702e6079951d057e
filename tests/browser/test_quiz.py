"""A whole solo quiz played by tapping through it on a phone, as a grandmother would."""

from __future__ import annotations

import re

from tests.browser.helpers import PHONE, assert_no_serious_axe_violations, screenshot

WRONG_AT = {2, 7, 9}  # question numbers (from 0) answered wrongly on purpose


def tap_choices(page, indexes):
    for index in indexes:
        page.locator(f"input[name=choice][value='{index}']").locator("xpath=..").tap()


def test_playing_a_whole_elderly_quiz_at_phone_size(context_factory, live_app):
    app, base = live_app
    quiz = app.extensions["catalog"].quizzes["elderly-basics"]
    page = context_factory().new_page()

    page.goto(base + "/quiz/")
    page.locator(f"a[href*='/quiz/{quiz.id}']").first.tap()
    page.get_by_role("button", name="开始答题").tap()

    earned, wrong_slugs, seen = 0, set(), set()
    for number in range(10):
        page.wait_for_selector(".quiz-form")
        assert "elderly-mode" in page.locator("html").get_attribute("class")
        assert page.locator("progress").get_attribute("value") == str(number)
        assert f"第 {number + 1} 题，共 10 题" in page.locator(".quiz-progress").inner_text()
        question = quiz.question(page.locator("input[name=question]").input_value())
        assert question is not None and question.id not in seen  # no repeats within a run
        seen.add(question.id)
        assert page.locator(".question-prompt").inner_text().strip() == question.prompt.get("zh-Hans").strip()
        if number == 0:
            assert_no_serious_axe_violations(page)
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            for box in (page.locator(".choice").nth(i).bounding_box() for i in range(len(question.choices))):
                assert box["height"] >= 44
            screenshot(page, "quiz-question-elderly")

        if number in WRONG_AT:
            wrong = next(i for i in range(len(question.choices)) if i not in question.answer)
            tap_choices(page, [wrong])
            wrong_slugs.add(question.slug)
        else:
            tap_choices(page, sorted(question.answer))
        page.get_by_role("button", name="确定").tap()

        page.wait_for_selector("#feedback")
        heading = page.locator("#feedback h1").inner_text()
        if number in WRONG_AT:
            assert "不太对" in heading and "+" not in heading
            assert "wrong" in page.locator("#feedback").get_attribute("class").split()
        else:
            assert "答对了" in heading
            assert "right" in page.locator("#feedback").get_attribute("class").split()
            earned += int(re.search(r"\+(\d+)", heading).group(1))
        # The explanation teaches the rule and links to the explainer.
        assert page.locator(".explanation").inner_text().strip().endswith(question.explanation.get("zh-Hans").strip())
        assert page.locator(f"#feedback a[href='/scams/{question.slug}']").count() == 1
        if number == 0:
            screenshot(page, "quiz-feedback-elderly")
        page.locator("a.button.primary.big").tap()

    page.wait_for_selector(".result")
    assert page.get_by_role("heading", level=1).inner_text() == f"10 道题答对了 {10 - len(WRONG_AT)} 道"
    assert int(page.locator(".big-score").inner_text().split()[0]) == earned
    review = {href.split("/scams/")[1] for href in page.locator("section a[href^='/scams/']").evaluate_all("els => els.map(e => e.getAttribute('href'))")}
    assert review == wrong_slugs
    assert_no_serious_axe_violations(page)
    screenshot(page, "quiz-result-elderly")

    # The progress page remembers this run in the browser (a cookie), no account needed.
    page.get_by_role("link", name="我的成绩", exact=True).tap()
    page.wait_for_selector("h1:text('我的成绩')")
    assert f"做完 1 套题 · 总分 {earned}" in page.locator("main").inner_text()
