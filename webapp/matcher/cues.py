"""What a text says about a scam situation, whatever the type: cues shared by every type, as features.

A short question about a scam ("怎么防AI换脸", "what do I do, I already paid") or a line about what went
wrong ("钱提不出来", "then he blocked me") has few of the words its type's texts have, and reads to stage 1
like small talk or an everyday question. Each cue below pools many ways of saying one thing into one
feature (`cue:after`: 已经转了, 已经交了, I already paid ...), so that a way of saying it that no training
text used still counts as what the others taught. Measured on the held-out folds (bench.chat --held-out):
top-1/top-3/rejection 0.837/0.917/0.953 -> 0.839/0.919/0.954, 233 -> 226 scam texts refused. Paired with
the claimed identity and the request (`guard*police`) they gave less (0.837/0.919/0.954), and as a block of
their own, weighed 0.5 or 1.0, narrated top-1 fell below the baseline's: not kept. `control` (a passport or phone
taken, told to stay alone in a hotel) and the paid-for thing that never existed in `loss` came later (ranker-12):
0.848/0.926/0.955 -> 0.849/0.925/0.956 on the folds, "警官让我去宾馆开个房间" now answered.
`checked` (ranker-13) is the other side: what a narrated normal day has and a narrated scam lacks (checked in
person or on the usual number, did not click or pay, was warned, nobody asked for money); with it, and money
"充进去" / "has topped up" / "took my money" in `after`: top-1/top-3/rejection 0.851/0.927/0.955 -> 0.854/0.930/0.958
at Matcher.SCAM/SCAM_LATIN 0.85/0.76; at 0.82/0.76, 0.858/0.934/0.955 and narrated 0.919/0.944/0.938 ->
0.925/0.950/0.938 (the baseline's 0.936/0.969/0.930: still behind).
`evasive` (ranker-14): the other side will not answer, show a face or talk, hangs up, only types. Alone, narrated
0.925/0.950/0.938 -> 0.944/0.961/0.939; with pairs.py's new requests, 0.950/0.969/0.936 (see there).
`aware` (ranker-21): being taught to guard against scams (a talk, a notice, a family code word, "they will never
ask"), what many look-alikes that talk about a scam have: held-out rejection 0.970 -> 0.971 (English 0.967 -> 0.969,
pasted 0.976 -> 0.986), unseen.yaml rejection 0.960 -> 0.968, top-1 level; with Matcher.SCAM 0.83 -> 0.80 after it,
top-1/top-3/rejection 0.884/0.942/0.971 -> 0.886/0.944/0.968 (zh-Hans 0.905/0.962/0.972 -> 0.909/0.966/0.966),
unseen.yaml 0.877/0.941/0.968 -> 0.883/0.948/0.960 (zh-Hans and English folds, not re-asked in zh-Hant).
"""

from __future__ import annotations

from collections.abc import Iterator

from .search import FirstMatch
from .search import latin as has_latin

# Normalised text: Simplified Chinese, lower case (see normalise.py).
CUES = {
    # The person already did what the scam asks (paid, transferred, gave, clicked, installed).
    "after": r"已经(?:转|付|交|给|汇|打|借|卖|点|填|报|下载|装|充|投)|(?:转|付|交|汇|充|投)了(?:钱|款|\d|[一二两三四五六七八九十几]|好几)|"
             r"(?:充|投|转|输)进去|\b(?:(?:has|had|have) (?:paid|sent|transferred|topped up|put in)|took (?:my|our|his|her) money)\b|"
             r"\b(?:already (?:paid|sent|transferred|gave|clicked|told|installed|topped)|i (?:paid|sent|transferred|gave|topped up))\b",
    # What was lost or went wrong: money gone, blocked, nothing arrived, cannot withdraw.
    "loss": r"钱没了|被骗|骗走|被刷|盗刷|输光|输了|拉黑|删了我|消失|联系不上|找不到(?:人|了)|提不出|取不出|提现不了|不能提现|"
            r"跑路|要不回|追回|收不到|没收到|没发货|假货|不退|"
            r"\b(?:blocked me|disappeared|vanished|never (?:arrived|came|turned up|got)|can'?t (?:withdraw|get (?:it|my money) back)|"
            r"lost (?:all|our|my|his|her|the)|charged|gone)\b|"
            # or what was paid for was never there: no shop, no room, no mover at the door
            r"不存在|根本没有这|没人来|没有人来|人没来|查无此|\b(?:(?:didn'?t|doesn'?t|does not|did not) exist|"
            r"(?:nobody|no one|no-one) (?:turned up|came|showed up)|never (?:turned up|showed up|existed))\b",
    # Someone controls where the person is or who they may tell: a passport or phone taken, kept in a room,
    # told to stay alone in a hotel, not let go.
    "control": r"收走了?(?:我的|她的|他的)?(?:手机|护照|证件)|扣(?:了|下|着)?(?:我的|她的|他的)?(?:护照|证件)|护照被(?:收|扣)|关在|"
               r"关起来|不让(?:我|她|他|我们)?(?:走|离开|回|出去|联系)|走不了|回不来|去宾馆开|开个房间|单独待|"
               r"\b(?:took (?:away )?(?:my|our|her|his) (?:passport|phone)|(?:won'?t|wouldn'?t|don'?t|didn'?t) let (?:me|her|him|us) "
               r"(?:go|leave)|locked (?:in|up)|check into a hotel|stay (?:alone )?in a hotel|not (?:allowed|let) to leave)\b",
    # Asking how to guard against something, or how to tell the real from the fake.
    "guard": r"怎么防|如何防|防范|防止|怎么识别|如何识别|怎么分辨|怎么辨别|怎么区分|怎么判断|怎么知道|怎么查|"
             r"\bhow (?:do |can |should )?(?:i |we |you )?(?:to )?(?:spot|avoid|guard|protect|tell|know|check)\b",
    # Asking whether it is real, normal, safe.
    "doubt": r"是真的吗|是不是真的|是不是骗|靠谱吗|正常吗|可信吗|能信吗|安全吗|合法吗|真的假的|可靠吗|有风险吗|"
             r"\b(?:is (?:it|this|that|he|she) (?:real|normal|safe|legit|true|genuine|a scam|risky)|legit\?)",
    # Asking what to do now.
    "help": r"怎么办|咋办|怎么处理|该怎么|怎么挽回|怎么求救|\b(?:what (?:do|should|can) (?:i|we) do|what now|help me)\b",
    # A contrast with what was claimed: it was not him, it never happened.
    "denial": r"其实|根本没|从来没|并没有|不是他|不是我|\b(?:but (?:i|he|she|we|they) (?:never|didn'?t|wasn'?t)|never (?:called|asked|applied|bought|entered))\b",
    # The person checked through a channel they know, or held back: in person, at the counter, the usual number
    # called back; did not click, did not pay, said no. What a narrated normal day has and a narrated scam lacks.
    "checked": r"没(?:点|给他|给钱|理|回他|加|下载|填|转)|当面|柜台|营业厅|网点|平时的(?:号码|电话|手机)|原来的(?:号码|电话)|"
               r"打.{0,8}(?:问了|问过|确认)|\b(?:in person|face to face|at the counter|at the branch|usual number|checked with|"
               r"said no|blocked (?:him|her|them)|ignored (?:it|him|her|them))\b|\bi (?:didn'?t|did not|never) "
               r"(?:click|pay|send|give|reply|answer|transfer)|"
               # or was warned, or nobody asked for money: 96110 warned me, the doctor said not to buy, he never mentioned money
               r"提醒我|[让叫]我别(?:转|乱|信|点|给|买)|不让我乱|没(?:说|提)过?钱|没(?:跟我)?提过钱|没要过?钱|没让我?交|"
               r"\b(?:warned (?:me|us)|never asked (?:me |us )?for money|didn'?t ask (?:me |us )?for money)\b",
    # The other side dodges being checked: will not answer a question, will not show a face or talk, hangs up,
    # only types. What a narrated scam has and a narrated normal day lacks, in any type.
    "evasive": r"(?:不肯|不愿意?|不敢|从来不|就是不|总是不)(?:回答|正面回答|说话|露脸|开摄像头|开视频|视频|见面|接电话)|不回答|"
               r"答不上|岔开话题|转移话题|支支吾吾|说信号不好|一问就挂|就挂了|只(?:肯|能)?打字|"
               r"\b(?:(?:won'?t|wouldn'?t|never|refuses? to|refused to) (?:answer|say|show (?:his|her|their) face|video|meet|talk|pick up|turn on)|"
               r"changes? the subject|dodges?|hung up|only (?:types|texts|messages))\b",
    # Being taught to guard against scams: a talk, a notice, a family code word, "they will never ask". Told about
    # in a normal day; a scam's own script has none of it.
    "aware": r"(?:反诈|防诈|防骗)(?:骗)?(?:讲座|宣传|知识|课)|家庭暗号|(?:定|约|设)(?:个|好|了|定)*(?:家庭)?暗号|(?:从来不|从不|绝不|绝对不会|不会)(?:会)?(?:索要|向(?:您|你)索要|电话办案|"
             r"让(?:您|你)转账|要求(?:您|你)?转账)|\b(?:(?:talks?|lectures?|seminars?|sessions?|class|leaflets?|notices?|letters?|"
             r"warnings?) (?:on|about) (?:\w+ )?(?:scams?|fraud|deepfakes?|sextortion|phishing)|anti-?(?:fraud|scam) (?:talks?|campaigns?|"
             r"leaflets?|posters?|notices?|lessons?)|code ?word|family password|never ask (?:you |for |customers ))",
    # Pressure: now, today, or else.
    "pressure": r"马上|立刻|立即|赶紧|尽快|今天(?:必须|之内|内)|限时|逾期|否则|不然|作废|\d+小时内|"
                r"\b(?:immediately|right now|right away|within \d+|or else|otherwise|urgent(?:ly)?)\b",
}

_CUES = [(name, FirstMatch(pattern)) for name, pattern in CUES.items()]  # re.search's first match, sooner (search.py)

Span = tuple[int, int]


def cues(text: str) -> list[tuple[str, Span]]:
    """The cues of normalised text, each with where it was first seen."""
    found = []
    latin = has_latin(text)
    for name, pattern in _CUES:
        span = pattern.span(text, latin)
        if span is not None:
            found.append((name, span))
    return found


def cue_features(text: str) -> Iterator[tuple[str, int, int]]:
    """`cue:X` features of normalised text, each with where it was seen."""
    for name, (start, end) in cues(text):
        yield f"cue:{name}", start, end
