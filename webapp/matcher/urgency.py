"""Is the person in trouble right now? Six kinds of signal, read clause by clause from normalised text.

(a) handed_over: money, card details or codes already handed over (also cash to a courier at the door),
    a remote-control / screen-sharing app installed, or money that cannot be taken out any more;
    stuck: the person's own money held in a platform (a fee it asks for first is not the person's plan);
(b) ongoing: the scam is going on right now (still on the call, at the bank or ATM, coached step by step,
    isolated in a hotel);
(c) threat: someone is being threatened now (extortion with recordings, "or I send it to your contacts",
    a deadline, "if you call the police");
(d) detention: a person held (in a compound abroad, passport taken) or ransom asked;
(e) secrecy: told to keep it secret, with a transfer about to happen (today, tomorrow morning, now).
Each signal is read with its clause: who did it (the person, or a stranger in the news, a colleague last
year), finished or only asked or planned (了/过 vs 让我/要我, 准备/打算), stopped in time (差点, 还没去).
A person who was only contacted or asked is not urgent, nor is one who nearly paid but stopped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# What people type when it already happened. Normalised text is Simplified Chinese, lower case
# (Cantonese particles are already Mandarin: 咗 → 了, 佢 → 他; see normalise.py).
_HANDED_OVER_ZH = [
    r"(转|汇|付|交|充|缴|垫|投|借|贷)(了|过去了|进去了|给他了|给她了|给对方了|给了|完了|光了|过去|进去|给他|给她|给对方|完|光)(?!解)",
    r"打了(\d|[一二两三四五六七八九十几]+(千|万|百|块))|打\d[\d,.]*\s?(万|千|百|块|元|w|k)|打\d+(到|给|过去|进)|打[一二两三四五六七八九十几]+(千|万|百|块)"
    r"|打(了)?(钱|款)|打(过去|给他|给她|给对方)",
    r"(转账|汇款|付款|充值|打款|缴费|垫付|下单)(了|成功|过去)",
    r"(给|告诉|发给|报给|念给|说给)(了)?(他|她|对方|客服|警察|那人|那个人|别人)(了)?.{0,4}(验证码|密码|卡号|动态码|短信码)",
    r"(告诉|发|报|念|说|给)了.{0,4}(验证码|密码|卡号|动态码|短信码)",
    r"(验证码|密码|卡号|身份证号?|银行卡号?).{0,6}(给了|告诉了|发给了|报给了|说了|填了|输了|输入了|发过去|填完|输完)",
    r"(验证码|密码|卡号|身份证|银行卡)[^，。]{0,10}(拍给|拍了发给|传给)",
    r"(验证码|密码|卡号|动态码).{0,3}(给|告诉|发给|报给)(了)?(别人|陌生人|人家|对方|他|她)了",
    r"(输入|填写|填|输)(了|完|好了).{0,8}(验证码|密码|卡号|身份证)",
    r"(填|输|扫)(完|了)(以后|之后|就)?.{0,6}(扣款|扣了|被扣|转走|没了)",
    r"把.{0,6}(验证码|密码|卡号|动态码).{0,2}(给|告诉|发|报|说)(?!错)",
    r"(下载|安装|装|下)了.{0,12}(app|软件|会议|共享|屏幕|远程|teamviewer|向日葵|zoom|腾讯会议|飞书)",
    r"(开了|打开了|开启了|点了|同意了|接受了).{0,6}(屏幕共享|共享屏幕|共享|远程控制|远程)",
    r"(屏幕共享|共享屏幕|共享|远程控制|远程).{0,8}(开了|打开了|开着|开启了)",
    r"(他|她|对方)(都|全)?能看到(我)?(的)?(手机|屏幕|东西)|(手机|屏幕)上的(东西|内容)(他|她|对方)(都|全)?能看到",
    r"(被骗了|被骗走|骗走了|骗了我|钱没了|血本无归|损失了|亏了|提不了现|提现不了|无法提现|取不出来|提不出来|不能提现|出不了金|提不到款|提唔到款)",
    r"(卡|账户|账号|钱)被(盗刷|转走|划走|骗走)",
    r"(钱|款|付|转|交|充)[^。！？]{0,10}(被拉黑|把我拉黑|拉黑了|删了我|被删|联系不上|不回(我)?消息)",
    r"(转|汇|打|存|充)(到|进)了",
    r"(填|输)(到|进)[^，。]{0,8}(里|上)?了",
    r"(现金|钱|存折|银行卡|卡|提款卡|金条|首饰)[^，。]{0,4}(给了|交给了|交给|递给|拿给)(?!我)",
    r"卡在(里面|平台|里头|上面)|(钱|资金)[^，。]{0,6}(取不出|提不出|被冻结|冻结了)",
]
_HANDED_OVER_EN = [
    r"\b(i|we|he|she|mum|mom|mother|dad|father|grandma|grandpa|my \w+)( have| has| had|'ve|'d)?( already| just)? (sent|transferred|paid|wired|deposited|gave|handed|told (him|her|them) the|installed|downloaded|shared my screen|topped up|lost|put in)\b",
    r"\balready (sent|paid|transferred|gave|deposited|installed|shared)",
    r"\b(can'?t|cannot|unable to) withdraw\b",
    r"\b(gave|told|sent|read out) (him|her|them|the caller)? ?(the |my |her |his )?(\w+ )?(code|verification code|password|pin|card number|digits)",
    r"\bjust (paid|sent|transferred|wired|gave|handed)\b",
    r"\b(walked|talked) (me|her|him) through (downloading|installing)",
    r"\b(lost|scammed out of) (\d|my|all|everything)",
    r"\b(installed|downloaded) .{0,25}(app|screen|zoom|teamviewer|anydesk)",
    r"\b(paid|sent|transferred)\b.{0,40}\b(blocked me|ghosted|disappeared|stopped replying)",
    r"\b(gave|handed) (the|my|his|her)? ?(cash|money|card|bank card) to",
]
# Money stuck in a platform: the person's own money in it (not a "profit" it shows: a fee asked before that can be
# withdrawn is only asked, as the dev set has it) and the withdrawal held or frozen. A fee it asks for ("才能出金")
# does not make it a plan: what is in there is the person's already.
_STUCK = [
    r"(本金|钱还在|我的钱|资金还在)[^。！？]{0,20}(出金|提现|提款|提币|提不|取不出|不给提|冻结)"
    r"|(出金|提现|提款|提币|冻结)[^。！？]{0,24}(本金|钱(都|还)?(还)?在里面)",
    r"\b(savings|principal|my money|my deposit)\b.{0,50}\b(withdraw|cash out|frozen)"
    r"|\bwithdrawals?\b.{0,40}\b(pending|blocked|frozen|refused)",
]
# Going on right now.
_ONGOING_ZH = [
    r"还在(跟|和)?(他|她|对方|我|我妈|我爸)?(通话|打电话|电话上|电话里|视频|聊|语音)",
    r"(电话|视频|语音)(还)?(一直)?没(有)?(挂|断)|没挂(电话|断)?|不(让|准)(我|她|他)?挂",
    r"正在(转|汇|办|操作|通话|打电话|取钱|取款|汇款|转账|按|输)",
    r"(现在|此刻|我人|她人|他人|人)(就|已经|正)?(在|到了|到)(银行|atm|柜台|营业厅|柜员机|取款机|超商|超市|便利店|店里|金店)",
    r"(在|到了)(银行|atm|柜员机|取款机|超商).{0,6}(门口|前面|排队|这里|里面|了)",
    r"(让|叫|要)(我|她|他|我妈|我爸).{0,6}(马上|立刻|赶紧|现在)?(去|到)(银行|atm|酒店|宾馆|旅馆)",
    r"(酒店|宾馆|旅馆).{0,10}(开房|住下|一个人|隔离|不能(出门|联系|告诉)|不许)",
    r"(住|关|待)(在)?(酒店|宾馆|旅馆).{0,12}(不许|不让|不准|不能)",
    r"(酒店|宾馆|旅馆)[^。！？]{0,10}(配合调查|调查|住了|住下|已经住)|(叫|带)(去|到)(了)?.{0,4}(酒店|宾馆|旅馆)",
    r"一步一步|手把手|按(他|她|对方)说的(在)?(操作|做|按)|(他|她|对方)(现在)?(正)?在(教|指导|指挥)(我|她|他)",
    r"(还在|现在)(电话|视频)(上|里)",
    r"还在(银行|atm|柜台|营业厅|取款机)",
    r"(现在|正)(在)?(电话|视频)(里|上)(教|让|叫|指导|指挥)",
    r"(他|她|对方)(现在|正在|正)(在)?(让|叫|要|教|指导)(我|她|他|我妈|我爸)",
    r"被.{0,6}(视频|电话)(电话)?控制",
]
_ONGOING_EN = [
    r"\bstill on (the |a )?(video )?(phone|call|line|video)",
    r"\b(can'?t|cannot|not allowed to|mustn'?t) hang up\b",
    r"\b(stay|check|checked|staying) (in|into) (a|the|this) hotel\b.{0,50}\b(not|don'?t|no one|nobody)\b",
    r"\b(right now|as we speak|at this moment)\b",
    r"\b(i'?m|i am|she'?s|she is|he'?s|he is|mum is|mom is|we'?re|we are) (now )?(at|in|outside) (the |a )?(bank|atm|hotel|branch)",
    r"\b(step by step|walking me through|guiding me|telling me what to (press|do))",
    r"\b(won'?t|will not|doesn'?t|does not) let (me|her|him) hang up",
]
# A threat now.
_THREAT_ZH = [
    r"威胁|勒索|敲诈|恐吓",
    r"不(给|转|打|交)(钱)?(就|的话).{0,12}(发|曝光|公开|散布|寄|撕票|弄死|打)",
    r"(把|将|要把|要将)?(视频|录像|照片|裸照|录屏|画面|聊天记录).{0,10}(发给|发到|发出去|寄给|公开|曝光|传到|散布|散播|传给)",
    r"(录|拍)(下|了)(我)?(的)?.{0,6}(不雅|裸|隐私)",
    r"通讯录.{0,8}(在(他|她|对方|我)(的)?手(里|上)|在(他|她)那|被(他|她|对方)?(拿|导)走)",
    r"不(给|转|打|交|汇|付|还|结清|续费)[^，。？！]{0,8}(就|的话).{0,14}(发|曝光|公开|散布|寄|弄死|打|好看|闹|上门|挂到网上|挂网上|让.{0,10}看)",
    r"知道(你|我)(的)?(家|家人|女儿|儿子|孩子|小孩|老婆|老公|父母|爸妈)(住|在哪|在哪里|哪|读|上学|的学校|的地址)",
    r"(好友列表|通讯录|联系人|好友名单)[^。！？]{0,12}(发过来|发给我|截图)|(截图|视频|照片)[^。！？]{0,12}(好友列表|通讯录|联系人|好友名单)",
    r"(不然|否则|要不然)(就|我就)?.{0,10}(发给|发到|寄给|曝光|公开|群发|散布|好看)",
    r"(要是|敢|如果|若)报警.{0,10}(就|让|见不到)|(全家|家人|你)好看",
    r"(影片|视频|照片|录像).{0,6}(寄给|发给|传给)",
]
_THREAT_EN = [
    r"\b(threaten|threatening|threatened|blackmail|extort|extortion|kidnap)",
    r"\b(send|post|share|leak|spread) (the |my |this |that )?(video|photos|pictures|recording)s? to",
    r"\b(we|i) have your (video|photos|pictures|recording|nudes)",
    r"\b(screenshot|list) of (my|your) (\w+ )?(friends|contacts|followers)",
    r"\b(if (i|you|we) (don'?t|do not)|unless (i|you|we)) (pay|send|transfer|wire)\b.{0,40}\b(house|home|work|office|contacts|family|hurt|beat|kill)"
    r"|\b(house|home|work|office|contacts|family|hurt|beat|kill)\b.{0,40}\b(if (i|you|we) (don'?t|do not)|unless (i|you|we)) (pay|send|transfer|wire)\b",
    r"\b(or|unless)\b.{0,40}\b(send|post|share|leak|go to|goes to|sent to)\b.{0,30}\b(contacts|everyone|family|friends|wife|husband)",
]
# A person held: in a compound abroad, passport taken, ransom.
_DETENTION_ZH = [
    r"绑架|被绑|绑着|赎金|赎人|赎(他|她)|赎回(他|她|人|孩子)|撕票|(在|落在)(我们|他们|我)手(里|上)",
    r"(才|就)(放|让)(他|她|人|你|我)(回来|回家|回国|走|出来|离开)|放人",
    r"被(关|扣|困|押|控制|软禁)(在|住|着|了)|扣着不让走|(出|回|走)不来|不让(走|回国|回家|离开)|护照被(收|扣|拿)",
]
_DETENTION_EN = [
    r"\b(ransom|kidnapp?ed|hostage)",
    r"\b(held|detained|locked up|trapped|kept|imprisoned)\b.{0,30}\b(compound|camp|abroad|cambodia|myanmar|burma|laos|thailand|park|against)",
    r"\btook (his|her|my) passport",
    r"\b(won'?t|will not|don'?t|do not) let (him|her|them|me|my \w+) (leave|go home|come home|come back)\b",
    r"\bthey have (my|your|our) (son|daughter|child|kid|husband|wife|grandson|granddaughter|brother|sister|mum|mom|dad)\b",
]
# Told to keep it secret, and a transfer about to happen.
_SECRECY = re.compile(r"保密|机密|秘密|别声张|不要声张|别告诉|不要告诉|不能告诉|不许告诉|不准告诉|不能(跟|和|对).{0,6}(说|讲)|都不能说|不得.{0,6}透露|"
                      r"(不要|别|不能)让.{0,6}知道|不(让|许)我问|\b(don'?t|do not) tell|\bnot to (tell|mention|loop in)|keep (it|this) (a )?secret|\bconfidential")
_IMMINENT = re.compile(r"(马上|立刻|今天|今日|明天|一早|下午|晚上|现在|正准备|正要|这就|一会儿?|待会儿?)[^。！？]{0,14}(转|汇|取|打款|打过去|去银行|付)"
                       r"|\b(today|tomorrow|now|tonight|this (afternoon|morning|evening))\b.{0,30}\b(transfer|pay|wire|withdraw|send)"
                       r"|\b(transfer|pay|wire|withdraw|send)\b.{0,30}\b(today|tonight|this (afternoon|morning|evening))\b")
# Said within a few characters before the act, these undo it. "Nearly paid", "haven't sent yet",
# "luckily stopped" undo any signal; a request or a plan in the same clause ("he told me to ...",
# "I want to ...", "should I ...") undoes only a hand-over, never a scam in progress ("he is making
# me do it step by step"); so does a condition after it ("pay and you'll get the loan").
_NOT_DONE = (
    re.compile(r"(差点|差一点|险些|还没|没有|没|不要|别|幸好|幸亏|好在|好彩|要不要|该不该|能不能|准备|打算|想要|想|会不会|是否|是不是要|再)(就|都|要|先)?(把)?$"),
    re.compile(r"\b(almost|nearly|not yet|haven'?t|hasn'?t|didn'?t|did not|before (i|she|he)|should i|do i|if i|whether to)\b[^.?!]{0,30}$"),
)
_ASKED = (
    re.compile(r"(让|叫|要|要求|逼|催|教)(我|她|他|我们|我妈|我爸|俺)"),
    re.compile(r"\b(want me to|asked me to|asks me to|told me to|wants me to|should i|if i|in order to)\b[^.?!]{0,30}$"),
)
_PLANNED = (
    re.compile(r"想(把|要|去)|打算|准备|要不要|该不该|能不能|可不可以|如果|要是|假如|万一|只要|才能|的话|等.{1,12}(就|再)"),
    re.compile(r"\b(should i|if i|in order to|shall i|can i)\b[^.?!]{0,30}$"),
)
_DONE = re.compile(r"了|过|完")  # "he had me pay" is paid: a request in the past is a hand-over
_CONDITION_AFTER = re.compile(r"^[^，。,.!?！？]{0,5}(就(能|可以|会|给|批|放|发)|才(能|可以|给|会))")
_CLAUSE_END = re.compile(r"[，。！？；,.!?;\n]")
_NEARLY = re.compile(r"差点|差一点|险些|\b(almost|nearly)\b")  # anywhere in the clause before
_NOT_YET_AFTER = re.compile(r"^[^。！？]{0,16}(还没|没有|没|并没)(去|转|给|交|付|做|按|汇|打)|^[^.!?]{0,30}\b(haven'?t|didn'?t|did not) (go|pay|send)")
# Someone else's story: the news, a colleague, a stranger; or long ago.
_SOMEONE_ELSE = re.compile(r"新闻|报道|听说|同事|邻居|室友|闺蜜|有个(老人|人|大爷|大妈|阿姨)|网上说|视频里|去年|前年|几年前|前几年|上学期"
                           r"|\b(the news|a colleague|my colleague|my friend|someone i know|last year|years ago)\b")
_TO_ME = re.compile(r"(往|给|向)我(的)?(卡|账户|账号|微信|支付宝)?(里|上)?.{0,4}(转|汇|打)|(转|汇|打)(了)?(给|到)我(?!的)|"
                    r"\b(sent|transferred|paid) (me|into my)\b")
_NEGATED = re.compile(r"(没有|没|并没|从没|从来没|不会|别)(人|有人)?$|\b(nobody|no one|never|didn'?t|did not|not)\b[^.?!]{0,10}$")
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_UNDONE_BY = {"handed_over": (_NOT_DONE, _ASKED, _PLANNED), "stuck": (_NOT_DONE,), "ongoing": (_NOT_DONE,), "threat": (),
              "detention": ()}

_COMPILED = {
    "handed_over": [re.compile(p) for p in _HANDED_OVER_ZH + _HANDED_OVER_EN],
    "stuck": [re.compile(p) for p in _STUCK],
    "ongoing": [re.compile(p) for p in _ONGOING_ZH + _ONGOING_EN],
    "threat": [re.compile(p) for p in _THREAT_ZH + _THREAT_EN],
    "detention": [re.compile(p) for p in _DETENTION_ZH + _DETENTION_EN],
}


@dataclass(frozen=True)
class Urgency:
    urgent: bool
    reasons: tuple[str, ...]  # which of handed_over / stuck / ongoing / threat / detention / secrecy were seen
    spans: tuple[tuple[int, int], ...]


def _clause_before(text: str, start: int) -> str:
    """The text of the clause that `start` is in, up to `start`."""
    ends = [m.end() for m in _CLAUSE_END.finditer(text, 0, start)]
    return text[ends[-1] if ends else 0:start]


def _undone(reason: str, text: str, start: int, end: int) -> bool:
    """Is the signal at text[start:end] undone by what was said around it?"""
    clause, before = _clause_before(text, start), text[max(0, start - 50):start]
    if reason in ("handed_over", "stuck", "ongoing"):
        if _NEARLY.search(clause) or _NOT_YET_AFTER.search(text[end:end + 40]):
            return True  # "nearly told him the code", "told me to go to the ATM, I haven't gone"
        ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
        if reason in ("handed_over", "stuck") and _SOMEONE_ELSE.search(text[ends[-1] if ends else 0:end]):
            return True  # someone else's loss, or one long past: advice, not an emergency
        if reason == "handed_over" and _TO_ME.search(clause + text[start:end + 3]):
            return True  # money came TO the person (a stranger's "mistaken" transfer, a boss's fake receipt)
    if reason == "detention" and _NEGATED.search(text[max(0, start - 12):start]):
        return True  # "nobody took her passport"
    for chinese, english in _UNDONE_BY[reason]:
        if chinese is _NOT_DONE[0]:
            if chinese.search(text[max(0, start - 6):start]) or english.search(before):
                return True
        elif chinese.search(clause) or english.search(before):
            if chinese is _ASKED[0] and _DONE.search(text[start:end]):
                continue  # asked, and done
            return True
    return reason == "handed_over" and bool(_CONDITION_AFTER.search(text[end:end + 10]))


def assess(text: str) -> Urgency:
    """Read urgency signals from normalised text."""
    reasons, spans = [], []
    for reason, patterns in _COMPILED.items():
        for pattern in patterns:
            for match in pattern.finditer(text):
                if _undone(reason, text, match.start(), match.end()):
                    continue
                reasons.append(reason)
                spans.append(match.span())
                break
            if reason in reasons:
                break
    secret, soon = _SECRECY.search(text), _IMMINENT.search(text)
    if secret and soon and not _NOT_YET_AFTER.search(text[soon.end():soon.end() + 40]):
        reasons.append("secrecy")
        spans += [secret.span(), soon.span()]
    return Urgency(bool(reasons), tuple(dict.fromkeys(reasons)), tuple(spans))
