"""POST /api/v1/chat and the /chat page through the real app."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import inspect, text

from webapp.extensions import db


def ask(client, message, **extra):
    return client.post("/api/v1/chat", json={"message": message, **extra})


def test_answer_follows_the_contract(client):
    response = ask(client, "有人在微信上说一个月给我两千，让我把银行卡借给他用")
    assert response.status_code == 200
    data = response.get_json()
    assert set(data) >= {"urgent", "role", "matches", "notice"}
    assert data["role"] == "accomplice" and data["urgent"] is False
    first = data["matches"][0]
    assert first["slug"] == "rent-sell-cards" and first["url"] == "/scams/rent-sell-cards"
    assert 0 < first["score"] <= 1 and first["why"]
    assert set(first) >= {"slug", "title", "score", "why", "warning", "actions", "law", "url"}
    assert first["law"][0]["penalty"]  # legal consequences come first for accomplices
    assert "96110" in data["notice"]
    assert len(data["matches"]) <= 3


def test_urgent_answer_starts_with_emergency_steps(client):
    data = ask(client, "客服让我开了屏幕共享，我已经把验证码告诉他了，卡里的钱被转走了", lang="zh-Hans").get_json()
    assert data["urgent"] is True
    emergency = data["emergency"]
    assert any("110" in step for step in emergency["steps"])
    assert any("止付" in step and "冻结" in step for step in emergency["steps"])
    assert {line["number"] for line in emergency["hotlines"]} == {"110", "96110"}
    assert "追回" in emergency["warning"]  # the follow-up "recovery" scam


def test_no_match_has_a_fallback_and_says_no_match_is_not_safe(client):
    data = ask(client, "xq zv blorp", lang="en").get_json()
    assert data["matches"] == [] and data["role"] is None
    assert data["fallback"] and "No match does not mean it is safe" in data["notice"] and "96110" in data["notice"]


def test_greeting_gets_a_friendly_reply(client):
    data = ask(client, "你好").get_json()
    assert data["matches"] == [] and "小助手" in data["reply"]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("请问被骗了去哪里举报啊", "110"),  # how to report: the hotlines, not a scam type
        ("how can I report a scam message?", "96110"),
        ("【电力公司】您本月电费126元，请在官方app缴纳", "官方APP"),  # an ordinary notice
    ],
)
def test_questions_about_reporting_and_ordinary_notices_get_a_useful_reply(client, message, expected):
    data = ask(client, message).get_json()
    assert data["matches"] == [] and expected in data["reply"]
    hotlines = [line["number"] for line in data.get("emergency", {}).get("hotlines", [])]
    assert "96110" in data["notice"] or "96110" in hotlines  # the anti-fraud line is always there


def test_english_question_gets_an_english_answer(client):
    data = client.post("/api/v1/chat?lang=zh-Hans", json={"message": "a stranger wants to rent my bank card"}).get_json()
    assert data["lang"] == "en" and data["matches"][0]["title"].isascii()


def test_traditional_question_gets_a_traditional_answer(client):
    data = ask(client, "有人要租我的銀行帳戶，每個月給錢").get_json()
    assert data["lang"] == "zh-Hant"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"data": "not json", "content_type": "text/plain"}, "not_json"),
        ({"data": "{broken", "content_type": "application/json"}, "not_json"),
        ({"json": ["a list"]}, "not_json"),
        ({"json": {}}, "missing_message"),
        ({"json": {"message": 42}}, "invalid_type"),
        ({"json": {"message": ["x"]}}, "invalid_type"),
        ({"json": {"message": "   \n "}}, "empty_message"),
        ({"json": {"message": "x" * 2001}}, "too_long"),
        ({"json": {"message": "hi", "lang": "fr"}}, "invalid_lang"),
    ],
)
def test_bad_input_is_a_400_with_a_json_error(client, kwargs, code):
    response = client.post("/api/v1/chat", **kwargs)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]


def test_exactly_2000_characters_is_accepted(client):
    assert ask(client, "借" * 2000).status_code == 200


def test_rate_limit(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_CHAT="3 per minute", WTF_CSRF_ENABLED=True)
    client = app.test_client()
    codes = [ask(client, "有人让我刷单").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = ask(client, "有人让我刷单")
    assert response.get_json()["error"]["code"] == "rate_limited"


def test_openapi_description(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/chat" in spec["paths"]
    assert spec["components"]["schemas"]["ChatRequest"]["properties"]["message"]["maxLength"] == 2000


SECRETS = ("13912345678", "110101199003077777", "6222021234567890123", "583920")


def test_message_is_never_logged_or_stored_as_typed(client, app, caplog):
    message = f"我的手机{SECRETS[0]}，身份证{SECRETS[1]}，他让我把银行卡{SECRETS[2]}借给他，验证码{SECRETS[3]}也告诉他了"
    with caplog.at_level(logging.DEBUG):
        assert ask(client, message).status_code == 200
        assert client.post("/chat", data={"message": message}).status_code == 200
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "chat answered" in logged and "[PHONE]" in logged  # something was logged, redacted
    for secret in SECRETS:
        assert secret not in logged
    with app.app_context():
        with db.engine.connect() as connection:
            for table in inspect(connection).get_table_names():
                dump = str(connection.execute(text(f'SELECT * FROM "{table}"')).fetchall())
                for secret in SECRETS:
                    assert secret not in dump, table


# -- the page -------------------------------------------------------------------------------

def test_chat_page_form_without_javascript(client):
    page = client.get("/chat?lang=zh-Hans").get_data(as_text=True)
    assert 'name="message"' in page and 'name="example"' in page
    html = client.post("/chat?lang=zh-Hans", data={"message": "有人让我出租微信号，还要帮他接收验证码"}).get_data(as_text=True)
    assert "您说的情况属于：" in html and "/scams/rent-accounts-devices" in html  # they describe doing it themselves
    assert "<mark>" in html  # the words that matched are highlighted in the user's text
    assert "96110" in html


def test_tapping_an_example_posts_it(client):
    html = client.post("/chat?lang=en", data={"example": "Someone on WeChat offers me 500 yuan a week to lend them my bank card"}).get_data(as_text=True)
    assert "/scams/rent-sell-cards" in html


def test_user_text_is_escaped(client):
    html = client.post("/chat", data={"message": "<script>alert(1)</script> 刷单"}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_empty_and_too_long_messages_on_the_page(client):
    response = client.post("/chat?lang=en", data={"message": "  "})
    assert response.status_code == 400 and "Please type what happened" in response.get_data(as_text=True)
    response = client.post("/chat?lang=en", data={"message": "x" * 2001})
    assert response.status_code == 400 and "under 2000 characters" in response.get_data(as_text=True)


def test_fragment_for_the_javascript_conversation(client):
    response = client.post("/chat", data={"message": "刷单返利"}, headers={"X-Fragment": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and 'class="exchange"' in html


def test_page_form_needs_csrf(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post("/chat", data={"message": "刷单"})
    assert response.status_code == 400 and "过期" in response.get_data(as_text=True)
    # The JSON API trusts no cookie and needs no token.
    assert client.post("/api/v1/chat", json={"message": "刷单"}).status_code == 200
