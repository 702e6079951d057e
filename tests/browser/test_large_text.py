"""Large-text mode at phone size: one root size scales every piece of text by the same ratio, and nothing
spills sideways, not even on a 360 px phone."""

from __future__ import annotations

import pytest

from tests.browser.helpers import screenshot

# Every element that holds text of its own, keyed by its place in the page, with its font size in px.
TEXT_SIZES = """() => {
  const out = {};
  const walk = (el, path) => {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') return;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (own && el.getClientRects().length) out[path] = [parseFloat(style.fontSize), el.tagName + '.' + el.className];
    [...el.children].forEach((child, i) => walk(child, path + '/' + child.tagName + i));
  };
  walk(document.body, 'body');
  return out;
}"""

PAGES = [
    "/",                        # headings, the ask box, cards, footer
    "/scams",                   # scam cards: title and summary
    "/scams/impersonate-relative",  # the explainer: summary, red flags, steps, law
    "/law",
    "/quiz/",
    "/quiz/elderly-basics",     # an older people's quiz: a larger base, still scaled
    "/chat",                    # the chat form and examples
    "/join",                    # a form with inputs and labels
    "/help",
]


def sizes(page, url):
    page.goto(url)
    return page.evaluate(TEXT_SIZES)


@pytest.mark.parametrize("path", PAGES)
def test_large_text_scales_every_text_element_by_one_ratio(context_factory, live_server, path):
    page = context_factory().new_page()
    normal = sizes(page, live_server + path)
    page.context.add_cookies([{"name": "textsize", "value": "large", "url": live_server}])
    large = sizes(page, live_server + path)
    assert "large-text" in page.locator("html").get_attribute("class")

    common = normal.keys() & large.keys()
    assert len(common) >= 10 and len(common) >= 0.9 * len(normal)
    ratios = {key: large[key][0] / normal[key][0] for key in common}
    off = {large[key][1]: round(ratio, 3) for key, ratio in ratios.items() if abs(ratio - 1.25) > 0.01}
    assert off == {}, f"text that does not grow by 1.25 on {path}: {off}"
    # Headings stay above body text.
    h1 = page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
    body = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main p, main li, main label')).fontSize)")
    assert h1 > body
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    if path in ("/", "/scams/impersonate-relative", "/quiz/elderly-basics"):
        screenshot(page, "large-text" + path.replace("/", "-").rstrip("-"))


@pytest.mark.parametrize("path", PAGES + ["/about", "/scams/rent-sell-cards?lang=en", "/chat?lang=en"])
def test_large_text_never_overflows_a_360px_phone(context_factory, live_server, path):
    page = context_factory(viewport={"width": 360, "height": 740}).new_page()
    page.context.add_cookies([{"name": "textsize", "value": "large", "url": live_server}])
    page.goto(live_server + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    wide = page.evaluate("""() => [...document.querySelectorAll('main *, footer *, header *')]
        .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > 360.5)
        .map(e => e.tagName + '.' + e.className)""")
    assert wide == []


def test_large_text_is_remembered_across_pages_without_javascript(context_factory, live_server):
    page = context_factory(java_script_enabled=False).new_page()
    page.goto(live_server + "/")
    before = page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
    page.get_by_role("link", name="大字模式").click()
    page.get_by_role("link", name="防骗小测验").first.click()
    assert "large-text" in page.locator("html").get_attribute("class")
    page.goto(live_server + "/")
    after = page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
    assert after == pytest.approx(before * 1.25, rel=0.01)
    page.get_by_role("link", name="正常字号").click()
    assert "large-text" not in (page.locator("html").get_attribute("class") or "")
