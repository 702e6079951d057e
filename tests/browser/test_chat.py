"""/chat at phone size, with and without JavaScript."""

from __future__ import annotations

from tests.browser.helpers import assert_no_serious_axe_violations, screenshot


def test_chat_with_javascript_is_a_conversation_on_one_page(page, live_server):
    page.goto(live_server + "/chat?lang=zh-Hans")
    url = page.url
    page.fill("#message", "有人在微信上说一个月给我两千块，让我把银行卡借给他用")
    page.get_by_role("button", name="问一问").click()
    first = page.locator(".exchange").nth(0)
    first.wait_for()
    assert page.url == url  # no page load: the answer came in place
    assert "出租" in first.locator(".bubble.bot h2").first.inner_text()
    assert first.locator(".bubble.user mark").count() >= 1  # the words that matched are highlighted
    assert page.locator("#message").input_value() == ""

    page.locator("button.example").nth(2).click()  # tap an example
    page.locator(".exchange").nth(1).wait_for()
    assert page.locator(".exchange").count() == 2
    assert "96110" in page.locator(".exchange").nth(1).inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_no_serious_axe_violations(page)
    screenshot(page, "chat-js")


def test_chat_urgent_answer_puts_emergency_steps_first(page, live_server):
    page.goto(live_server + "/chat?lang=en")
    page.fill("#message", "A caller from the 'police' said my account was in a money laundering case and I already transferred 30000 yuan to his safe account")
    page.get_by_role("button", name="Ask", exact=True).click()
    bot = page.locator(".bubble.bot").first
    bot.wait_for()
    sections = bot.locator("section")
    assert "urgent" in sections.first.get_attribute("class")
    assert "110" in sections.first.inner_text()


def test_chat_without_javascript_posts_the_form(context_factory, live_server):
    page = context_factory(java_script_enabled=False).new_page()
    page.goto(live_server + "/chat?lang=zh-Hans")
    page.fill("#message", "有人让我出租微信号，还要帮他接收验证码")
    page.get_by_role("button", name="问一问").click()
    page.wait_for_load_state()
    assert page.locator(".bubble.bot").is_visible()
    assert page.locator(".bubble.bot a[href^='/scams/']").count() >= 1
    screenshot(page, "chat-nojs")
