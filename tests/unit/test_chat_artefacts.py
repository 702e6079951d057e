"""webapp/matcher/artefacts.py: links, numbers, amounts, accounts and requests as signals."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from webapp.matcher import artefacts as a
from webapp.matcher import normalise

OFFICIAL = a.Official(numbers={"96110": "anti-fraud", "110": "police"}, domains={"12321.cn": "reporting"})


def find(text):
    return a.find(text, normalise(text), OFFICIAL)


def signals_of(text, kind):
    return {s for art in find(text).of(kind) for s in art.signals}


@pytest.mark.parametrize(
    ("text", "kind", "signal"),
    [
        ("【工商银行】您的积分即将过期，点击 http://jfdh.cc/a 兑换", "link", a.BRAND_MISMATCH),
        ("【顺丰速运】您的快件无法派送，请点击 http://sf-kd.top/x 重新填写地址", "link", a.LOOKALIKE),
        ("can I click this link? http://bit.ly/3abc", "link", a.SHORT_LINK),
        ("点这个 http://45.67.89.10/login 登录", "link", a.RAW_IP),
        ("下载 http://app-down.xyz/pay.apk 安装", "link", a.APK),
        ("帮我看看这个 https://weixin.qq.com/abc 可以点吗", "link", a.UNCONFIRMED),
        ("去 www.12321.cn 举报", "link", a.LISTED),
        ("工商银行客服打来电话，号码是13812345678", "phone", a.MOBILE_AS_OFFICIAL),
        ("快递员说包裹丢了，打来的号码是+63 912 345 6789", "phone", a.OVERSEAS),
        ("来电显示是银行的95588，说我卡被冻结了", "phone", a.CAN_BE_FAKED),
        ("96110打电话来了", "phone", a.LISTED),
        ("对方让我转5000元到6222021234567890123", "account", a.ACCOUNT_NUMBER),
        ("对方让我转5000元", "amount", a.AMOUNT),
        ("客服让我把验证码告诉他", "request", a.CODE),
        ("他让我下载会议软件共享屏幕", "request", a.SCREEN_SHARE),
        ("要把钱转到安全账户", "request", a.SAFE_ACCOUNT),
        ("让我下载一个app", "request", a.DOWNLOAD_APP),
        ("自称警察说我涉嫌洗钱，让我转账", "request", a.POLICE_NEVER_ASK),
        ("the bank asked me for the verification code", "request", a.CODE),
        ("they wanted me to share my screen", "request", a.SCREEN_SHARE),
    ],
)
def test_each_signal(text, kind, signal):
    assert signal in signals_of(text, kind)


def test_a_genuine_looking_address_is_not_called_a_fake():
    assert signals_of("帮我看看这个 https://weixin.qq.com/abc 可以点吗", "link") == {a.UNCONFIRMED}  # say less
    assert a.BRAND_MISMATCH not in signals_of("微信发来 https://weixin.qq.com/x", "link")


def test_an_ordinary_text_has_nothing_to_flag():
    assert not find("今天天气怎么样")
    assert not signals_of("我的手机号13812345678", "phone")  # a number nobody presented as official


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("【顺丰速运】您的快件无法派送", "sms"),
        ("收到一条短信说我中奖了", "sms"),
        ("刚才有个电话说是银行的", "call"),
        ("微信上有人加我", "chat"),
        ("帮我看看这个 https://weixin.qq.com/abc 可以点吗", "message"),  # "qq" in the address is no chat
        ("今天天气怎么样", None),
    ],
)
def test_channel(text, channel):
    assert a.channel(normalise(text)) == channel


def test_the_module_is_pure():
    source = Path(a.__file__).read_text(encoding="utf-8")
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(ast.parse(source)) if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    assert not any(name.startswith(("flask", "webapp", "sqlalchemy")) for name in imported)
