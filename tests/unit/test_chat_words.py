"""webapp/matcher/words.py: the person's own words, whole, never inside a link or a number."""

from __future__ import annotations

import pytest

from webapp.matcher import normalise
from webapp.matcher.words import boundaries, protected, whole_words


def words(text, pieces):
    return whole_words(text, normalise(text), pieces)


@pytest.mark.parametrize(
    ("text", "pieces", "expected"),
    [
        ("有人让我扫码", ["有人让我扫"], ("有人让我扫码",)),
        ("客服让我开了屏幕共享，我已经把验证码告诉他了", ["服让我开了屏幕共享"], ("客服让我开了屏幕共享",)),
        ("a stranger wants to rent my bank card", ["tranger wan"], ("stranger wants",)),
        ("有人要租我的銀行帳戶，每個月給錢", ["租我的銀行帳"], ("租我的銀行帳戶",)),  # Traditional: boundaries from the Simplified text
    ],
)
def test_pieces_grow_to_whole_words(text, pieces, expected):
    assert words(text, pieces) == expected


def test_nothing_inside_a_link_or_a_number():
    text = "【顺丰速运】请点击 http://sf-kd.top/x 重新填写地址，或致电13812345678"
    got = words(text, ["x", "sf-kd", "top", "1381234", "重新填"])
    assert got == ("重新填写",)
    for word in got:
        start = text.find(word)
        assert not any(start < end and s < start + len(word) for s, end in protected(text))


def test_adjacent_pieces_merge_and_at_most_five_are_kept():
    assert words("屏幕共享验证码", ["屏幕共享", "验证码"]) == ("屏幕共享验证码",)
    text = "刷单，返利，垫付，保证金，解冻费，手续费，提现"
    got = words(text, ["刷单", "返利", "垫付", "保证金", "解冻费", "手续费", "提现"])
    assert len(got) == 5
    assert list(got) == sorted(got, key=text.find)  # in the order they were written
    assert {"保证金", "解冻费", "手续费"} <= set(got)  # the longest are kept


def test_every_word_starts_and_ends_on_a_boundary():
    text = "抖音上说可以帮我刷单赚钱，客服转给我一个人"
    starts, ends = boundaries(normalise(text))
    for word in words(text, ["抖音上说可以帮我", "客服转", "刷单赚"]):
        start = text.find(word)
        assert start in starts and start + len(word) in ends, word


def test_single_characters_and_punctuation_are_dropped():
    assert words("好，。", ["好", "，。"]) == ()
