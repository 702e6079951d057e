"""The chat answer on a 390×844 phone: verdict and actions within about one screen, folds that work
without JavaScript, feedback while waiting, axe clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PHONE, assert_no_serious_axe_violations, screenshot

MESSAGES = {
    "victim": "有个自称警察的人说我涉嫌洗钱，让我把钱转到安全账户",
    "accomplice": "有人在微信上说一个月给我两千，让我把银行卡借给他用",
    "sms": "【顺丰速运】您的快件因地址不详无法派送，请点击 http://sf-kd.top/x 重新填写地址",
}


def before_the_folds(page) -> float:
    """Height in CSS pixels from the top of the answer to its first fold (or its end, with no folds)."""
    return page.evaluate("""() => {
        const bots = document.querySelectorAll('.bubble.bot');
        const bot = bots[bots.length - 1];
        const fold = bot.querySelector('details');
        const top = bot.getBoundingClientRect().top;
        const bottom = fold ? fold.getBoundingClientRect().top : bot.getBoundingClientRect().bottom;
        return bottom - top;
    }""")


def ask(page, message):
    page.fill("#message", message)
    page.get_by_role("button", name="问一问").click()


@pytest.mark.parametrize("javascript", [True, False])
def test_answer_before_the_folds_fits_about_one_phone_screen(context_factory, live_server, javascript):
    page = context_factory(java_script_enabled=javascript).new_page()
    for name, message in MESSAGES.items():
        page.goto(live_server + "/chat?lang=zh-Hans")
        ask(page, message)
        bot = page.locator(".bubble.bot").last
        bot.wait_for()
        assert bot.locator("h2.verdict").is_visible()
        assert bot.locator("ol.actions li").count() <= 3
        height = before_the_folds(page)
        assert height <= 1.2 * PHONE["height"], (name, height)
        bot.evaluate("el => el.scrollIntoView({block: 'start'})")
        screenshot(page, f"chat-answer-{name}-{'js' if javascript else 'nojs'}")
        folds = bot.locator("details")
        assert folds.count() >= 3
        assert not bot.locator("details .law-refs").is_visible()  # folded
        folds.filter(has=page.locator(".law-refs")).locator("summary").click()  # opens with or without JavaScript
        assert bot.locator("details .law-refs").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        screenshot(page, f"chat-answer-{name}-{'js' if javascript else 'nojs'}-law")
    if javascript:
        assert_no_serious_axe_violations(page)
    else:  # axe needs JavaScript: check the very DOM the no-JavaScript page rendered, in a page that runs it
        checker = context_factory().new_page()
        checker.goto(live_server + "/chat?lang=zh-Hans")
        checker.set_content(page.content())
        assert_no_serious_axe_violations(checker)


def test_feedback_empty_waiting_and_too_many_requests(page, live_server):
    page.goto(live_server + "/chat?lang=zh-Hans")
    status = page.locator(".form-status")
    page.get_by_role("button", name="问一问").click()
    assert status.is_visible() and "请写下发生了什么" in status.inner_text()

    release = []

    def slow(route):
        release.append(route)

    page.route("**/chat*", lambda route: slow(route) if route.request.method == "POST" else route.continue_())
    ask(page, MESSAGES["victim"])
    expect(status).to_contain_text("正在分析")
    assert status.is_visible()
    screenshot(page, "chat-waiting")
    release[0].continue_()
    page.locator(".bubble.bot").first.wait_for()
    expect(status).to_be_hidden()

    page.unroute("**/chat*")
    page.route("**/chat*", lambda route: None if route.request.method == "POST" else route.continue_())  # no answer comes
    page.evaluate("document.querySelector('form.chat-form').dataset.timeoutMs = '800'")
    ask(page, "刷单返利")
    expect(status).to_contain_text("网络太慢")
    assert page.locator(".bubble.bot").count() == 1 and page.locator("#message").input_value() == "刷单返利"  # kept to try again

    page.unroute("**/chat*")
    page.route("**/chat*", lambda route: route.fulfill(status=429, body="too many") if route.request.method == "POST" else route.continue_())
    ask(page, "刷单返利")
    expect(status).to_contain_text("一分钟")
    assert page.locator(".bubble.bot").count() == 1  # nothing appended
    assert_no_serious_axe_violations(page)


def test_read_aloud_reads_the_verdict_and_the_actions(page, live_server):
    page.goto(live_server + "/chat?lang=zh-Hans")
    ask(page, MESSAGES["victim"])
    page.locator(".bubble.bot").first.wait_for()
    target = page.locator(".bubble.bot button.read-aloud").get_attribute("data-read")
    text = page.locator(target).inner_text()
    assert "这很像" in text and page.locator(target + " ol.actions").count() == 1
    assert "骗子要受的处罚" not in text  # the folds are not read
