"""Every page in every language through the test client."""

from __future__ import annotations

import gzip
import re

import pytest

from tests.factories import LOCALES

STATIC_PAGES = ["/", "/for/elderly", "/for/students", "/for/rural", "/scams", "/law", "/help"]
TITLES = {
    "/": {"zh-Hans": "首页", "zh-Hant": "首頁", "en": "Home"},
    "/law": {"zh-Hans": "法律规定", "zh-Hant": "法律規定", "en": "The law"},
    "/help": {"zh-Hans": "我被骗了，怎么办？", "zh-Hant": "我被騙了，怎麼辦？", "en": "I was scammed: what now?"},
}


def title_of(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("path", STATIC_PAGES)
def test_page_renders_in_each_language(client, path, locale):
    response = client.get(f"{path}?lang={locale}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<html lang="{locale}">' in html
    assert "96110" in html and 'href="tel:110"' in html  # the hotline strip is on every page
    site = {"zh-Hans": "反诈学堂", "zh-Hant": "反詐學堂", "en": "Fangzha Anti-Fraud School"}[locale]
    assert title_of(html).endswith(site)
    if path in TITLES:
        assert title_of(html).startswith(TITLES[path][locale])


@pytest.mark.parametrize("locale", LOCALES)
def test_every_scam_page(client, catalog, locale):
    for slug in catalog.types:
        response = client.get(f"/scams/{slug}?lang={locale}")
        assert response.status_code == 200, slug
        html = response.get_data(as_text=True)
        explainer = catalog.explainer(slug, locale)
        assert title_of(html).startswith(explainer.title.replace("&", "&amp;").replace('"', "&#34;").replace("'", "&#39;"))
        assert html.count("🚩") == 0  # the flag is drawn by CSS, not repeated in the text
        assert html.count('<ul class="flags"><li>') == 1
        for law_id in explainer.law:
            assert f'/law#{law_id}"' in html
        if explainer.role == "accomplice":
            assert 'class="risk-box"' in html
            assert html.index('class="risk-box"') < html.index('id="case-heading"')  # the risk comes first


def test_scam_page_states_penalties_from_law_yaml(client, catalog):
    html = client.get("/scams/rent-sell-cards?lang=zh-Hans").get_data(as_text=True)
    assert catalog.law["atfl-44"].penalty.zh_Hans in html
    assert "第四十四条" in html


def test_law_page_has_an_anchor_per_reference_grouped_by_law(client, catalog):
    html = client.get("/law?lang=zh-Hans").get_data(as_text=True)
    for ref_id in catalog.law:
        assert f'id="{ref_id}"' in html
    assert html.index("反电信网络诈骗法") < html.index("第二百六十六条")


def test_emergency_page_lists_the_steps(client):
    html = client.get("/help?lang=en").get_data(as_text=True)
    for fact in ("Call 110 now", "stopping and freezing", "freeze or report your own card lost", "Keep the evidence", "National Anti-Fraud Center app", "get your money back"):
        assert fact in html
    html = client.get("/help?lang=zh-Hans").get_data(as_text=True)
    for fact in ("止付", "冻结", "96110", "国家反诈中心", "二次被骗"):
        assert fact in html


@pytest.mark.parametrize("locale", LOCALES)
def test_unknown_slug_is_a_404_page_in_each_language(client, locale):
    response = client.get(f"/scams/no-such-scam?lang={locale}")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert f'<html lang="{locale}">' in html
    assert {"zh-Hans": "页面找不到了", "zh-Hant": "頁面找不到了", "en": "Page not found"}[locale] in html


def test_unknown_audience_is_404(client):
    assert client.get("/for/aliens").status_code == 404


@pytest.mark.parametrize("garbled", ["xx", "<script>", "zz-ZZ", "%00", "e" * 500])
def test_garbled_locale_falls_back_to_default(client, garbled):
    response = client.get("/", query_string={"lang": garbled}, headers={"Accept-Language": "fr"})
    assert response.status_code == 200
    assert '<html lang="zh-Hans">' in response.get_data(as_text=True)
    assert "lang=" not in response.headers.get("Set-Cookie", "")


def test_accept_language_is_used_without_a_choice(client):
    html = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in html
    html = client.get("/", headers={"Accept-Language": "zh-TW"}).get_data(as_text=True)
    assert '<html lang="zh-Hant">' in html


def test_language_choice_is_remembered_in_a_cookie(client):
    response = client.get("/?lang=en", headers={"Accept-Language": "zh-CN"})
    assert "lang=en" in response.headers["Set-Cookie"]
    html = client.get("/law", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert '<html lang="en">' in html


def test_large_text_switch_is_remembered(client):
    response = client.get("/prefs/text?size=large&next=/scams/fake-loan")
    assert response.status_code == 302 and response.headers["Location"] == "/scams/fake-loan"
    assert 'class="large-text' in client.get("/law").get_data(as_text=True)
    client.get("/prefs/text?size=normal&next=/")
    assert 'class="large-text' not in client.get("/law").get_data(as_text=True)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)"])
def test_large_text_switch_never_redirects_off_site(client, target):
    response = client.get("/prefs/text", query_string={"size": "large", "next": target})
    assert response.headers["Location"] == "/"


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_no_asset_from_another_host(client, catalog):
    for path in STATIC_PAGES + [f"/scams/{slug}" for slug in catalog.types]:
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r'(src|href)="(https?:)?//', html), path
        assert "<script>" not in html and " style=" not in html and " onclick=" not in html  # the CSP forbids inline code


def test_html_is_compressed(client):
    response = client.get("/scams/task-rebate", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(response.data)


def test_static_files_have_hashed_names_long_cache_and_gzip(client):
    html = client.get("/").get_data(as_text=True)
    css = re.search(r'href="(/static/css/site-[0-9a-f]{32}\.css)"', html)
    js = re.search(r'src="(/static/js/site-[0-9a-f]{32}\.js)"', html)
    assert css and js, "run `make static` (flask digest compile) first"
    for url, mimetype, marker in ((css.group(1), "text/css", b"font-size"), (js.group(1), "text/javascript", b"function")):
        zipped = client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
        assert zipped.status_code == 200
        assert zipped.headers["Content-Encoding"] == "gzip"
        assert zipped.headers["Content-Type"].startswith(mimetype)
        assert "Accept-Encoding" in zipped.headers["Vary"]
        cache = zipped.headers["Cache-Control"]
        assert "immutable" in cache and int(re.search(r"max-age=(\d+)", cache).group(1)) >= 31_536_000
        plain = client.get(url)  # a client that can't take gzip gets the same file plain
        assert "Content-Encoding" not in plain.headers
        assert gzip.decompress(zipped.data) == plain.data and marker in plain.data
        assert len(zipped.data) < len(plain.data) / 2
        zipped.close()
        plain.close()
