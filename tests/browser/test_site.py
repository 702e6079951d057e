"""The site as a person on a phone sees it: 390×844, Chromium, with and without JavaScript."""

from __future__ import annotations

from tests.browser.helpers import assert_no_serious_axe_violations, screenshot


def test_home_language_large_text_and_a_scam_page(page, live_server):
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator(".hotline-strip").is_visible()
    assert_no_serious_axe_violations(page)
    screenshot(page, "home-zh")

    # Nothing overflows sideways on a 390 px phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("link", name="English").click()
    page.wait_for_selector("html[lang=en]")
    assert page.get_by_role("heading", level=1).inner_text() == "Is this a scam? Ask us."

    size_before = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.get_by_role("link", name="Large text").click()
    page.wait_for_selector("html.large-text")
    page.wait_for_load_state("load")
    size_after = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size_after > size_before * 1.15

    page.get_by_role("link", name="Scam types").first.click()
    page.locator(".card a").first.click()
    assert page.url.startswith(live_server + "/scams/")
    # Language and text size are remembered across pages.
    assert page.locator("html").get_attribute("lang") == "en"
    assert "large-text" in page.locator("html").get_attribute("class")
    assert page.get_by_role("heading", name="Red flags").is_visible()
    assert_no_serious_axe_violations(page)
    screenshot(page, "scam-en-large")


def test_tap_targets_are_at_least_44px(page, live_server):
    page.goto(live_server + "/scams/impersonate-relative")
    small = page.evaluate(
        """() => [...document.querySelectorAll('main a.button, header a, .prefs a, .hotline-strip a, button:not([hidden])')]
              .filter(e => e.offsetParent !== null)
              .map(e => [e.textContent.trim(), e.getBoundingClientRect().height])
              .filter(([, h]) => h < 44)"""
    )
    assert small == []


def test_read_aloud_button_shows_only_with_a_voice(page, live_server):
    page.goto(live_server + "/scams/impersonate-relative")
    page.wait_for_timeout(500)
    has_voice = page.evaluate("'speechSynthesis' in window && speechSynthesis.getVoices().some(v => /^zh/i.test(v.lang))")
    assert page.locator("button.read-aloud").is_visible() == has_voice


def test_pages_work_without_javascript(context_factory, live_server):
    page = context_factory(java_script_enabled=False).new_page()
    page.goto(live_server + "/scams/rent-sell-cards?lang=zh-Hans")
    assert page.locator(".risk-box").is_visible()
    assert not page.locator("button.read-aloud").is_visible()  # nothing that needs JS is offered
    page.get_by_role("link", name="大字模式").click()
    assert "large-text" in page.locator("html").get_attribute("class")
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
