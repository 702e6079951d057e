"""Content that is exactly right: one rule per question, the pages people look for, real Traditional Chinese."""

from __future__ import annotations

import html as html_module
import re

import pytest

from tests.factories import LOCALES
from webapp.catalog.hant import forbidden_in
from webapp.explainers.views import status_text

HELP_PAGES = ("family", "after-report")


def page(client, path, locale):
    response = client.get(f"{path}{'&' if '?' in path else '?'}lang={locale}")
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return html_module.unescape(re.sub(r"<[^>]+>", " ", html))


# -- the pages people look for ----------------------------------------------------------------

@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("name", HELP_PAGES)
def test_help_pages_in_each_language(client, catalog, name, locale):
    html = page(client, f"/help/{name}", locale)
    help_page = catalog.page(name, locale)
    assert help_page is not None
    assert f"<h1>{help_page.title}</h1>" in html
    assert 'href="tel:110"' in html and "96110" in html
    other = "after-report" if name == "family" else "family"
    assert f'href="/help/{other}"' in html  # the two pages lead to each other
    assert f'href="/help/{name}"' in page(client, "/help", locale)  # and /help leads to both


def test_family_page_covers_what_a_relative_needs(client):
    zh = visible(page(client, "/help/family", "zh-Hans"))
    for point in ("不肯", "宾馆", "转账", "每天能转出的钱调低", "电话里", "96110", "国家反诈中心"):
        assert point in zh, point
    en = visible(page(client, "/help/family", "en"))
    for point in ("won't believe", "hotel", "lower the amount", "What to say on the phone", "96110"):
        assert point in en, point


def test_after_report_page_states_only_verified_law(client, catalog):
    zh = visible(page(client, "/help/after-report", "zh-Hans"))
    for point in ("身份证", "受案回执", "第二十条", "第三十四条", "救助"):
        assert point in zh, point
    en = visible(page(client, "/help/after-report", "en"))
    for point in ("ID card", "case receipt", "Article 20", "Article 34", "assistance"):
        assert point in en, point
    cited = set(re.findall(r"第[二三四十]+条", zh))
    assert cited == {"第二十条", "第三十四条"}
    assert "atfl-20" in catalog.law and "atfl-34" in catalog.law  # both verified, in content/law.yaml


def test_unknown_help_page_is_404(client):
    assert client.get("/help/nothing-here").status_code == 404


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("slug", ["fake-customer-service", "impersonate-authorities", "phishing-link"])
def test_is_it_really_them_sections_name_12381_and_12321(client, slug, locale):
    text = visible(page(client, f"/scams/{slug}", locale))
    assert "12381" in text and "12321" in text and "www.12321.cn" in text


@pytest.mark.parametrize(("slug", "zh", "en"), [
    ("impersonate-authorities", "冒充“反诈民警”", "fake \"anti-fraud police officer\""),
    ("fake-customer-service", "航班取消", "flight is cancelled"),
    ("impersonate-authorities", "冒充军人、公职人员下大单", "fake soldier or official"),
    ("fake-credit-repair", "代理退保", "insurance"),
    ("romance-investment", "直播间", "live stream"),
])
def test_newer_variants_are_told_in_the_type_they_belong_to(client, slug, zh, en):
    assert zh in visible(page(client, f"/scams/{slug}", "zh-Hans"))
    assert en in visible(page(client, f"/scams/{slug}", "en")).replace("&#34;", '"')


def test_the_anti_fraud_app_is_explained_and_only_from_the_official_store(client):
    zh = visible(page(client, "/help", "zh-Hans"))
    assert "国家反诈中心App" in zh and "官方应用商店" in zh
    en = visible(page(client, "/help", "en"))
    assert "official app store" in en


# -- one rule per question -----------------------------------------------------------------------

def advice(catalog):
    """Every piece of advice the site gives: explainer what-to-do lists and the chatbot's emergency steps."""
    for slug in catalog.types:
        for locale in ("zh-Hans", "en"):
            for item in catalog.explainer(slug, locale).what_to_do:
                yield f"{slug}/{locale}", item
    for locale, steps in catalog.chat.emergency_steps.items():
        for step in steps:
            yield f"chat/{locale}", step


def test_one_rule_for_the_scammers_app_keep_it_for_the_police(catalog):
    removing = re.compile(r"(?<![别不])(卸载|删掉.{0,4}App)|(?<!n't )(?<!not )(uninstall|delete (the |it|any )?app|remove the app)", re.I)
    assert [(where, item) for where, item in advice(catalog) if removing.search(item)] == []
    for slug in ("fake-customer-service", "phishing-link", "verification-code-screen-share", "sextortion"):
        assert any("先别删" in item for item in catalog.explainer(slug, "zh-Hans").what_to_do), slug
        assert any("keep" in item.lower() and "police" in item for item in catalog.explainer(slug, "en").what_to_do), slug


def test_the_bank_secures_your_own_card_the_police_decide_on_stopping_the_payment(catalog):
    bank_stops = re.compile(r"(请求|申请|要求)(紧急)?止付|ask (them )?(for an emergency stop|to stop)|request an emergency stop", re.I)
    assert [(where, item) for where, item in advice(catalog) if bank_stops.search(item)] == []


def test_wherever_the_site_says_answer_96110_it_says_96110_never_asks_for_money(catalog, client):
    answer = re.compile(r"一定要接|务必接|always answer|pick up", re.I)
    never = re.compile(r"不会让(你|您)转账|不会要钱|never ask", re.I)
    texts = [(where, item) for where, item in advice(catalog)]
    texts += [(f"intent {name}", intent.reply.zh_Hans) for name, intent in catalog.chat.intents.items()]
    texts += [(f"intent {name}", intent.reply.en) for name, intent in catalog.chat.intents.items()]
    bad = [(where, text) for where, text in texts if answer.search(text) and not never.search(text)]
    assert bad == []
    for locale in LOCALES:
        text = visible(page(client, "/help", locale))
        assert re.search(r"never ask|不会问您要钱|不會問您要錢", text), locale


@pytest.mark.parametrize("locale", LOCALES)
def test_the_recovery_warning_never_turns_away_a_real_officer(client, catalog, locale):
    warning = catalog.chat.recovery_warning.get(locale)
    assert not re.search(r"律师|律師|lawyer|自称.*警察|claims to be .*officer", warning)
    assert re.search(r"手续费|手續費|fee", warning) and re.search(r"真警察|Real police", warning)
    assert warning in page(client, "/help", locale).replace("&#34;", '"')


# -- the law, said exactly ---------------------------------------------------------------------

def test_victim_pages_label_the_scammers_penalties_after_what_to_do(client, catalog):
    for slug, scam_type in catalog.types.items():
        zh = page(client, f"/scams/{slug}", "zh-Hans")
        if scam_type.role == "victim":
            assert "骗子要承担的法律责任" in zh, slug
            assert zh.index('id="todo-heading"') < zh.index('id="law-heading"'), slug
        else:
            assert "骗子要承担的法律责任" not in zh
    assert "What the scammer faces under the law" in page(client, "/scams/task-rebate", "en")


@pytest.mark.parametrize("slug", ["money-mule-transfer", "rent-sell-cards", "rent-accounts-devices"])
def test_risk_boxes_are_bullets_with_the_joint_punishment_stated_without_periods(client, catalog, slug):
    for locale in LOCALES:
        explainer = catalog.explainer(slug, locale)
        assert len(explainer.risk_points) >= 4
        limit = 250 if locale != "en" else 500
        assert all(len(point) <= limit for point in explainer.risk_points), slug
        html = page(client, f"/scams/{slug}", locale)
        assert html.count("</li>", html.index('class="risk-points"'), html.index("</ul>", html.index('class="risk-points"'))) == len(explainer.risk_points)
        risk = explainer.risk
        assert "jpm-2024-3" in explainer.law
        assert re.search(r"联合惩戒办法|聯合懲戒辦法|Joint Punishment Measures", risk)
        # jpm-2024 (the periods: 2 years, 3 years, at most 5) is not verified: no period is stated
        assert not re.search(r"[25]年|[25] years|two years|five years", risk), risk


def test_money_mule_risk_names_article_38_and_its_detention(catalog):
    zh = catalog.explainer("money-mule-transfer", "zh-Hans").risk
    assert "第三十八条" in zh and "10日以上15日以下拘留" in zh
    en = catalog.explainer("money-mule-transfer", "en").risk
    assert "Article 38" in en and "10 to 15 days" in en


def test_online_gambling_is_punished_when_the_stakes_are_large_not_always(catalog):
    for locale in ("zh-Hans", "en"):
        text = " ".join(catalog.explainer("online-gambling", locale).what_to_do)
        assert "本身就违法" not in text and "itself illegal" not in text
    assert "赌资较大" in " ".join(catalog.explainer("online-gambling", "zh-Hans").what_to_do)


def test_law_page_marks_references_checked_against_quotations(client, catalog):
    html = page(client, "/law", "en")
    quoted = [ref for ref in catalog.law.values() if (ref.source_kind or "").startswith("secondary")]
    assert quoted
    for ref in catalog.law.values():
        start = html.index(f'id="{ref.id}"')
        block = html[start:html.index("</article>", start)]
        assert ("word-for-word quotations" in block) == (ref in quoted), ref.id


def test_statuses_are_in_the_pages_language(client, catalog):
    assert any(ref.status for ref in catalog.law.values())
    for locale, expected in (("zh-Hans", "2026年1月1日起施行"), ("zh-Hant", "2026年1月1日起施行"), ("en", "In force from")):
        html = page(client, "/law", locale)
        assert expected in html
        if locale != "en":
            assert "in force from" not in html.lower()


def test_every_status_in_law_yaml_can_be_said_in_words(app, catalog):
    with app.test_request_context("/?lang=zh-Hans"):
        for ref in catalog.law.values():
            if ref.status:
                assert status_text(ref.status), f"{ref.id}: teach status_text to say {ref.status!r}"


def test_thresholds_a_later_opinion_may_have_changed_say_so(client, catalog):
    assert catalog.law["jud-hx-2019-12"].later is not None
    for locale in LOCALES:
        html = page(client, "/law", locale)
        start = html.index('id="jud-hx-2019-12"')
        block = html_module.unescape(html[start:html.index("</article>", start)])
        assert catalog.law["jud-hx-2019-12"].later.get(locale) in block
    # the unverified 2025 figures never reach a page
    for path in ("/law", "/scams/rent-sell-cards", "/scams/rent-accounts-devices"):
        assert "30万" not in page(client, path, "zh-Hans")


# -- Traditional Chinese for Taiwan and Hong Kong ----------------------------------------------

def every_page(catalog):
    yield from ("/", "/help", "/law", "/scams", "/for/elderly", "/for/students", "/for/rural", "/chat", "/quiz/")
    yield from (f"/help/{name}" for name in HELP_PAGES)
    yield from (f"/scams/{slug}" for slug in catalog.types)
    yield from (f"/quiz/{quiz_id}" for quiz_id in catalog.quizzes)


def test_no_zh_hant_page_uses_a_listed_mainland_word_or_wrong_character(client, catalog):
    bad = {}
    for path in every_page(catalog):
        response = client.get(f"{path}?lang=zh-Hant")
        assert response.status_code == 200, path
        words = forbidden_in(visible(response.get_data(as_text=True)))
        if words:
            bad[path] = words
    assert bad == {}


@pytest.mark.parametrize("path", ["/", "/help", "/law", "/help/family", "/help/after-report"])
def test_zh_hant_pages_say_the_law_is_mainland_chinas_and_give_165_and_18222(client, path):
    text = visible(page(client, path, "zh-Hant"))
    assert "中國大陸的法律" in text
    assert "165" in text and "18222" in text
    assert 'href="tel:165"' in page(client, path, "zh-Hant")
    simplified = visible(page(client, path, "zh-Hans"))
    assert "18222" not in simplified or path == "/law"  # mainland readers get mainland lines


def test_english_footer_says_ask_you_for_a_verification_code(client):
    text = visible(page(client, "/", "en"))
    assert "ask you for a verification code" in text
    assert "tell you a verification code" not in text
