"""The organizers' front door and dashboard on a 390×844 phone: reachable from the home page without
JavaScript, the screenshots load, nothing overflows, axe finds nothing serious."""

from __future__ import annotations

import secrets

from tests.browser.helpers import assert_no_serious_axe_violations, screenshot


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_organizer_page_from_the_home_page_without_javascript(context_factory, live_server):
    page = context_factory(java_script_enabled=False).new_page()
    page.goto(live_server + "/?lang=zh-Hans")
    page.locator("nav.main-nav").get_by_role("link", name="组织课堂/活动").click()
    page.wait_for_load_state()
    assert page.url == live_server + "/organizers/"
    assert page.get_by_role("heading", level=1).inner_text() == "组织课堂/活动"
    assert page.get_by_role("link", name="登录").first.is_visible()
    assert page.get_by_role("link", name="注册组织者账号").first.is_visible()
    shots = page.locator("img.howto-shot")
    assert shots.count() == 4
    for i in range(4):
        shots.nth(i).scroll_into_view_if_needed()
        shots.nth(i).evaluate("img => img.decode()")
        assert shots.nth(i).evaluate("img => img.complete && img.naturalWidth") == 390
        box = shots.nth(i).bounding_box()
        assert 0 < box["width"] <= 390 - 16 and abs(box["height"] / box["width"] - 700 / 390) < 0.02  # no stretching
    no_sideways_scroll(page)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "organizers-door-zh")


def test_the_organizer_page_and_the_dashboard_pass_axe(page, live_server):
    page.goto(live_server + "/organizers/?lang=zh-Hans")
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="注册组织者账号").first.click()
    page.wait_for_load_state()
    name = "t" + secrets.token_hex(4)
    page.locator("input[name=username]").fill(name)
    page.locator("input[name=password]").fill("a long password")
    page.locator("input[name=display_name]").fill("李老师")
    page.locator("input[name=organization]").fill("阳光小学 三年级二班")
    assert_no_serious_axe_violations(page)
    page.locator("form.auth-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/organizers/dashboard")
    assert "李老师 · 阳光小学 三年级二班" in page.locator("p.lead").inner_text()
    assert page.locator("nav.main-nav").get_by_role("link", name="我的组织者主页").is_visible()

    page.get_by_role("link", name="主持新的现场答题").click()
    page.wait_for_load_state()
    page.locator("input[name=questions]").fill("3")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    code = page.url.split("/")[-2]
    page.goto(live_server + "/organizers/dashboard")
    item = page.locator(".sessions-list .dash-item")
    assert item.count() == 1 and code in item.inner_text()
    assert item.get_by_role("link", name="主持界面").get_attribute("href") == f"/classroom/{code}/host"
    no_sideways_scroll(page)
    assert_no_serious_axe_violations(page)
    screenshot(page, "organizers-dashboard-zh")
    page.goto(live_server + "/auth/profile")
    assert_no_serious_axe_violations(page)
