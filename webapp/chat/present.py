"""A ChatResult in words: the JSON body of /api/v1/chat and the context of templates/chat/_exchange.html.

Every string comes out in the answer's language: callers run `present` inside `force_locale(answer.lang)`
(see `in_answer_language`), so the labels, the verdict and the catalog's texts agree.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ..i18n import from_tag
from ..matcher import artefacts as a
from . import role as roles
from . import service as s
from .service import ChatResult


@contextmanager
def in_answer_language(result: ChatResult) -> Iterator[None]:
    with force_locale(from_tag(result.lang)):
        yield


def verdict_text(result: ChatResult) -> str | None:
    if result.verdict == s.LIKELY:
        title = result.matches[0].title
        if result.role == roles.ACCOMPLICE:
            return _("What you describe is: %(title)s", title=title)
        if result.role == roles.UNCLEAR:
            return _("This may be: %(title)s", title=title)
        return _("This looks like: %(title)s", title=title)
    return {
        s.SEVERAL: _("It could be one of these:"),
        s.UNLIKELY: _("This does not look like a scam, but…"),
        s.CAUTION: _("I can't tell which scam this is, but this message has warning signs:"),
        s.UNKNOWN: _("I can't tell yet whether this is a scam."),
        s.HELP: result.emergency.intro if result.emergency else None,
    }.get(result.verdict)


def role_note(result: ChatResult) -> str | None:
    if result.role == roles.ACCOMPLICE:
        return _("This may be against the law, and you yourself would be held responsible. Do not agree, and hand over no card, account or code.")
    if result.role == roles.UNCLEAR:
        return _(
            "It depends on who wants what. If they want your money, you are the one being cheated: pay nothing and "
            "give no code. If they want you to do something for them, such as lend an account, scan a code to verify "
            "for them or move money, that helps scammers and can be against the law for you: say no."
        )
    return None


def channel_advice(channel: str | None) -> str | None:
    return {
        "sms": _("Do not tap the link in the text or call the number in it. To check a parcel, an account or a payment, open the official app yourself or call a number you looked up yourself."),
        "message": _("Do not open the link yet. To check, open the official app yourself or call a number you looked up yourself."),
        "call": _("Hang up. Call back on a number you looked up yourself (on the back of your card or in the official app), never on one the caller gives you."),
        "chat": _("Do not pay and do not tap links they send. Check with the person or company yourself, by phone or face to face."),
    }.get(channel or "")


def _signal_text(signal: str, artefact: a.Artefact, result: ChatResult) -> str | None:
    host = artefact.host or artefact.text
    number = artefact.text
    texts = {
        a.BRAND_MISMATCH: lambda: _("The message names a company, but the link goes to %(host)s, an address without that company's name. Scammers use addresses like this.", host=host),
        a.LOOKALIKE: lambda: _("The link %(host)s has a company's name with extra pieces around it. That is how look-alike fake addresses are made.", host=host),
        a.SHORT_LINK: lambda: _("%(host)s is a short link: you cannot see where it really goes.", host=host),
        a.RAW_IP: lambda: _("The link is a bare number address (%(host)s), not a name. A real company's link rarely looks like this.", host=host),
        a.APK: lambda: _("The link downloads an app file (.apk) from outside the app store. An app like that can read your messages and codes."),
        a.UNCONFIRMED: lambda: _("I cannot confirm whether %(host)s is genuine. The safe habit: do not open links from messages; open the official app yourself.", host=host),
        a.MOBILE_AS_OFFICIAL: lambda: _("%(number)s is an ordinary mobile number, yet it is presented as a bank's, a courier's or an official one. Check on a number you looked up yourself.", number=number),
        a.OVERSEAS: lambda: _("%(number)s is a number from abroad (it starts with + or 00). Be very careful when someone claiming to be a bank, a courier or an official contacts you from abroad.", number=number),
        a.CAN_BE_FAKED: lambda: _("The number shown on your phone can be faked: the law bans caller-ID changing tools because scammers use them. A familiar number proves nothing."),
        a.CODE: lambda: _("They want a code. A code is the key to your account: never give it to anyone, whoever they say they are."),
        a.SCREEN_SHARE: lambda: _("They want you to share your screen or allow remote control. Then they can see your codes and move your money. Stop and close it."),
        a.SAFE_ACCOUNT: lambda: _("There is no such thing as a \"safe account\": police, prosecutors and courts never ask anyone to transfer money."),
        a.POLICE_NEVER_ASK: lambda: _("Police, prosecutors and courts have no \"safe account\" and never ask you to transfer money. When the police warn you, they never ask for passwords or codes."),
        a.DOWNLOAD_APP: lambda: _("They want you to install an app from a link. Install apps only from your phone's app store."),
        a.PAY: lambda: _("They want money from you first. Stop before you pay anything."),
        a.AMOUNT: lambda: _("The amount: %(amount)s. If you have paid it, write down the amount, the time and their account: the police will need them.", amount=artefact.text),
        a.ACCOUNT_NUMBER: lambda: _("A bank card or account number (ending %(last)s). Never transfer money to an account someone sends you, and do not send your own card number.", last=artefact.text.replace(" ", "").replace("-", "")[-4:]),
    }
    if signal == a.LISTED:
        if artefact.kind == "link":
            return _("%(host)s is on our checked list of official addresses. Even so, type it in yourself rather than tapping a link in a message.", host=host)
        if artefact.text.replace(" ", "") in result.never_ask:
            return _("%(number)s is the anti-fraud warning line: answer it. When the police warn you, they never ask you to transfer money, or for passwords or codes.", number=number)
        return None
    make = texts.get(signal)
    return make() if make else None


_ORDER = (a.POLICE_NEVER_ASK, a.SAFE_ACCOUNT, a.CODE, a.SCREEN_SHARE, a.APK, a.DOWNLOAD_APP, a.BRAND_MISMATCH,
          a.LOOKALIKE, a.RAW_IP, a.SHORT_LINK, a.MOBILE_AS_OFFICIAL, a.OVERSEAS, a.LISTED, a.CAN_BE_FAKED,
          a.ACCOUNT_NUMBER, a.UNCONFIRMED, a.PAY, a.AMOUNT)


def signals(result: ChatResult) -> list[dict]:
    """What the message contains, each as a signal explained in words; the most telling first, each once."""
    seen: set[tuple[str, str]] = set()
    present_signals = set(result.findings.signals)
    skip = set()
    if a.POLICE_NEVER_ASK in present_signals:
        skip.add(a.SAFE_ACCOUNT)  # the police line says it already
    if a.PAY not in present_signals or result.role in (roles.ACCOMPLICE, roles.UNCLEAR):
        skip.add(a.AMOUNT)  # an amount matters when they want the person's money
    if result.urgent:
        skip.add(a.PAY)  # "stop before you pay" is too late; the emergency steps say what to do
    items = []
    for artefact in result.findings.artefacts:
        for signal in artefact.signals:
            key = (signal, artefact.host or "") if artefact.kind == "link" else (signal, "")
            if signal == a.UNCONFIRMED and len(artefact.signals) > 1:
                continue  # a link with a sharper signal needs no "cannot confirm"
            if key in seen or signal in skip:
                continue
            explain = _signal_text(signal, artefact, result)
            if explain:
                seen.add(key)
                shown = artefact.text if artefact.kind != "account" else "…" + artefact.text[-4:]
                items.append({"kind": artefact.kind, "signal": signal, "text": shown, "explain": explain})
    items.sort(key=lambda item: _ORDER.index(item["signal"]) if item["signal"] in _ORDER else len(_ORDER))
    return items


def actions(result: ChatResult) -> list[str]:
    if result.urgent:
        return []  # the emergency steps are the actions
    advice = channel_advice(result.channel)
    return ([advice] if advice else []) + list(result.actions)


def reminder(result: ChatResult) -> str:
    numbers = result.emergency_numbers
    police, hotline = (numbers + ("", ""))[:2]
    if result.urgent and result.emergency:
        return result.emergency.recovery_warning
    if result.reminder == s.ALREADY_GAVE:
        return _("If you have already handed over a card or account: report it lost to the bank or phone company now, and tell the police on %(police)s or at a police station. Not sure? Call %(hotline)s.", police=police, hotline=hotline)
    if result.reminder == s.TOO_LATE:
        return _("If you have already paid or given a code: call %(police)s now to report it, then %(hotline)s for advice.", police=police, hotline=hotline)
    return result.notice or ""


def whose_label(whose: str) -> str:
    return {
        "protects": _("What protects you"), "scammer": _("What the scammer faces"), "you": _("What you would face"),
    }[whose]


def present(result: ChatResult) -> dict:
    """The answer as the JSON contract of design.md (plus verdict, actions, signals); call in the answer's language."""
    matches = []
    for match in result.matches:
        matches.append({
            "slug": match.slug,
            "title": match.title,
            "score": match.score,
            "why": list(match.why),
            "role": match.type_role,
            "warning": role_note(result) if match is result.matches[0] and role_note(result) else match.summary,
            "summary": match.summary,
            "actions": list(match.actions[: s.MAX_ACTIONS]),
            "steps": list(match.steps),
            "red_flags": list(match.red_flags[:3]),
            "law": [
                {
                    "id": point.id, "title": point.title, "meaning": point.means, "whose": point.whose,
                    "whose_label": whose_label(point.whose), "source": point.source,
                    "penalty": point.means if point.whose != "protects" else None,
                    "url": url_for("explainers.law") + f"#{point.id}",
                }
                for point in match.law
            ],
            "url": url_for("explainers.scam", slug=match.slug),
        })
    data: dict = {
        "lang": result.lang,
        "verdict": {"kind": result.verdict, "text": verdict_text(result)},
        "urgent": result.urgent,
        "role": result.role if result.role in (roles.VICTIM, roles.ACCOMPLICE) else None,
        "role_unclear": result.role == roles.UNCLEAR,
        "role_note": role_note(result),
        "actions": actions(result),
        "matches": matches,
        "signals": signals(result),
        "channel": result.channel,
    }
    if result.emergency:
        data["emergency"] = {
            "intro": result.emergency.intro,
            "steps": list(result.emergency.steps),
            "hotlines": [{"number": line.number, "role": line.role.get(result.lang)} for line in result.emergency.hotlines],
            "warning": result.emergency.recovery_warning,
        }
    if result.reply:
        data["reply"] = result.reply
    if result.fallback:
        data["fallback"] = result.fallback
    elif not result.matches and not result.reply:
        data["fallback"] = verdict_text(result) or ""
    data["notice"] = reminder(result)
    return data
