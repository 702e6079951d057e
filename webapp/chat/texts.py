"""The chatbot's own checked content: plain law sentences (content/chat-law.yaml) and the official
numbers and domains it may name (content/official-contacts.yaml). Loaded and validated once at start-up."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Literal

import opencc
from pydantic import BaseModel, ConfigDict, Field

from ..catalog import Catalog, ContentError, Problem
from ..catalog.yaml_text import YAMLError, load_yaml
from ..matcher.artefacts import Official


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class _Text(_Frozen):
    zh_Hans: str = Field(alias="zh-Hans", min_length=1)
    en: str = Field(min_length=1)


class _PlainRef(_Frozen):
    protects: bool = False
    every_victim: bool = False
    title: _Text
    means: _Text


class _ChatLaw(_Frozen):
    refs: dict[str, _PlainRef]


class _Number(_Frozen):
    number: str = Field(pattern=r"^[0-9]{3,8}$")
    region: Literal["CN", "TW", "HK"]
    what: str
    kind: Literal["police", "anti-fraud", "warning-sms", "reporting", "local"]
    never_asks: bool = False
    source: str = Field(min_length=10)


class _Domain(_Frozen):
    domain: str = Field(pattern=r"^[a-z0-9.-]+\.[a-z]{2,}$")
    region: Literal["CN", "TW", "HK"]
    what: str
    source: str = Field(min_length=10)


class _Contacts(_Frozen):
    numbers: tuple[_Number, ...]
    domains: tuple[_Domain, ...] = ()


@dataclass(frozen=True)
class PlainLaw:
    id: str
    protects: bool  # helps a person who was scammed: stop-payment, freezing, recovery, reporting
    every_victim: bool  # shown to every victim (stop-payment and freezing)
    title: Mapping[str, str]  # by locale tag
    means: Mapping[str, str]


@dataclass(frozen=True)
class ChatContent:
    plain_law: Mapping[str, PlainLaw]
    official: Official
    never_ask: tuple[str, ...]  # numbers whose verified entry says they never ask for money or codes
    emergency_numbers: tuple[str, ...]  # mainland numbers to call now: the police first, then the anti-fraud line


def _locales(text: _Text, s2t: opencc.OpenCC) -> Mapping[str, str]:
    return MappingProxyType({"zh-Hans": text.zh_Hans, "zh-Hant": s2t.convert(text.zh_Hans), "en": text.en})


def _read(path: Path, model: type[BaseModel]):
    try:
        return model.model_validate(load_yaml(path.read_text(encoding="utf-8")))
    except (OSError, YAMLError, ValueError) as error:
        raise ContentError([Problem(str(path), "", str(error))]) from error


def load_chat_content(content_dir: str | Path, catalog: Catalog) -> ChatContent:
    content_dir = Path(content_dir)
    law = _read(content_dir / "chat-law.yaml", _ChatLaw)
    contacts = _read(content_dir / "official-contacts.yaml", _Contacts)
    unknown = [ref_id for ref_id in law.refs if ref_id not in catalog.law]
    if unknown:  # catalog.law holds verified references only
        raise ContentError([Problem("chat-law.yaml", ref_id, "not a verified reference in law.yaml") for ref_id in unknown])
    hotlines = {line.number for line in catalog.hotlines}
    missing = [n.number for n in contacts.numbers if n.number not in hotlines]
    if missing:
        raise ContentError([Problem("official-contacts.yaml", n, "not a hotline in law.yaml") for n in missing])
    s2t = opencc.OpenCC("s2tw")
    plain = {
        ref_id: PlainLaw(ref_id, ref.protects, ref.every_victim, _locales(ref.title, s2t), _locales(ref.means, s2t))
        for ref_id, ref in law.refs.items()
    }
    official = Official(
        numbers=MappingProxyType({n.number: n.what for n in contacts.numbers}),
        domains=MappingProxyType({d.domain: d.what for d in contacts.domains}),
    )
    order = {"police": 0, "anti-fraud": 1}
    emergency = sorted((n for n in contacts.numbers if n.region == "CN" and n.kind in order), key=lambda n: order[n.kind])
    return ChatContent(
        MappingProxyType(plain), official, tuple(n.number for n in contacts.numbers if n.never_asks),
        tuple(n.number for n in emergency),
    )
