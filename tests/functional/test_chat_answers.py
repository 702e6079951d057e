"""Chat answers a frightened person can act on (issue 14), through the real app and its content."""

from __future__ import annotations

import re

import pytest
import yaml

from webapp.matcher import normalise
from webapp.matcher.words import boundaries, protected

ROLE_ACCOMPLICE = [
    "有人在微信上说一个月给我两千，让我把银行卡借给他用",
    "有人要租我的银行卡，一个月给两千",
    "有人让我帮他扫码验证一下微信，给我50块",
    "同学让我帮他转账走个流水，给我好处费",
    "a stranger wants to rent my bank card",
]
ROLE_VICTIM = [
    "客服说我的快递丢了要理赔，让我扫码进一个页面，还要我开屏幕共享",
    "有个自称警察的人说我涉嫌洗钱，让我把钱转到安全账户",
    "网上兼职刷单，先垫付了三笔，现在说要交解冻费才能提现",
]
ROLE_UNCLEAR = ["有人让我扫码"]
SAMPLES = ROLE_ACCOMPLICE + ROLE_VICTIM + ROLE_UNCLEAR + [
    "【顺丰速运】您的快件因地址不详无法派送，请点击 http://sf-kd.top/x 重新填写地址",
    "客服让我开了屏幕共享，我已经把验证码告诉他了，卡里的钱被转走了",
    "我被骗了怎么办",
    "帮我看看这个 https://weixin.qq.com/abc 可以点吗",
    "I got a text saying my medical insurance card is abnormal, click the link to fix it",
    "有人要租我的銀行帳戶，每個月給錢",
    "你好",
]
RESEARCH_NOTES = ("法律本身没有写明", "没有写明期限", "not confirmed", "verified", "note:", "draft", "research", "联合惩戒办法》规定")


def ask(client, message, **extra):
    response = client.post("/api/v1/chat", json={"message": message, **extra})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def strings(value, skip=("why", "text", "slug", "url", "id", "lang", "kind", "signal", "whose", "role", "channel", "source")):
    """Every text the answer shows, except the person's own words and machine fields."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings(item, skip)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in skip:
                yield from strings(item, skip)


# 1. Layout: a verdict in words, at most three actions ------------------------------------------

def test_a_confident_match_gets_a_one_line_verdict_and_three_actions(client):
    data = ask(client, "有个自称警察的人说我涉嫌洗钱，让我把钱转到安全账户")
    assert data["verdict"] == {"kind": "likely", "text": "这很像：冒充公检法诈骗"}
    assert 1 <= len(data["actions"]) <= 3
    assert data["matches"][0]["slug"] == "impersonate-authorities"


def test_several_candidates_say_so(client):
    data = ask(client, "抖音上说可以帮我刷单赚钱，客服转给我一个人")
    if data["matches"] and data["verdict"]["kind"] == "several":
        assert data["verdict"]["text"] == "可能是以下几种之一："
        assert len(data["matches"]) >= 2
    else:  # the ranker may grow confident; then it is named alone
        assert data["verdict"]["kind"] in ("likely", "unlikely", "caution", "unknown")


def test_an_ordinary_notice_is_not_a_scam_but(client):
    data = ask(client, "【电力公司】您本月电费126元，请在官方app缴纳")
    assert data["matches"] == [] and data["verdict"]["text"] == "看起来不像诈骗，但……"


def test_every_answer_keeps_to_three_actions(client):
    for message in SAMPLES:
        data = ask(client, message)
        assert len(data["actions"]) <= 3, message
        assert data["verdict"]["kind"] in ("likely", "several", "unlikely", "caution", "unknown", "help", "small_talk")
        assert data["notice"], message


# 2. Role from the person's situation ------------------------------------------------------------

def test_doing_or_being_offered_the_accomplice_act_is_framed_as_their_own_risk(client):
    for message in ROLE_ACCOMPLICE:
        data = ask(client, message)
        assert data["role"] == "accomplice" and data["role_unclear"] is False, message
        assert data["role_note"] and ("违法" in data["role_note"] or "against the law" in data["role_note"])
        assert {law["whose"] for m in data["matches"][:1] for law in m["law"]} == {"you"}, message


def test_a_scammers_request_to_a_victim_is_a_victim(client):
    for message in ROLE_VICTIM:
        data = ask(client, message)
        assert data["role"] == "victim" and data["role_note"] is None, message
        laws = data["matches"][0]["law"]
        assert laws[0]["id"] == "atfl-20" and laws[0]["whose"] == "protects"  # what protects them first
        assert {law["whose"] for law in laws} <= {"protects", "scammer"}
        assert any(law["whose"] == "scammer" for law in laws), message
        assert all(law["whose_label"] == "骗子要受的处罚" for law in laws if law["whose"] == "scammer")
        assert "违法" not in data["matches"][0]["warning"]


def test_an_unclear_role_says_both_plainly(client):
    data = ask(client, "有人让我扫码")
    assert data["role"] is None and data["role_unclear"] is True
    note = data["role_note"]
    assert "被骗的一方" in note and "帮骗子" in note  # both readings, in plain words
    assert "risk-box" not in client.post("/chat", data={"message": "有人让我扫码"}).get_data(as_text=True)
    whose = [law["whose"] for law in data["matches"][0]["law"]]
    assert whose[0] == "protects" and "you" in whose


# 3. Law items a person can read -----------------------------------------------------------------

def test_law_items_are_verified_plain_and_whole(client, catalog):
    for message, lang in ((m, lang) for m in SAMPLES for lang in ("zh-Hans", "en")):
        data = ask(client, message, lang=lang)
        for match in data["matches"]:
            for law in match["law"]:
                assert law["id"] in catalog.law  # catalog.law holds verified references only
                assert catalog.law[law["id"]].status is None or "superseded" not in catalog.law[law["id"]].status
                assert law["title"] and law["meaning"] and law["whose_label"]
                assert not re.fullmatch(r"\W*(第.+条|Article [\w-]+)\W*", law["title"])  # no bare article numbers
                for note in RESEARCH_NOTES:
                    assert note not in law["meaning"]
        body = " ".join(strings(data))
        for note in RESEARCH_NOTES[:2]:
            assert note not in body


def test_chat_law_sentences_state_only_numbers_of_their_verified_entry(app, catalog):
    content = app.extensions["chat_content"]
    for ref_id, plain in content.plain_law.items():
        ref = catalog.law[ref_id]
        for lang in ("zh-Hans", "en"):
            source = " ".join(t.get(lang) for t in (ref.summary, ref.penalty) if t).replace(",", "")
            for number in re.findall(r"\d+", plain.means[lang].replace(",", "")):
                assert number in source, (ref_id, lang, number)


def test_official_contacts_come_from_the_verified_hotlines(catalog, app):
    path = app.config["CONTENT_DIR"] + "/official-contacts.yaml"
    with open(path, encoding="utf-8") as file:
        contacts = yaml.safe_load(file)
    hotlines = {line.number: line for line in catalog.hotlines}
    for entry in contacts["numbers"]:
        assert entry["number"] in hotlines and entry["source"]
    roles = " ".join(line.role.get("zh-Hans") + line.role.get("en") for line in catalog.hotlines)
    for entry in contacts["domains"]:
        assert entry["domain"] in roles and entry["source"]


# 4. The closing reminder fits the answer --------------------------------------------------------

def test_after_a_confident_match_the_reminder_is_what_to_do_if_too_late(client):
    data = ask(client, "有个自称警察的人说我涉嫌洗钱，让我把钱转到安全账户")
    notice = data["notice"]
    assert "不等于一定安全" not in notice
    assert "110" in notice and "96110" in notice and notice.index("110") < notice.index("96110")


def test_no_match_is_not_safe_only_when_little_matched(client):
    assert "不等于一定安全" in ask(client, "xq zv blorp", lang="zh-Hans")["notice"]
    assert "No match does not mean it is safe" in ask(client, "xq zv blorp", lang="en")["notice"]


def test_urgent_hotlines_put_the_police_first(client):
    data = ask(client, "客服让我开了屏幕共享，我已经把验证码告诉他了，卡里的钱被转走了")
    assert [line["number"] for line in data["emergency"]["hotlines"]] == ["110", "96110"]


# 5. One language per answer ---------------------------------------------------------------------

ENGLISH_WORDS = re.compile(r"\b(the|you|your|this|what|and|with|scam)\b", re.I)


def test_one_language_per_answer_in_all_three_locales(client):
    for message in SAMPLES:
        one_language(client, message)


def one_language(client, message):
    hans = ask(client, message, lang="zh-Hans")
    hant = ask(client, message, lang="zh-Hant")
    en = ask(client, message, lang="en")
    assert (hans["lang"], hant["lang"], en["lang"]) == ("zh-Hans", "zh-Hant", "en")
    for text in strings(en):
        assert not re.search(r"[\u4e00-\u9fff]", text.replace("国家反诈中心", "").replace("防騙易", "").replace("全民防騙網", "")), text
    for data in (hans, hant):
        for text in strings(data):
            assert not ENGLISH_WORDS.search(text), text
    hant_text = "".join(strings(hant))
    if re.search(r"[\u4e00-\u9fff]", hant_text):
        assert normalise(hant_text) != hant_text  # Traditional characters, not Simplified


def test_lang_in_the_api_wins_over_the_message_and_the_page(client):
    data = client.post("/api/v1/chat?lang=zh-Hans", json={"message": "有人要租我的银行卡", "lang": "en"}).get_json()
    assert data["lang"] == "en" and data["verdict"]["text"].startswith("What you describe is:")
    assert data["notice"].startswith("If you have already handed over")


def test_the_page_answers_an_english_question_in_english(client):
    html = client.post("/chat?lang=zh-Hans", data={"message": "a stranger wants to rent my bank card"}).get_data(as_text=True)
    answer = html[html.index('class="bubble bot"'):]
    assert 'lang="en"' in answer[:80] and "What to do now" in answer and "应该怎么做" not in answer


# 6. `why` in whole words ------------------------------------------------------------------------

def test_why_words_are_whole_and_never_cut_a_url_or_number(client):
    seen = 0
    for message in SAMPLES + ["【工商银行】您尾号6222的卡积分将清零，请登录 http://icbc-jf.top/a 兑换，客服13812345678"]:
        data = ask(client, message)
        starts, ends = boundaries(normalise(message))
        guarded = protected(message)
        for match in data["matches"]:
            assert len(match["why"]) <= 5
            for word in match["why"]:
                seen += 1
                start = message.find(word)
                assert start >= 0, word
                assert start in starts and start + len(word) in ends, (message, word)
                assert not any(start < end and s < start + len(word) for s, end in guarded), (message, word)
    assert seen >= 10


# 7. What a pasted message contains --------------------------------------------------------------

SIGNALS = (
        ("【顺丰速运】您的快件因地址不详无法派送，请点击 http://sf-kd.top/x 重新填写地址", "lookalike", "仿冒网址"),
        ("【工商银行】您的积分即将过期，点击 http://jfdh.cc/a 兑换", "brand_mismatch", "没有这家公司的名字"),
        ("can I click this link? http://bit.ly/3abc", "short_link", "短链接"),
        ("点这个 http://45.67.89.10/login 登录领补贴", "raw_ip", "数字地址"),
        ("客服发来 http://app-down.xyz/pay.apk 让我安装", "apk", "安装包"),
        ("工商银行客服打来电话，号码是13812345678，说我的卡要冻结", "mobile_as_official", "普通手机号"),
        ("快递员说包裹丢了要理赔，打来的号码是+63 912 345 6789", "overseas", "境外号码"),
        ("来电显示是银行的95588，说我卡被冻结了要验证", "can_be_faked", "可以伪造"),
        ("客服让我把验证码告诉他", "code", "钥匙"),
        ("他让我下载会议软件共享屏幕", "screen_share", "共享屏幕"),
        ("有个自称警察的人说我涉嫌洗钱，让我把钱转到安全账户", "police_never_ask", "安全账户"),
        ("96110打电话给我，说我可能被骗了", "listed", "不会让您转账"),
        ("对方让我往6222021234567890123这个卡转5000元保证金", "account_number", "尾号0123"),
)


def test_each_artefact_signal_is_explained(client):
    for message, signal, words in SIGNALS:
        data = ask(client, message, lang="zh-Hans")
        found = {item["signal"]: item for item in data["signals"]}
        assert signal in found, (message, data["signals"])
        assert words in found[signal]["explain"], (message, found[signal])


def test_a_pasted_sms_is_not_told_to_hang_up(client):
    data = ask(client, "【顺丰速运】您的快件因地址不详无法派送，请点击 http://sf-kd.top/x 重新填写地址")
    assert data["channel"] == "sms"
    assert "短信里的链接" in data["actions"][0]
    assert not any("挂" in action for action in data["actions"])


def test_a_call_is_told_to_hang_up_and_call_back_on_a_number_they_found(client):
    data = ask(client, "工商银行客服打来电话，号码是13812345678，说我的卡要冻结，让我把验证码告诉他")
    assert data["channel"] == "call" and data["actions"][0].startswith("挂断电话")


def test_a_real_looking_address_is_not_vouched_for(client):
    data = ask(client, "帮我看看这个 https://weixin.qq.com/abc 可以点吗")
    assert [item["signal"] for item in data["signals"]] == ["unconfirmed"]
    assert "没法替您确认" in data["signals"][0]["explain"]


# 8. Help intents and links ----------------------------------------------------------------------

def test_i_was_scammed_gets_the_complete_emergency_answer(client):
    for message in ("我被骗了怎么办", "被骗了咋办啊", "I think I've been scammed, what do I do?"):
        data = ask(client, message)
        assert data["urgent"] is True and data["verdict"]["kind"] == "help", message
        assert len(data["emergency"]["steps"]) >= 4
        body = " ".join(strings(data))
        assert "帮不上" not in body and "can't help" not in body  # a "how to report" reply may stay: it helps


def test_can_i_click_this_link_is_analysed_as_a_message(client):
    for message in ("帮我看看这个 https://weixin.qq.com/abc 可以点吗", "can I click this link? http://bit.ly/3abc"):
        data = ask(client, message)
        assert data["signals"] and "reply" not in data  # no greeting, no "can't help"


# 9. Feedback on the page ------------------------------------------------------------------------

def test_an_empty_submit_says_what_to_type_without_javascript(client):
    response = client.post("/chat?lang=zh-Hans", data={"message": "   "})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "请写下发生了什么" in html and 'role="alert"' in html
    fragment = client.post("/chat?lang=zh-Hans", data={"message": ""}, headers={"X-Fragment": "1"})
    assert fragment.status_code == 400 and "请写下发生了什么" in fragment.get_data(as_text=True)


def test_the_page_carries_its_waiting_timeout_and_busy_messages(client):
    html = client.get("/chat?lang=zh-Hans").get_data(as_text=True)
    assert 'data-waiting="正在分析…"' in html
    assert "网络太慢" in html and "请等一分钟再问" in html and "请写下发生了什么" in html


# The page's answer layout -----------------------------------------------------------------------

def test_the_page_answer_has_verdict_actions_then_folds_then_the_explainer(client):
    html = client.post("/chat?lang=zh-Hans", data={"message": "有个自称警察的人说我涉嫌洗钱，让我把钱转到安全账户"}).get_data(as_text=True)
    main = html.index('class="answer-main"')
    verdict = html.index('class="verdict', main)
    actions = html.index('class="actions"', main)
    fold = html.index("<details", main)
    explainer = html.index('class="button" href="/scams/impersonate-authorities"')
    assert main < verdict < actions < fold < explainer
    assert html.count("<summary>") >= 3  # how it works, red flags, the law
    assert 'data-read="#answer-' in html and '-main"' in html  # read-aloud reads the verdict and the actions


def test_openapi_describes_the_new_fields(client):
    answer = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["ChatAnswer"]["properties"]
    assert {"verdict", "actions", "signals", "role_unclear", "role_note", "channel"} <= set(answer)
