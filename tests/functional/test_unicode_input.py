"""Hostile input: text that is not valid Unicode is a 400 at the door (webapp/security.py), on every JSON endpoint
and every form, never a 500 further in (OpenCC, templates, the database)."""

from __future__ import annotations

JSON_ENDPOINTS = [
    "/api/v1/chat", "/api/v1/sessions", "/api/v1/sessions/123456/players", "/api/v1/sessions/123456/answers",
    "/api/v1/sessions/123456/advance", "/api/v1/events",
]
FORM_ENDPOINTS = [
    "/chat", "/auth/login", "/auth/register", "/auth/logout", "/join", "/classroom/new", "/classroom/123456/advance",
    "/classroom/123456/players/1/remove", "/play/123456/answer", "/play/123456/kiosk", "/outreach/new",
    "/outreach/events/1/paper", "/quiz/answer", "/quiz/elderly-basics/start",
]
BAD_JSON = [
    b'{"message": "\\ud800", "nickname": "\\udfff"}',  # lone surrogates: valid JSON, no characters
    b'{"\\ud800": 1}',
    b'["ok", {"x": ["\\udc00"]}]',
    b'{"message": "\xff\xfe"}',  # bytes that are not UTF-8
    b'{"nickname": "\xed\xa0\x80"}',  # a surrogate encoded as if it were UTF-8
]
BAD_FORMS = [b"message=%FF%FE&nickname=x&code=123456", b"nickname=%ED%A0%80", b"message=\xff"]


def test_json_with_lone_surrogates_or_bad_utf8_is_a_400_everywhere(client):
    for path in JSON_ENDPOINTS:
        for body in BAD_JSON:
            response = client.post(path, data=body, content_type="application/json")
            assert response.status_code == 400, (path, body)
            assert response.get_json()["error"]["code"] == "bad_unicode", (path, body)


def test_forms_with_invalid_utf8_are_a_400_everywhere(client):
    for path in FORM_ENDPOINTS:
        for body in BAD_FORMS:
            response = client.post(path, data=body, content_type="application/x-www-form-urlencoded")
            assert response.status_code == 400, (path, body)
            assert "无法识别的字符" in response.get_data(as_text=True), (path, body)  # the page says why
    response = client.post("/chat", data=b"--b\r\nContent-Disposition: form-data; name=message\r\n\r\n\xff\r\n--b--\r\n",
                           content_type="multipart/form-data; boundary=b")
    assert response.status_code == 400


def test_the_chat_message_that_used_to_fail_in_opencc(client):
    response = client.post("/api/v1/chat", json={"message": "\ud800 我被骗了"})  # Flask's JSON escapes it as \ud800
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_unicode"


def test_query_strings_and_paths_with_invalid_utf8_are_a_400(client):
    assert client.get("/chat?lang=%FF").status_code == 400
    assert client.get("/api/v1/openapi.json?x=%ED%A0%80").get_json()["error"]["code"] == "bad_unicode"
    # As gunicorn hands over /scams/%FF%FE: the raw bytes, decoded as Latin-1 (the test client would repair them).
    assert client.get("/", environ_overrides={"PATH_INFO": "/scams/\xff\xfe"}).status_code == 400


def test_valid_text_still_passes(client):
    """Emoji (a surrogate pair in JSON), Chinese, a literal U+FFFD: all fine."""
    response = client.post("/api/v1/chat", data='{"message": "\\ud83d\\ude00 有人让我刷单返利 \ufffd"}'.encode(),
                           content_type="application/json")
    assert response.status_code == 200
    assert client.post("/chat", data={"message": "有人让我刷单返利 😀"}).status_code == 200
    assert client.get("/chat?lang=zh-Hant&x=%E4%BD%A0").status_code == 200
    response = client.post("/api/v1/chat", data=b"not json", content_type="application/json")
    assert response.get_json()["error"]["code"] == "not_json"
