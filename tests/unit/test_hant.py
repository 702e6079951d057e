"""zh-Hant reads as Taiwan and Hong Kong readers write: phrase conversion plus the reviewed fixes."""

import textwrap

from webapp.catalog import check
from webapp.catalog.hant import forbidden_in, rules, to_hant


def test_mainland_words_become_taiwan_words():
    assert to_hant("看视频、收短信、点链接、共享屏幕") == "看影片、收簡訊、點連結、共享螢幕"
    assert to_hant("网络上的软件信息，登录账户，打印出来") == "網路上的軟體資訊，登入帳戶，列印出來"


def test_the_reviewed_fixes_repair_what_opencc_gets_wrong():
    assert to_hant("卡里的钱") == "卡裡的錢"
    assert to_hant("从奖金里扣") == "從獎金裡扣"
    assert to_hant("助学金发放") == "助學金發放"
    assert to_hant("乱发东西") == "亂發東西"
    assert to_hant("加我的微信号") == "加我的微信號"
    assert to_hant("物联网卡") == "物聯網卡"


def test_no_fix_produces_a_forbidden_word_and_every_listed_wrong_form_is_caught():
    fixes, forbidden = rules()
    assert fixes and forbidden
    for wrong, right in fixes:
        assert not forbidden_in(right), (wrong, right)
    for word in ("視頻", "短信", "鏈接", "屏幕", "網絡", "軟件", "信息", "登錄", "賬戶", "打印", "卡里", "獎金里",
                 "助學金髮放", "亂髮東西"):
        assert word in forbidden


def test_content_check_rejects_a_zh_hant_page_with_a_mainland_word(tmp_path):
    import shutil
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    content = tmp_path / "content"
    shutil.copytree(root / "content", content)
    hans = (content / "scams" / "phishing-link" / "zh-Hans.md").read_text(encoding="utf-8")
    front, _, body = hans[4:].partition("\n---\n")
    hand = "---\n" + to_hant(front) + "\n---\n" + to_hant(body) + "\n" + textwrap.dedent("""
        收到短信別點鏈接。
    """)
    (content / "scams" / "phishing-link" / "zh-Hant.md").write_text(hand, encoding="utf-8")
    problems = [str(p) for p in check(content, root / "quizzes")]
    assert any("phishing-link/zh-Hant.md" in p and "短信" in p and "鏈接" in p for p in problems), problems
    (content / "scams" / "phishing-link" / "zh-Hant.md").unlink()
    assert check(content, root / "quizzes") == []


def test_content_check_rejects_a_hand_written_zh_hant_quiz_text_with_a_mainland_word(tmp_path):
    import re
    import shutil
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    quizzes = tmp_path / "quizzes"
    shutil.copytree(root / "quizzes", quizzes)
    bank = sorted(quizzes.glob("general/*.yaml"))[0]
    text = bank.read_text(encoding="utf-8")
    text, count = re.subn(r"(\n    prompt:\n      zh-Hans: [^\n]*\n)", r"\1      zh-Hant: 收到短信要點鏈接嗎？\n", text, count=1)
    assert count == 1
    bank.write_text(text, encoding="utf-8")
    problems = [str(p) for p in check(root / "content", quizzes)]
    assert any(bank.name in p and "短信" in p for p in problems), problems
