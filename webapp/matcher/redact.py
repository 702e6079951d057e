"""Redaction: what may be logged of a message. Phone, ID-card and bank-card numbers and codes never are."""

from __future__ import annotations

import re

_SEP = r"[\s\-－—_.]?"
_PATTERNS = [
    # 18-digit resident ID (last may be X) and the old 15-digit form.
    ("[ID]", re.compile(r"(?<![0-9A-Za-z])\d{6}" + _SEP + r"(?:\d{8}" + _SEP + r"\d{3}[\dXx]|\d{9})(?![0-9A-Za-z])")),
    # Bank cards: 12 to 19 digits, often written in groups of four.
    ("[CARD]", re.compile(r"(?<!\d)\d{4}(?:[\s\-－]?\d{4}){2,3}(?:[\s\-－]?\d{1,3})?(?!\d)|(?<!\d)\d{12,19}(?!\d)")),
    # Mainland mobiles, with or without +86 and separators.
    ("[PHONE]", re.compile(r"(?<!\d)(?:\+?86[\s\-]?)?1[3-9]\d" + _SEP + r"\d{4}" + _SEP + r"\d{4}(?!\d)")),
    # Landlines and service numbers with an area code.
    ("[PHONE]", re.compile(r"(?<!\d)0\d{2,3}[\s\-－]?\d{7,8}(?!\d)")),
    # Codes: digits after a word for code, then any other run of 4+ digits.
    (r"\1\2[CODE]", re.compile(r"(?i)(验证码|校验码|动态码|确认码|提取码|取件码|口令|密码|code|pin|otp)([\s:：是为]*)[A-Za-z0-9]{4,8}")),
    ("[NUMBER]", re.compile(r"(?<!\d)\d(?:[\s\-]?\d){5,}(?!\d)")),
]
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def redact(text: str) -> str:
    """Replace personal numbers and codes with placeholders. Safe to log; never reversible."""
    text = _EMAIL.sub("[EMAIL]", text)
    for placeholder, pattern in _PATTERNS:
        text = pattern.sub(placeholder, text)
    return text
