"""Traditional Chinese from Simplified (OpenCC, Taiwan standard): content is written once, in zh-Hans."""

from __future__ import annotations

from functools import lru_cache

import opencc


@lru_cache(maxsize=1)
def _to_traditional() -> opencc.OpenCC:
    return opencc.OpenCC("s2tw")


def traditional(text: str) -> str:
    return _to_traditional().convert(text)
