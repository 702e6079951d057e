"""Shared pages are rendered once per process and answered with strong ETags; nothing personal is cached."""

from __future__ import annotations

import gzip

import pytest

from tests import factories

SCAM = "/scams/rent-sell-cards"
GZIP = {"Accept-Encoding": "gzip"}


def test_a_repeat_visit_gets_304_with_the_same_strong_etag(client):
    first = client.get(SCAM, headers=GZIP)
    second = client.get(SCAM, headers=GZIP)
    assert first.status_code == second.status_code == 200
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert second.headers["ETag"] == etag and second.data == first.data
    again = client.get(SCAM, headers={**GZIP, "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    changed = client.get(SCAM, headers={**GZIP, "If-None-Match": '"something-else"'})
    assert changed.status_code == 200 and changed.data == first.data


def test_gzip_and_plain_copies_are_the_same_page(client):
    zipped = client.get(SCAM, headers=GZIP)
    plain = client.get(SCAM)
    assert zipped.headers["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain.headers
    assert gzip.decompress(zipped.data) == plain.data
    assert zipped.headers["ETag"] != plain.headers["ETag"]  # one strong tag per representation
    assert int(zipped.headers["Content-Length"]) == len(zipped.data)
    for response in (zipped, plain):
        assert "Accept-Encoding" in response.headers["Vary"] and "Cookie" in response.headers["Vary"]
        assert "X-Fangzha-Page-Cache" not in response.headers
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_each_locale_and_text_size_is_its_own_page(client, app):
    zh = client.get(SCAM, headers={"Accept-Language": "zh-CN"})
    en = client.get(SCAM, headers={"Accept-Language": "en"})
    hant = client.get(SCAM, headers={"Accept-Language": "zh-TW"})
    assert 'lang="zh-Hans"' in zh.text and 'lang="en"' in en.text and 'lang="zh-Hant"' in hant.text
    other = app.test_client()
    other.set_cookie("lang", "en")
    assert 'lang="en"' in other.get(SCAM, headers={"Accept-Language": "zh-CN"}).text  # the cookie wins
    normal = app.test_client().get(SCAM).data
    large_client = app.test_client()
    large_client.set_cookie("textsize", "large")
    large = large_client.get(SCAM).data
    assert large != normal
    assert app.test_client().get(SCAM).data == normal  # the large page did not replace the normal one


def test_a_language_switch_link_still_sets_the_cookie(client):
    client.get(SCAM)  # cached now
    response = client.get(SCAM + "?lang=en")
    assert 'lang="en"' in response.text
    assert "lang=en" in response.headers.get("Set-Cookie", "")


def test_a_logged_in_organizer_never_gets_the_anonymous_page(client, app):
    anonymous = client.get(SCAM).text  # cached for visitors without a session
    with app.app_context():
        factories.organizer()
    assert client.post("/auth/login", data={"username": "teacher", "password": "pw"}).status_code == 303
    mine = client.get(SCAM).text
    assert "/organizers/dashboard" in mine and "/organizers/dashboard" not in anonymous


def test_pages_with_a_csrf_token_are_never_shared(app):
    first, second = app.test_client(), app.test_client()
    a, b = first.get("/"), second.get("/")
    assert "ETag" not in a.headers and "Set-Cookie" in a.headers and "Set-Cookie" in b.headers
    assert a.headers["Set-Cookie"] != b.headers["Set-Cookie"]


def test_head_and_unknown_pages(client):
    head = client.head(SCAM)
    assert head.status_code == 200 and head.data == b"" and head.headers["ETag"]
    assert client.get("/scams/no-such-scam").status_code == 404
    assert client.get("/scams/no-such-scam").status_code == 404  # errors are not cached as pages


@pytest.mark.parametrize("path", ["/scams", "/for/elderly", "/law", "/help"])
def test_every_shared_page_kind_is_cached(client, path):
    etag = client.get(path).headers["ETag"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304


def test_the_cache_can_be_turned_off(make_app):
    client = make_app(PAGE_CACHE=False).test_client()
    response = client.get(SCAM)
    assert response.status_code == 200 and "ETag" not in response.headers


def home_token(page: str) -> str:
    import re

    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_the_home_page_is_kept_with_a_hole_for_each_visitors_csrf_token(make_app, reached):
    app = make_app(WTF_CSRF_ENABLED=True)
    counted = reached(app)
    visitors = [app.test_client() for _ in range(3)]
    pages = [visitor.get("/", headers=GZIP if i == 2 else {}) for i, visitor in enumerate(visitors)]
    assert len(counted) == 1  # drawn once; the others filled before Flask
    texts = [page.text if i < 2 else gzip.decompress(page.data).decode() for i, page in enumerate(pages)]
    tokens = [home_token(text) for text in texts]
    assert len(set(tokens)) == 3 and len({text.replace(token, "") for text, token in zip(texts, tokens)}) == 1
    for page in pages:
        assert page.headers["Set-Cookie"].startswith("session=")  # each its own new secret
        assert "ETag" not in page.headers and page.headers["Cache-Control"] == "no-cache, private"
        assert "Cookie" in page.headers["Vary"] and "X-Fangzha-Page-Cache" not in page.headers
    assert pages[2].headers["Content-Encoding"] == "gzip" and int(pages[2].headers["Content-Length"]) == len(pages[2].data)

    again = visitors[0].get("/")  # a visitor with a session: a token of the same secret, no new cookie
    assert len(counted) == 1 and "Set-Cookie" not in again.headers
    # every token works for its own visitor's session only
    stolen = visitors[1].post("/chat", data={"message": "有人要租我的银行卡", "csrf_token": tokens[0]})
    assert stolen.status_code == 400
    for visitor, token in zip(visitors, [home_token(again.text), *tokens[1:]]):
        answered = visitor.post("/chat", data={"message": "有人要租我的银行卡", "csrf_token": token})
        assert answered.status_code == 200 and "rent-sell-cards" in answered.text


def test_a_visitor_whose_session_holds_only_a_csrf_secret_gets_the_shared_pages(make_app, reached):
    app = make_app(WTF_CSRF_ENABLED=True)
    anonymous = app.test_client().get(SCAM)
    visitor = app.test_client()
    assert visitor.get("/").headers["Set-Cookie"].startswith("session=")  # the home page gave it a session
    counted = reached(app)
    shared = visitor.get(SCAM)
    assert counted == [] and shared.headers["ETag"] == anonymous.headers["ETag"] and shared.data == anonymous.data
    assert visitor.get(SCAM, headers={"If-None-Match": shared.headers["ETag"]}).status_code == 304 and counted == []

    visitor.set_cookie("session", "not-a-signed-cookie")  # the app reads a bad cookie its own way
    assert visitor.get(SCAM).status_code == 200 and len(counted) == 1


def test_the_cache_mark_never_reaches_a_browser(client, app):
    with app.app_context():
        factories.organizer()
    assert client.post("/auth/login", data={"username": "teacher", "password": "pw"}).status_code == 303
    for path in (SCAM, "/"):
        response = client.get(path)
        assert response.status_code == 200 and "X-Fangzha-Page-Cache" not in response.headers
