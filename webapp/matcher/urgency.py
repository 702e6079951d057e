"""Is the person in trouble right now? Three kinds of signal, read from normalised text.

(a) money, card details or codes already handed over, or a remote-control / screen-sharing app installed;
(b) the scam is going on right now (still on the call, at the bank or ATM, coached step by step, isolated in a hotel);
(c) someone is being threatened now (extortion with recordings, ransom for a person held).
A person who was only contacted or asked is not urgent, nor is one who nearly paid but stopped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# What people type when it already happened. Normalised text is Simplified Chinese, lower case.
_HANDED_OVER_ZH = [
    r"(转|汇|打|付|交|充|缴|垫|投|存|借|贷)(了|过去|进去|给他|给她|给对方|给了|完|光)(?!解)",
    r"(转账|汇款|付款|充值|打款|缴费|垫付|下单)(了|成功|过去)",
    r"(给|告诉|发|报|念|说)(了)?(他|她|对方|客服|警察|那人|那个人)?(了)?.{0,4}(验证码|密码|卡号|动态码|短信码)",
    r"(验证码|密码|卡号|身份证号?|银行卡号?).{0,6}(给了|告诉了|发给了|报给了|说了|填了|输了|输入了|发过去)",
    r"(输入|填写|填|输)了.{0,8}(验证码|密码|卡号|身份证)",
    r"把.{0,6}(验证码|密码|卡号|动态码).{0,2}(给|告诉|发|报|说)",
    r"(下载|安装|装)了.{0,12}(app|软件|会议|共享|屏幕|远程|teamviewer|向日葵|zoom|腾讯会议|飞书)",
    r"(开了|打开了|开启了|点了)?.{0,4}(屏幕共享|共享屏幕|共享了屏幕|远程控制)",
    r"(被骗了|被骗走|骗走了|骗了我|钱没了|血本无归|损失了|亏了|提不了现|提现不了|无法提现|取不出来|提不出来|不能提现|出不了金)",
    r"(卡|账户|账号|钱)被(冻结|盗刷|转走|划走)",
]
_HANDED_OVER_EN = [
    r"\b(i|we|he|she|they|mum|mom|mother|dad|father|grandma|grandpa|my \w+)( have| has| had|'ve|'d)?( already| just)? (sent|transferred|paid|wired|deposited|gave|handed|told (him|her|them) the|installed|downloaded|shared my screen|topped up|lost|put in)\b",
    r"\balready (sent|paid|transferred|gave|deposited|installed|shared)",
    r"\b(can'?t|cannot|unable to) withdraw\b",
    r"\b(gave|told|sent|read out) (him|her|them|the caller)? ?(the |my )?(code|verification code|password|pin|card number)",
    r"\b(lost|scammed out of) (\d|my|all|everything)",
    r"\b(installed|downloaded) .{0,25}(app|screen|zoom|teamviewer|anydesk)",
]
# Going on right now.
_ONGOING_ZH = [
    r"还在(跟他|和他|跟对方|和对方|跟她|和她)?(通话|打电话|电话上|电话里|视频|聊|语音)",
    r"(电话|视频)(还)?没(有)?挂|没挂(电话|断)?|不(让|准)(我|她|他)?挂",
    r"正在(转|汇|办|操作|通话|打电话|取钱|取款|汇款|转账|按|输)",
    r"(现在|此刻|我人|她人|他人|人)(就|已经|正)?(在|到了|到)(银行|atm|柜台|营业厅|柜员机|取款机)",
    r"(在|到了)(银行|atm|柜员机|取款机).{0,6}(门口|前面|排队|这里|里面|了)",
    r"(让|叫|要)(我|她|他|我妈|我爸).{0,6}(马上|立刻|赶紧|现在)?(去|到)(银行|atm|酒店|宾馆|旅馆)",
    r"(酒店|宾馆|旅馆).{0,10}(开房|住下|一个人|隔离|不能(出门|联系|告诉)|不许)",
    r"一步一步|手把手|按(他|她|对方)说的(在)?(操作|做|按)|(他|她|对方)(现在)?(正)?在(教|指导|指挥)(我|她|他)",
]
_ONGOING_EN = [
    r"\bstill on the (phone|call|line|video)",
    r"\b(right now|as we speak|at this moment)\b",
    r"\b(i'?m|i am|she'?s|she is|he'?s|he is|mum is|mom is|we'?re|we are) (now )?(at|in|outside) (the |a )?(bank|atm|hotel|branch)",
    r"\b(step by step|walking me through|guiding me|telling me what to (press|do))",
    r"\b(won'?t|will not|doesn'?t|does not) let (me|her|him) hang up",
]
# A threat now.
_THREAT_ZH = [
    r"威胁|勒索|敲诈|恐吓",
    r"不(给|转|打|交)(钱)?(就|的话).{0,12}(发|曝光|公开|散布|寄|撕票|弄死|打)",
    r"(把|将|要把|要将)?(视频|录像|照片|裸照|录屏).{0,10}(发给|发到|发出去|寄给|公开|曝光|传到)",
    r"绑架|赎金|撕票|人在(我们|他们|我)手(里|上)",
]
_THREAT_EN = [
    r"\b(threaten|threatening|threatened|blackmail|extort|extortion|ransom|kidnap)",
    r"\b(send|post|share|leak|spread) (the |my |this |that )?(video|photos|pictures|recording)s? to",
]
# Said within a few characters before the act, these undo it. "Nearly paid", "haven't sent yet",
# "luckily stopped" undo any signal; "he told me to ..." undoes only a hand-over (a request is not
# a payment), never a scam in progress ("he is making me do it step by step").
_NOT_DONE = (
    re.compile(r"(差点|差一点|险些|还没|没有|没|不要|别|幸好|幸亏|好在|好彩|要不要|该不该|能不能|准备|打算|想要|想|会不会|是否|是不是要)(就|都|要|先)?$"),
    re.compile(r"\b(almost|nearly|not yet|haven'?t|hasn'?t|didn'?t|did not|before (i|she|he)|should i|do i|if i|whether to)\b[^.?!]{0,30}$"),
)
_ASKED = (
    re.compile(r"(让我|叫我|要我|要求我|让她|让他)(就|都|要|先)?$"),
    re.compile(r"\b(want me to|asked me to|asks me to|told me to|wants me to)\b[^.?!]{0,30}$"),
)
_UNDONE_BY = {"handed_over": (_NOT_DONE, _ASKED), "ongoing": (_NOT_DONE,), "threat": ()}

_COMPILED = {
    "handed_over": [re.compile(p) for p in _HANDED_OVER_ZH + _HANDED_OVER_EN],
    "ongoing": [re.compile(p) for p in _ONGOING_ZH + _ONGOING_EN],
    "threat": [re.compile(p) for p in _THREAT_ZH + _THREAT_EN],
}


@dataclass(frozen=True)
class Urgency:
    urgent: bool
    reasons: tuple[str, ...]  # which of handed_over / ongoing / threat were seen
    spans: tuple[tuple[int, int], ...]


def _undone(reason: str, text: str, start: int) -> bool:
    """Is the signal at `start` undone by what was said just before it?"""
    for chinese, english in _UNDONE_BY[reason]:
        if chinese.search(text[max(0, start - 6):start]) or english.search(text[max(0, start - 50):start]):
            return True
    return False


def assess(text: str) -> Urgency:
    """Read urgency signals from normalised text."""
    reasons, spans = [], []
    for reason, patterns in _COMPILED.items():
        for pattern in patterns:
            for match in pattern.finditer(text):
                if _undone(reason, text, match.start()):
                    continue
                reasons.append(reason)
                spans.append(match.span())
                break
            if reason in reasons:
                break
    return Urgency(bool(reasons), tuple(dict.fromkeys(reasons)), tuple(spans))
