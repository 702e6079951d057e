"""What a pasted message contains: links, phone numbers, amounts, account numbers and requests. Pure.

Nothing here is a blacklist. Each thing found carries *signals*: facts about its shape that a person can
check for themselves (a link whose address does not carry the name of the company the message claims to be,
a short link, a bare IP address, an .apk download; a mobile or overseas number presented as a bank's or a
courier's; a request for a code, a screen share, a "safe account"). Which numbers and domains are official is
not known here: the caller passes a checked list (content/official-contacts.yaml) and only that is used.

    find(text, normal, official)  ->  Findings(artefacts=(Artefact("link", "http://sf-kd.top/x", ...), ...),
                                               channel="sms", brands=("sf",), ...)
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .normalise import URL_RE

# Link signals
SHORT_LINK = "short_link"
RAW_IP = "raw_ip"
APK = "apk"
BRAND_MISMATCH = "brand_mismatch"  # names a company, its address carries none of that name
LOOKALIKE = "lookalike"  # carries the name with extra pieces around it: sf-kd.top, icbc-vip.com
LISTED = "listed"  # the checked list of official contacts holds this exact number or domain
UNCONFIRMED = "unconfirmed"  # we cannot tell whether a link is genuine: say so
# Number signals
MOBILE_AS_OFFICIAL = "mobile_as_official"
OVERSEAS = "overseas"
CAN_BE_FAKED = "can_be_faked"
# Request signals
CODE = "code"
SCREEN_SHARE = "screen_share"
SAFE_ACCOUNT = "safe_account"
DOWNLOAD_APP = "download_app"
PAY = "pay"
POLICE_NEVER_ASK = "police_never_ask"
# Amounts and accounts
AMOUNT = "amount"
ACCOUNT_NUMBER = "account_number"


@dataclass(frozen=True)
class Brand:
    key: str
    names: tuple[str, ...]  # how a message names it (normalised: Simplified, lower case)
    hints: tuple[str, ...]  # letters its own web addresses would plausibly carry; absence is the signal
    kind: str  # "courier" | "bank" | "platform" | "government"


# Names and their romanisations only: no claim here about which domain is official.
BRANDS = (
    Brand("sf", ("顺丰", "sf express", "sf-express"), ("sf", "shunfeng"), "courier"),
    Brand("ems", ("中国邮政", "邮政", "ems"), ("ems", "chinapost", "post"), "courier"),
    Brand("jd", ("京东", "jd.com"), ("jd",), "platform"),
    Brand("taobao", ("淘宝", "天猫", "taobao", "tmall"), ("taobao", "tmall", "tb"), "platform"),
    Brand("wechat", ("微信", "wechat", "weixin"), ("weixin", "wechat", "qq"), "platform"),
    Brand("alipay", ("支付宝", "alipay"), ("alipay",), "platform"),
    Brand("12306", ("12306", "铁路"), ("12306",), "platform"),
    Brand("icbc", ("工商银行", "工行", "icbc"), ("icbc",), "bank"),
    Brand("ccb", ("建设银行", "建行", "ccb"), ("ccb",), "bank"),
    Brand("abc", ("农业银行", "农行"), ("abchina",), "bank"),
    Brand("boc", ("中国银行", "中行", "bank of china"), ("boc", "bankofchina"), "bank"),
    Brand("cmb", ("招商银行", "招行"), ("cmb",), "bank"),
    Brand("bocom", ("交通银行", "交行"), ("bankcomm",), "bank"),
    Brand("psbc", ("邮储银行", "邮政储蓄"), ("psbc",), "bank"),
)
_GENERIC_BANK = re.compile(r"银行|信用卡中心|bank|credit card")
_GENERIC_COURIER = re.compile(r"快递|快件|包裹|物流|派送|courier|parcel|package|delivery")
_OFFICIAL_VOICE = re.compile(r"客服|官方|银行|快递|快件|物流|公安|警察|警官|派出所|检察|法院|医保|社保|customer service|official|bank|police|courier")
_POLICE = re.compile(r"公安|警察|警官|民警|派出所|检察院|法院|公检法|96110|police|officer|prosecutor|court")

_SHORTENERS = frozenset({"t.cn", "url.cn", "dwz.cn", "suo.im", "bit.ly", "tinyurl.com", "t.co", "goo.gl", "is.gd", "ow.ly", "rb.gy", "cutt.ly"})
_IP_HOST = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?(1[3-9]\d[\s-]?\d{4}[\s-]?\d{4})(?!\d)")
_OVERSEAS = re.compile(r"(?<![\dA-Za-z])(?:\+|00)(?!86)([1-9]\d{0,2})[\s-]?\d[\d\s-]{5,14}\d(?!\d)")
_SERVICE_NUMBER = re.compile(r"(?<!\d)(9\d{4}|1\d{4}|1\d{2}|400[\s-]?\d{3}[\s-]?\d{4}|0\d{2,3}[\s-]?\d{7,8})(?!\d)")
_ACCOUNT = re.compile(r"(?<!\d)(?:\d[\s-]?){15,18}\d(?!\d)")
_AMOUNT = re.compile(
    r"(?:[¥￥]\s?\d[\d,]*(?:\.\d+)?|\d[\d,]*(?:\.\d+)?\s?(?:万元|万块|元|块钱|块|万|rmb|yuan)"
    r"|[一二两三四五六七八九十百千万]+(?:块钱|块|元|万))"
)
_REQUESTS = (
    (CODE, re.compile(r"验证码|校验码|动态码|短信码|verification code|security code|one-time code|otp|the code")),
    (SCREEN_SHARE, re.compile(r"共享屏幕|屏幕共享|开.{0,2}共享|远程(?:控制|协助)|会议软件|share (?:your |my )?screen|screen.?shar|remote (?:access|control)")),
    (SAFE_ACCOUNT, re.compile(r"安全账户|安全帐户|资金清查|验资账户|监管账户|safe account|secure account|safety account")),
    (DOWNLOAD_APP, re.compile(r"\.apk|下载.{0,6}(?:app|软件|应用|客户端)|安装.{0,6}(?:app|软件|应用)|(?:download|install) (?:the |an |this |our )?(?:app|apk|software)")),
    (PAY, re.compile(r"转账|转钱|转到|转给|转(?=\d)|汇款|打款|付款|支付|缴纳|保证金|手续费|解冻费|垫付|transfer|wire|pay |payment|deposit|fee")),
)
_CHANNELS = (
    ("sms", re.compile(r"^\s*【[^】]{1,20}】|短信|信息说|text message|texted|\bsms\b|a text\b")),
    ("call", re.compile(r"电话|来电|打来|打给我|通话|语音|\bcall(?:ed|ing|er)?\b|phoned|on the phone")),
    ("chat", re.compile(r"微信|qq|群里|私信|聊天|抖音|网友|wechat|whatsapp|telegram|chat|dm\b|messag")),
)


@dataclass(frozen=True)
class Artefact:
    kind: str  # "link" | "phone" | "amount" | "account" | "request"
    text: str  # as the person wrote it
    start: int
    end: int
    signals: tuple[str, ...] = ()
    host: str | None = None  # links: the address's host name


@dataclass(frozen=True)
class Official:
    """A checked list: numbers and domains with what each is (from content/official-contacts.yaml)."""

    numbers: Mapping[str, str] = field(default_factory=dict)  # "96110" -> "anti-fraud line"
    domains: Mapping[str, str] = field(default_factory=dict)  # "12321.cn" -> "spam reporting"


@dataclass(frozen=True)
class Findings:
    artefacts: tuple[Artefact, ...]
    channel: str | None  # "sms" | "call" | "chat" | "message" (pasted, with a link) | None: how the message reached the person
    brands: tuple[str, ...]  # brand keys the text names
    signals: tuple[str, ...]  # every signal, once, in order of appearance

    def of(self, kind: str) -> tuple[Artefact, ...]:
        return tuple(a for a in self.artefacts if a.kind == kind)

    def __bool__(self) -> bool:
        return bool(self.artefacts)


def _host(url: str) -> str:
    parts = urlsplit(url if "://" in url else "http://" + url)
    return (parts.hostname or "").lower().rstrip(".")


def _registered(host: str, domains: Mapping[str, str]) -> str | None:
    for domain in domains:
        if host == domain or host.endswith("." + domain):
            return domain
    return None


_SECOND_LEVEL = frozenset({"com", "net", "org", "gov", "edu", "co"})


def _registered_label(host: str) -> str:
    """The name a domain was registered under: sf-kd in sf-kd.top, qq in weixin.qq.com, icbc in icbc.com.cn."""
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else host


def _brands(normal: str) -> tuple[Brand, ...]:
    return tuple(brand for brand in BRANDS if any(name in normal for name in brand.names))


def _link(match: re.Match[str], original: str, brands: tuple[Brand, ...], official: Official) -> Artefact:
    url = match.group().rstrip(".,;:!?)]}'\"")
    host = _host(url)
    path = urlsplit(url if "://" in url else "http://" + url).path.lower()
    signals: list[str] = []
    if _registered(host, official.domains):
        signals.append(LISTED)
    if _IP_HOST.match(host):
        try:
            ipaddress.ip_address(host)
            signals.append(RAW_IP)
        except ValueError:
            pass
    if host in _SHORTENERS or (len(host) <= 6 and "." in host and len(path.strip("/")) <= 8 and RAW_IP not in signals):
        signals.append(SHORT_LINK)
    if path.endswith(".apk"):
        signals.append(APK)
    if brands and not signals:
        label = _registered_label(host)
        if not any(hint in host for b in brands for hint in b.hints):
            signals.append(BRAND_MISMATCH)
        elif not any(label == hint for b in brands for hint in b.hints):
            signals.append(LOOKALIKE)
    if LISTED not in signals:
        signals.append(UNCONFIRMED)
    start = match.start()
    return Artefact("link", original[start:start + len(url)], start, start + len(url), tuple(signals), host)


def find(original: str, normal: str | None = None, official: Official | None = None) -> Findings:
    """Everything checkable in the text, with its signals. `normal` is matcher.normalise(original)."""
    normal = normal if normal is not None and len(normal) == len(original) else original.lower()
    official = official or Official()
    brands = _brands(normal)
    official_voice = bool(_OFFICIAL_VOICE.search(normal) or brands)
    bankish = bool(_GENERIC_BANK.search(normal) or any(b.kind == "bank" for b in brands))
    courierish = bool(_GENERIC_COURIER.search(normal) or any(b.kind == "courier" for b in brands))
    found: list[Artefact] = []
    taken: list[tuple[int, int]] = []

    def free(span: tuple[int, int]) -> bool:
        return not any(span[0] < end and start < span[1] for start, end in taken)

    for match in URL_RE.finditer(normal):
        link = _link(match, original, brands, official)
        found.append(link)
        taken.append((link.start, link.end))
    for match in _OVERSEAS.finditer(normal):
        if free(match.span()):
            signals = [OVERSEAS] + ([CAN_BE_FAKED] if official_voice else [])
            found.append(Artefact("phone", original[match.start():match.end()], *match.span(), tuple(signals)))
            taken.append(match.span())
    for match in _MOBILE.finditer(normal):
        if free(match.span()):
            signals = ([MOBILE_AS_OFFICIAL] if bankish or courierish or official_voice else []) + ([CAN_BE_FAKED] if official_voice else [])
            found.append(Artefact("phone", original[match.start():match.end()], *match.span(), tuple(signals)))
            taken.append(match.span())
    for match in _ACCOUNT.finditer(normal):
        if free(match.span()):
            found.append(Artefact("account", original[match.start():match.end()], *match.span(), (ACCOUNT_NUMBER,)))
            taken.append(match.span())
    for match in _AMOUNT.finditer(normal):
        if free(match.span()):
            found.append(Artefact("amount", original[match.start():match.end()], *match.span(), (AMOUNT,)))
            taken.append(match.span())
    for match in _SERVICE_NUMBER.finditer(normal):
        if free(match.span()):
            number = re.sub(r"[\s-]", "", match.group())
            signals = [LISTED] if number in official.numbers else []
            if number in official.numbers or (official_voice and len(number) > 3):
                signals.append(CAN_BE_FAKED)
                found.append(Artefact("phone", original[match.start():match.end()], *match.span(), tuple(signals)))
                taken.append(match.span())
    asks_money_or_code = False
    for signal, pattern in _REQUESTS:
        match = pattern.search(normal)
        if match and (signal != DOWNLOAD_APP or free(match.span()) or match.group().startswith(".apk")):
            found.append(Artefact("request", original[match.start():match.end()], *match.span(), (signal,)))
            asks_money_or_code = asks_money_or_code or signal in (CODE, SAFE_ACCOUNT, PAY, SCREEN_SHARE)
    if asks_money_or_code and _POLICE.search(normal):
        match = _POLICE.search(normal)
        found.append(Artefact("request", original[match.start():match.end()], *match.span(), (POLICE_NEVER_ASK,)))
    found.sort(key=lambda a: a.start)
    signals: list[str] = []
    for artefact in found:
        for signal in artefact.signals:
            if signal not in signals:
                signals.append(signal)
    return Findings(tuple(found), channel(normal), tuple(b.key for b in brands), tuple(signals))


def channel(normal: str) -> str | None:
    """How the message reached the person, when the text says so; a pasted text with a link is a message."""
    words = URL_RE.sub(" ", normal)  # "qq" inside weixin.qq.com does not make it a chat
    for name, pattern in _CHANNELS:
        if pattern.search(words):
            return name
    if URL_RE.search(normal):
        return "message"
    return None
