"""Who asks for what: the claimed identity paired with the request, as features (and cues.py's cues).

A link or an app is in half the scam types; a relative asking for money, a boss asking for a transfer, the
police asking for a "safe account" are each one type. So the ranker sees, besides the words, features
such as `pair:relative*transfer` and `pair:police*transfer`, and a relative's "new number" asking for money
reads as impersonate-relative unless voice, video or AI is said (`pair:relative*medium` then).
ranker-14 added the `promoter` identity (the health talk, free eggs or breakfast behind a sale to older people),
the `relay` request (money received into one's account, or taken out in cash, and passed on: a money mule's job,
not a boss's transfer), opening a card for someone else as `lend`, and opening an account on a platform as
`invest`; with cues.py's `evasive`, held-out narrated top-1/top-3/rejection 0.925/0.950/0.938 -> 0.950/0.969/0.936
(the baseline's 0.936/0.969/0.930), all held-out 0.858/0.934/0.955 -> 0.860/0.936/0.954.
ranker-15 says who asks for what in more English words (granny, mother, uncle; chairman, head office; judge, warrant;
after-sales, delivery; benefits, social security; an online lover, Tantan; remit, unfreezing, a verification number,
Zoom, a scan, a rebate, "keep it between us"), leaving out "auntie" (mostly a polite address) and "allowance" (a
firm's as often as the state's): held-out English 0.817/0.904/0.952 -> 0.821/0.910/0.956, all 0.860/0.935/0.953 ->
0.862/0.936/0.953. A `details` request (an ID or card number or a password typed into a page) cost 0.001 of top-1
besides: not kept.
ranker-17 adds an `intimate` request (asked to undress, a nude recording, a threat to send a video on): sextortion
and an AI-faked video both have a video, only one has this. Held-out (the folds of bench.chat --held-out) all
0.864/0.939/0.959 -> 0.865/0.940/0.959, narrated 0.939/0.966/0.945 -> 0.939/0.969/0.945. Tried with it and left
out: a `lover` identity (对象, 宝贝, honey, "wrong number": romance against fake-investment), held-out rejection
0.959 -> 0.957, narrated 0.945 -> 0.942; a `reward` request (they pay the person: a code received for ten yuan
each, a card rented), top-1 0.001 lower.
ranker-19 names more relatives (大姑, 舅, 二叔, 老伴, 嫂子, gran) and game goods (金币, 点券, 代充, robux): on 450 texts
written afterwards by other hands, never learned, top-1/top-3 0.815/0.920 -> 0.831/0.926 (a relative's message
was read as a boss's); on the older content's held-out folds, level (0.876/0.944/0.960 -> 0.876/0.943/0.960).
"""

from __future__ import annotations

from collections.abc import Iterator

from .cues import cue_features
from .search import FirstMatch
from .search import latin as has_latin

# Normalised text: Simplified Chinese, lower case (see normalise.py).
IDENTITIES = {
    "relative": r"(?:^|[,.!?\s，。！？])(?:妈|爸|奶奶|爷爷|姥姥|姥爷|外婆|外公)(?=[,.!?\s，。！？]|$)|儿子|女儿|孙子|孙女|外孙|老公|老婆|妈妈|爸爸|我妈|我爸|俺妈|俺爸|亲戚|侄子|外甥|闺女|儿媳|女婿|表哥|表姐|表弟|表妹|"
                r"堂哥|堂弟|我哥|我姐|我弟|我妹|舅舅|舅妈|(?:^|[,.!?\s，。！？])舅(?=[,.!?\s，。！？]|$)|姑姑|大姑|小姑|姑妈|二叔|三叔|大伯|伯伯|婶婶|婶子|侄女|嫂子|姐夫|妹夫|老伴|父亲|母亲|"
                r"姨妈|小姨|叔叔|家人|家里人|\b(?:mum|mom|dad|son|daughter|grandson|granddaughter|gran|grandad|granddad|"
                r"nephew|niece|husband|wife|grandma|grandpa|granny|grandmother|grandfather|grandchild|grandkids?|mother|father|"
                r"brother|sister|uncle|aunt|cousin|child|kids?|family)\b",
    "boss": r"领导|老板|总经理|经理|主管|上司|局长|校长|书记|主任|厂长|包工头|董事长|[王李张刘陈杨赵黄周吴徐孙马胡朱郭何林高罗]总(?![部是共之结额])|"
            r"\b(?:boss|manager|ceo|director|supervisor|chairman|head office|leader|bureau chief|foreman)\b",
    "acquaintance": r"熟人|老同学|同学|老战友|战友|同事|老乡|朋友|学长|学姐|\b(?:friend|colleague|classmate|coworker|co-worker|old schoolmate)\b",
    "school": r"学校|辅导员|班主任|老师|导师|教育局|学院|\b(?:school|teacher|tutor|university|headteacher|head teacher|college|counsellor)\b",
    # and who else claims the state's authority: an anti-fraud centre, the army placing an order
    "police": r"公安|警察|警官|民警|派出所|检察院|检察官|法院|法官|刑警|网警|通缉|逮捕|立案|(?<!国家)反诈中心|反诈民警|部队|军人|军官|军装|武警|"
              r"\b(?:police(?:man|woman)?|officer|prosecutor|procuratorate|court|judge|detective|arrest|warrant|public security|(?<!national )anti-fraud (?:centre|center|unit|police)|army|soldiers?|military)\b",
    "service": r"客服|售后|快递员|快递公司|物流|淘宝|京东|拼多多|抖音|美团|\b(?:customer service|courier|support|seller|refund|after-sales|delivery|taobao|jd|pinduoduo|douyin|staff)\b",
    "platform": r"平台|交易所|官网|网站|导师|群主|带单|\b(?:platform|website|exchange|app|trading group|group owner|mentor)\b",
    "bank": r"银行|银联|银保监|金融监管|信用卡中心|征信|\b(?:bank|unionpay|credit|loan officer|financial regulator)\b",
    "government": r"社保|医保|补贴|政府|村委|民政|税务|人社|退税|\b(?:government|subsidy|subsidies|tax|pension|benefits?|social security|medical insurance|village committee)\b",
    "stranger": r"网友|陌生人|陌生号码|交友|对象|男朋友|女朋友|男友|女友|相亲|婚恋|美女|帅哥|\b(?:stranger|dating|boyfriend|girlfriend|match|lover|online (?:friend|partner|lover|girlfriend|boyfriend)|met (?:him |her )?online|tinder|tantan)\b",
    "employer": r"招聘|兼职|中介|工作|高薪|老板招|\b(?:job|recruit|recruiter|recruiting|hiring|part-time|salary|employer|work from home)\b",
    # who sells to older people behind a free gift: the health talk, the free eggs or breakfast, the "expert"
    "promoter": r"讲座|养生课|健康课|专家讲|免费(?:体检|领|送|早餐|旅游|鸡蛋|理疗)|会销|体验店|保健品|"
                r"\b(?:lecturer|health (?:talks?|lectures?|seminars?|club)|seminars?|free (?:breakfast|eggs|check-?ups?|gifts?|trips?)|"
                r"supplements?|health (?:drinks?|products?))\b",
    "game": r"游戏|装备|皮肤|账号交易|代练|代充|金币|点券|游戏币|成品号|号主|坐骑|\b(?:game|gaming|skins?|steam|in-game|game account|v-bucks|robux|roblox|fortnite|genshin|minecraft)\b",
}
REQUESTS = {
    "transfer": r"转账|汇款|打款|转钱|转给|转到|打钱|汇到|过数|转过去|转[^,.，。]{0,6}(?:给|到)|(?:给|帮)我转|\b(?:transfer|wire|remit|send (?:me |him |her |them |us )?(?:the )?money|pay (?:it |them |him |her )?into)\b",
    "fee": r"保证金|手续费|解冻费|押金|定金|激活费|服务费|工本费|公证费|税费|会员费|培训费|资料费|认证费|保险费|\b(?:fee|deposit|charge|unfreezing|margin|tax(?:es)?)s?\b",
    "code": r"验证码|动态码|校验码|短信码|\b(?:code|otp|pin|verification|dynamic password)\b",
    "lend": r"出租|出借|租用|收购|卖卡|借用|租你|借你的|你的银行卡|你的账户|你的微信|收款码|电话卡|手机卡|办(?:一张|张|个)?(?:银行)?卡给|帮(?:他|她|别人|对方)办(?:一张|张)?卡|"
            r"\b(?:(?:lend|rent|sell) (?:your|my)|open (?:a|an) (?:bank )?(?:card|account) for)\b",
    "install": r"下载|安装|共享屏幕|屏幕共享|远程|会议|软件|\b(?:install|download|screen|remote|anydesk|teamviewer|zoom|meeting app)\b",
    "link": r"链接|点击|网址|https?://|二维码|扫码|\b(?:link|click|url|qr|scan|web ?page|site)\b",
    "buy": r"购买|下单|拍下|购物卡|礼品卡|礼物卡|\b(?:buy|purchase|order|gift card)s?\b",
    "invest": r"投资|理财|收益|回报|充值|炒股|股票|基金|虚拟币|usdt|(?:平台|网站|app|软件)上?.{0,3}(?:开户|注册)|\b(?:open (?:an )?account on|invest|return|profit|stock|crypto)",
    "borrow": r"借钱|借点|周转|垫付|垫一下|先垫|\b(?:loan|borrow|lend me|help (?:me|him|her) out|tide (?:me|him|her) over)\b",
    "task": r"刷单|点赞|关注|任务|做单|佣金|返利|返佣|\b(?:task|commission|likes?|rebate|prepaid order)s?\b",
    # money that passes through the person: received into their account or taken out in cash, then passed on
    "relay": r"收.{0,8}再转|收到.{0,8}转(?:出去|走|给)|帮.{0,4}(?:收|接)一?笔?钱|代收(?:款|钱|货款|资金)|走账|过账|刷流水|跑分|取(?:出来|现).{0,8}(?:交给|给)|"
             r"\b(?:forward (?:it|them|the money)|pass (?:it|the money) on|withdraw\b.{0,40}\b(?:hand|give|pass)|(?:receive|take) (?:\w+ )?(?:payments?|money|transfers?) into (?:my|your|his|her) (?:own )?account)\b",
    # intimate images: asked to undress, a nude recording, a threat to send it on
    "intimate": r"裸|脱衣|脱了|洗澡|不雅|私密|色情|果聊|(?:视频|录像|照片|录屏).{0,10}(?:发给|发到|曝光|公开|传到|散布)|"
                r"\b(?:nudes?|naked|intimate|explicit|strip|undress|sextort\w*|sexy|sex)\b",
    "secrecy": r"别告诉|不要告诉|不能告诉|保密|别声张|不要声张|\b(?:don'?t (?:tell|mention)|keep (?:it|this) (?:secret|quiet|to yourself|between us)|between us|not to tell)\b",
}
# "ai" as a word of its own: inside an English word (said, paid, again, downstairs) it is no medium.
MEDIUM = r"视频|语音|声音|(?<![a-z])ai(?![a-z])|换脸|合成|\b(?:video|voice|deepfake|face)\b"
NEW_NUMBER = r"新号|新微信|换了号|换号|换了新|新手机号|小号|新的?帐号|新账号|\bnew (?:number|account)\b"

# Each pattern is searched in parts (search.py: the Chinese alternatives scanned by their first characters, the
# English ones only in a text with Latin letters): the same first match, in about half the time (this runs on
# every training text at build time).
_IDENTITY = [(name, FirstMatch(pattern)) for name, pattern in IDENTITIES.items()]
_REQUEST = [(name, FirstMatch(pattern)) for name, pattern in REQUESTS.items()]
_MEDIUM = FirstMatch(MEDIUM)
_NEW_NUMBER = FirstMatch(NEW_NUMBER)

Span = tuple[int, int]


def pair_features(text: str) -> Iterator[tuple[str, int, int]]:
    """`id:X`, `req:Y` and `pair:X*Y` features of normalised text, each with where it was seen."""
    latin = has_latin(text)
    identities = [(name, span) for name, pattern in _IDENTITY if (span := pattern.span(text, latin))]
    requests = [(name, span) for name, pattern in _REQUEST if (span := pattern.span(text, latin))]
    medium, new_number = _MEDIUM.span(text, latin), _NEW_NUMBER.span(text, latin)
    if new_number:
        requests.append(("newnumber", new_number))
    for name, span in identities:
        yield f"id:{name}", *span
    for name, span in requests:
        yield f"req:{name}", *span
    for who, (ws, we) in identities:
        for what, (rs, re_) in requests:
            yield f"pair:{who}*{what}", min(ws, rs), max(we, re_)
        if medium:
            yield f"pair:{who}*medium", min(ws, medium[0]), max(we, medium[1])
    if not identities:
        for what, span in requests:
            yield f"pair:nobody*{what}", *span
    yield from cue_features(text)
