"""Whose side of the scam the person is on, from what they say they did or were asked to do.

A scam type's role says who the type is about ("rent-sell-cards" is about the card's owner helping
scammers); the person's situation decides how we speak to them. Accomplice framing ("this may be illegal
for you") only when they describe doing, being offered, or being asked to do the accomplice act themselves:
renting out or selling their card or account, moving money for someone, scanning or verifying for someone,
hosting a device. A scammer's request to a victim ("scan this to get your refund") makes them a victim.
When the text does not say which, the answer says both.

All functions take the normalised text (matcher.normalise: Simplified, lower case).
"""

from __future__ import annotations

import re

VICTIM = "victim"
ACCOMPLICE = "accomplice"
UNCLEAR = "unclear"

_OWN_THING = r"(?:银行卡|储蓄卡|信用卡|卡|账户|帐户|账号|帐号|微信号?|支付宝|qq号?|手机号|电话卡|手机卡|u盾|对公账户|收款码|抖音号)"
_FOR_SOMEONE = r"(?:他|她|他们|人|别人|对方|朋友|同学|老乡|老板|公司|陌生人)"
_ACCOMPLICE_ACTS = tuple(re.compile(p) for p in (
    rf"(?:租|借|卖|收|买|用)(?:一下)?(?:我|俺|你)(?:的|家)?.{{0,4}}{_OWN_THING}",  # 有人要租我的银行卡
    rf"(?:我|俺).{{0,6}}(?:把|将).{{0,6}}{_OWN_THING}.{{0,6}}(?:租|借|卖|给|寄|交)",  # 我把卡借给朋友了
    rf"(?:让|叫|要|请|找)(?:我|俺).{{0,3}}(?:把|将).{{0,6}}{_OWN_THING}.{{0,6}}(?:租|借|卖|给|寄|交)",  # 让我把银行卡借给他
    rf"(?:出租|出借|出售|卖掉?|租出去|借出去).{{0,6}}(?:我|俺|自己)?的?.{{0,4}}{_OWN_THING}",
    rf"{_OWN_THING}.{{0,8}}(?:租给|借给|卖给|寄给|交给){_FOR_SOMEONE}",
    rf"(?:办|开|注册)(?:一|几|两)?(?:张|个)?(?:新的?)?{_OWN_THING}.{{0,8}}(?:给|卖|交|寄|好处费|报酬)",
    rf"(?:帮|替|给){_FOR_SOMEONE}.{{0,8}}(?:转账|转钱|走账|刷流水|收款|收钱|取现|取钱|提现|跑分|洗钱)",
    rf"(?:帮|替|给){_FOR_SOMEONE}?.{{0,6}}(?:扫码|扫脸|刷脸|人脸)(?:验证|认证|解封|辅助|登录)?",
    r"(?:辅助验证|扫码验证|帮忙验证|帮忙解封|接收验证码|收验证码)",
    r"跑分|刷流水|走账|代收代付|搬砖.{0,4}转账",
    r"(?:放|装|摆|安装|托管)(?:在)?(?:我|俺)家.{0,10}(?:设备|手机|机器|猫池|盒子|路由器|电话卡)",
    r"(?:我|俺)家.{0,8}(?:放|装|摆).{0,8}(?:设备|手机|机器|猫池|盒子)",
    r"\b(?:rent|lend|sell|borrow|buy|use) (?:out )?(?:my|your) (?:bank |debit |credit |phone |sim |wechat |alipay )?(?:card|account|sim|number|id)s?\b",
    r"\bmy (?:bank )?(?:card|account)s? (?:to|for) (?:him|her|them|someone|a stranger)\b",
    r"\b(?:move|transfer|receive|forward|launder) (?:money|funds|payments?) (?:for|through|on behalf of)\b",
    r"\bscan .{0,20}(?:to verify|verification|to unlock) .{0,10}for\b|\bverify .{0,20}for (?:him|her|them|someone)\b",
    r"\b(?:host|keep|put|install|plug in) .{0,30}(?:device|box|phones|sim cards?|router)s? (?:in|at) (?:my|our) (?:home|house|place|flat)\b",
))
_VICTIM_SIGNS = re.compile(
    r"被骗|骗了我|骗走|上当|受骗|钱被转|被转走|被盗|让我(?:先)?(?:付|交|转|充值|垫付|缴|汇)|(?:付|交|转|汇)了.{0,6}(?:元|块|万|钱)"
    r"|保证金|手续费|解冻费|退款|理赔|中奖|领(?:取)?(?:奖|补贴)|扫码(?:付|支付|缴费|领|退)"
    r"|\b(?:i was|i've been|i got|i have been) (?:scammed|cheated|conned|defrauded)\b|lost (?:my )?money"
    r"|asked me to pay|pay (?:a|the) fee|refund|i (?:already )?(?:paid|sent|transferred)\b"
)
_HELP = re.compile(
    r"(?:被|让人|叫人|遭)骗了?.{0,8}(?:怎么办|咋办|怎么做|该怎么|怎么弄|咋整|如何是好|怎么处理)"
    r"|(?:上当|受骗)了?.{0,6}(?:怎么办|咋办)"
    r"|\b(?:i was|i've been|i got|i have been|i think i was|i think i've been) (?:scammed|cheated|conned|defrauded)\b"
)


def describes_accomplice_act(normal: str) -> bool:
    return any(pattern.search(normal) for pattern in _ACCOMPLICE_ACTS)


def person_role(normal: str, type_role: str | None) -> str | None:
    """"accomplice", "victim" or "unclear" for a text matched to a type of `type_role`; None without a match."""
    if type_role is None:
        return None
    acts = describes_accomplice_act(normal)
    if type_role == ACCOMPLICE:
        if acts:
            return ACCOMPLICE
        return VICTIM if _VICTIM_SIGNS.search(normal) else UNCLEAR
    return UNCLEAR if acts and not _VICTIM_SIGNS.search(normal) else VICTIM


def asks_for_help_after_scam(normal: str) -> bool:
    """ "我被骗了怎么办", "I was scammed, what now": the person wants the emergency steps."""
    return bool(_HELP.search(normal))
