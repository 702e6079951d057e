"""A quiz never strands an older player on a phone: nothing ticked, the back button, and what the feedback says."""

from __future__ import annotations

import secrets

from tests.browser.helpers import PHONE, screenshot


def run_url(app, base, quiz, question_ids):
    from webapp.quiz import service

    with app.test_request_context():
        token = service.encode(service.Run(secrets.token_hex(12), quiz.id, tuple(question_ids)))
    return f"{base}/quiz/play?s={token}"


def test_nothing_ticked_on_a_multiple_choice_question_stays_on_it(context_factory, live_app):
    app, base = live_app
    quiz = app.extensions["catalog"].quizzes["elderly-basics"]
    multiple = next(q for q in quiz.questions if q.kind == "multiple")
    page = context_factory().new_page()
    page.goto(run_url(app, base, quiz, [multiple.id, quiz.questions[0].id]))
    page.get_by_role("button", name="确定").tap()
    # The same question, the message beside it in the right words, and no way lost.
    alert = page.get_by_role("alert")
    assert "请至少勾选一个答案" in alert.inner_text()
    assert page.locator("input[name=question]").input_value() == multiple.id
    assert page.locator("input[name=choice]").count() == len(multiple.choices)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "quiz-nothing-ticked")
    for index in sorted(multiple.answer):
        page.locator(f"input[name=choice][value='{index}']").locator("xpath=..").tap()
    page.get_by_role("button", name="确定").tap()
    page.wait_for_selector("#feedback.right")


def test_back_then_answer_again_carries_on_where_the_run_is(context_factory, live_app):
    app, base = live_app
    quiz = app.extensions["catalog"].quizzes["elderly-basics"]
    first, second = [q for q in quiz.questions if q.kind == "single"][:2]
    page = context_factory().new_page()
    page.goto(run_url(app, base, quiz, [first.id, second.id]))
    wrong = next(i for i in range(len(first.choices)) if i not in first.answer)
    page.locator(f"input[name=choice][value='{wrong}']").locator("xpath=..").tap()
    page.get_by_role("button", name="确定").tap()
    page.wait_for_selector("#feedback.wrong")

    # The feedback repeats the choice and the right answer, and the rule is as large as the question was.
    said = page.locator(".your-choice").inner_text()
    right = first.choices[sorted(first.answer)[0]].get("zh-Hans")
    assert said == f"您选了“{first.choices[wrong].get('zh-Hans')}”，正确答案是“{right}”。"
    rule = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.explanation')).fontSize)")
    screenshot(page, "quiz-feedback-wrong")

    page.go_back()
    page.wait_for_selector(".quiz-form")
    prompt = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.question-prompt')).fontSize)")
    body = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert rule >= prompt and rule > body
    # Answered again, rightly this time: the first answer stands, and the player is on question 2.
    page.locator(f"input[name=choice][value='{sorted(first.answer)[0]}']").locator("xpath=..").tap()
    page.get_by_role("button", name="确定").tap()
    page.wait_for_selector("#run-note")
    assert "按第一次的答案算" in page.locator("#run-note").inner_text()
    assert page.locator("input[name=question]").input_value() == second.id
    assert "第 2 题，共 2 题" in page.locator(".quiz-progress").inner_text()
    screenshot(page, "quiz-back-note")
