"""The learned matcher: identity x request features, the two-stage decision, each urgency family, the
training content, the model cache, and a floor under the held-out figures. No Flask."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from webapp.catalog import check, load_catalog
from webapp.matcher import Matcher, normalise
from webapp.matcher.pairs import pair_features
from webapp.matcher.training import examples
from webapp.matcher.urgency import assess

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(ROOT / "content", ROOT / "quizzes")


@pytest.fixture(scope="module")
def matcher(catalog, tmp_path_factory):
    return Matcher.from_catalog(catalog, cache_dir=tmp_path_factory.mktemp("matcher-cache"))


def pairs(text: str) -> set[str]:
    return {f for f, _, _ in pair_features(normalise(text))}


# -- who asks for what ------------------------------------------------------------------------

def test_pairs_join_the_claimed_identity_with_the_request():
    found = pairs("妈，我换了新号，急用钱，你先转两万给我")
    assert {"id:relative", "req:transfer", "req:newnumber", "pair:relative*transfer", "pair:relative*newnumber"} <= found
    assert not any(f.endswith("*medium") for f in found)  # no voice, video or AI said
    assert "pair:relative*medium" in pairs("儿子打视频电话来，声音和脸都一样，让我转钱")
    assert "pair:police*transfer" in pairs("自称公安局的人让我把钱转到安全账户")
    assert "pair:boss*transfer" in pairs("王总加我微信让我给合作方打款")
    assert "pair:nobody*link" in pairs("点击链接领取")


def test_a_medium_is_said_as_a_word_and_others_claim_the_police_s_authority():
    # "ai" inside an English word (said, paid, downstairs) is no voice, video or AI
    assert not any(f.endswith("*medium") for f in pairs("My son said he paid the man downstairs, send money again"))
    assert "pair:relative*medium" in pairs("an AI voice that sounded like my son asked for money")
    assert "pair:relative*medium" in pairs("儿子的声音是AI合成的，让我转钱")
    # an anti-fraud centre or an army unit on the phone claims the state's authority; the national app does not
    assert "pair:police*install" in pairs("我是县反诈中心的，你赶紧下载这个软件")
    assert "pair:police*install" in pairs("I'm from the county anti-fraud centre, download this app")
    assert "id:police" in pairs("我们是附近部队的，要订三天的饭") and "id:police" in pairs("we're from the army unit nearby")
    assert "id:police" not in pairs("学校让下载国家反诈中心app") | pairs("how do I install the National Anti-Fraud Center app")


def test_english_says_who_asks_for_what_in_more_words():
    assert "pair:relative*transfer" in pairs("Granny, it's your grandson, please wire the money today")
    assert "pair:stranger*invest" in pairs("my online lover keeps asking me to invest in gold")
    assert "pair:police*code" in pairs("the policeman wanted the verification number from my text")
    assert "pair:government*fee" in pairs("they say I qualify for unemployment benefits but must pay a deposit")
    assert "pair:acquaintance*secrecy" in pairs("a coworker asked me to keep this between us")
    assert "pair:nobody*task" in pairs("join the group and earn a rebate on every prepaid order")
    assert "pair:stranger*install" in pairs("someone I met online told me to get on zoom and share my screen")
    # "auntie" and "uncle" as a polite address are no relatives; "aunt" is
    assert "id:relative" not in pairs("Auntie, scan this code to claim your gift")
    assert "id:relative" in pairs("my aunt asked me to lend her money")


def test_aunts_uncles_and_in_laws_are_relatives_and_game_goods_are_a_game():
    # a relative's "new number" asking for money is the relative's, not a boss's (ranker-19)
    assert "pair:relative*newnumber" in pairs("大姑，我是小斌，这是我新微信，有急事")
    assert "pair:relative*transfer" in pairs("舅，我手机摔坏了，你先转给我两万")
    assert "id:relative" in pairs("有个电话喊我二叔，说是侄女，要赔钱") and "id:relative" in pairs("老伴给他转了钱")
    assert "id:relative" in pairs("Gran, new number, please send it today")
    assert "id:relative" not in pairs("娘舅山风景区门票多少钱")  # 舅 inside a name is no uncle
    assert "id:game" in pairs("金币一万只要8块，私聊秒发") and "id:game" in pairs("cheap robux from a guy on discord")


def test_intimate_images_are_a_request_of_their_own():
    # sextortion and an AI-faked video both have a video; only one asks to undress or threatens to send it on
    assert "pair:stranger*intimate" in pairs("网友要看我脱衣服，说她先脱")
    assert "req:intimate" in pairs("不转钱就把视频发给你家人") and "req:intimate" in pairs("got a nude video with my face")
    assert "req:intimate" not in pairs("儿子打视频电话来，让我转钱") | pairs("the boss was on a video call and asked for a transfer")
    assert "req:intimate" not in pairs("I sent the photos to my sister")


def test_cues_pool_the_ways_of_saying_one_thing_whatever_the_type():
    from webapp.matcher.cues import cues

    def said(text):
        return {name for name, _ in cues(normalise(text))}

    assert "after" in said("我已经转了两万过去") and "after" in said("I already paid the deposit")
    assert "after" in said("已經交了保證金")  # Traditional script reads as Simplified
    assert "loss" in said("平台上的钱提不出来") and "loss" in said("then the seller blocked me")
    assert "guard" in said("家里老人怎么防AI换脸") and "guard" in said("how do I spot a fake officer")
    assert "doubt" in said("在家跑分一天赚几百是真的吗") and "doubt" in said("is this a scam")
    assert "help" in said("钱转过去了，现在怎么办") and "help" in said("what should I do now")
    assert "denial" in said("其实我在宿舍好好的") and "denial" in said("but I never called her")
    assert "pressure" in said("今天之内必须交清，否则冻结") and "pressure" in said("pay within 12 hours")
    assert said("今天天气很好，出去走走") == set() and said("my grandson showed me how to video call") == set()
    assert "loss" in said("到了才发现民宿根本不存在") and "loss" in said("paid the movers a deposit and nobody turned up")
    assert "control" in said("警官让我去宾馆开个房间，每天跟他汇报") and "control" in said("they took my passport and phone")
    assert "control" in said("到了那边护照被收走了，不让我走") and "control" in said("he told me to check into a hotel alone")
    assert said("我家的猫不让我睡觉") == set() and said("the traffic police let me go after a breath test") == set()
    assert "checked" in said("我打了他平时的号码确认，没这回事") and "checked" in said("I called the bank on the usual number")
    assert "checked" in said("医生让我别乱买保健品") and "checked" in said("I didn't click the link and deleted it")
    assert "after" in said("老公把工资都充进去了") and "after" in said("he has topped up his whole salary")
    assert "after" in said("the shop took my money and sent nothing")
    assert said("领导让我周五前交报告") == set() and said("they told me not to tell my family") == set()
    assert "aware" in said("社区民警来讲反诈知识，还教我们家定暗号") and "aware" in said("we agreed a family code word")
    assert "aware" in said("银行从来不会索要验证码") and "aware" in said("the counsellor gave a talk on sextortion")
    # but not a scam's own words: a password for the courier at the door, a promise, a chat about investing
    assert "aware" not in said("取完交给骑电动车的人，对上暗号就行") and "aware" not in said("我不会让你吃亏的")
    assert "aware" not in said("he wanted to talk about investing") and "aware" not in said("免费健康讲座送鸡蛋")
    assert "cue:after" in pairs("已经付了定金")  # in the pairs block of the matcher's features


def test_pair_features_carry_where_they_were_seen():
    text = normalise("领导让我转账")
    for feature, start, end in pair_features(text):
        assert 0 <= start < end <= len(text), feature


def test_a_relatives_new_number_is_impersonation_not_deepfake_unless_voice_or_ai(matcher):
    plain = matcher.analyse("有人发微信说是我儿子，换了新号，让我先转三万给他")
    assert plain.matches[0].slug == "impersonate-relative"
    faked = matcher.analyse("儿子打视频过来，脸和声音都是他，可后来才知道是AI换脸合成的，让我转三万")
    assert faked.matches[0].slug == "ai-deepfake"


# -- two stages ------------------------------------------------------------------------------

def test_saying_one_was_not_scammed_is_not_saying_one_was():
    from webapp.matcher import _SCAMMED

    assert _SCAMMED.search(normalise("我被骗了三万"))
    assert _SCAMMED.search(normalise("I was scammed out of my savings"))
    assert not _SCAMMED.search(normalise("怎样才能不被骗了"))
    assert not _SCAMMED.search(normalise("教爸妈防被骗了解一下"))


@pytest.mark.parametrize("text", [
    "【XX超市】周末大促，鸡蛋4.99元一斤，会员另享9.5折，欢迎光临！退订回T",
    "【XX驿站】您的包裹已到驿站，取件码3-8-1126，营业时间8:00-20:00。",
    "村委会通知种粮补贴发了，我去信用社查了，钱在一卡通上",
    "老板在办公室当面让我把货款转给供应商，走了公司审批流程",
])
def test_benign_look_alikes_are_not_scams(matcher, text):
    analysis = matcher.analyse(text)
    assert analysis.matches == ()
    assert analysis.scam_probability < Matcher.SCAM
    assert analysis.intent == "notice"  # the reply for an ordinary notice or everyday matter


@pytest.mark.parametrize(("text", "slug"), [
    ("小李，在吗？我是王总，这是我新微信，在开会不方便接电话，你先帮我给合作方转一笔定金", "impersonate-boss-acquaintance"),
    ("诚招线上兼职，手机点赞关注一单3元，日结，进群领任务", "task-rebate"),
    ("您好，我是快递理赔专员，您的包裹丢失了，我们三倍赔偿，请加理赔客服QQ", "fake-customer-service"),
    ("收购游戏账号，高价，去我给的交易平台上挂单，说我资金冻结了要交保证金", "game-trading"),
])
def test_pasted_scripts_of_the_weakest_types_match(matcher, text, slug):
    analysis = matcher.analyse(text)
    assert analysis.scam_probability >= Matcher.SCAM
    assert analysis.matches[0].slug == slug
    assert not analysis.hedged


def test_a_question_about_a_named_scam_gets_the_types_answer(matcher):
    """Asking how to guard against a scam named by one of its type's key expressions is about that scam, even
    where stage 1 alone finds the short question not scam-like enough; the same words without the question,
    or a question about a name no type has, stay with the threshold."""
    for text, slug in (("怎么防假客服", "fake-customer-service"), ("杀猪盘怎么识别", "romance-investment"),
                       ("冒充公检法的骗局怎么识别", "impersonate-authorities")):
        analysis = matcher.analyse(text)
        assert analysis.scam_probability < Matcher.SCAM, text  # stage 1 alone would say: not a scam
        assert analysis.matches and analysis.matches[0].slug == slug, (text, analysis.matches)
    for text in ("银行卡丢了怎么挂失", "怎么防止手机没电", "is it cold in Beijing today, is that normal"):
        assert not matcher.analyse(text).matches, text


def test_a_clear_scam_of_unclear_type_gets_a_hedged_top_three(matcher):
    analysis = matcher.analyse("我被骗了，钱没了，怎么办")  # says it was a scam, says nothing of which
    assert analysis.hedged and len(analysis.matches) == 3
    assert analysis.urgent
    text = normalise("我被骗了，钱没了，怎么办")
    ranked = matcher.ranker.type_probabilities(matcher.ranker.vector(text), matcher.ranker.raw_vector(text))
    assert ranked[0][1] < Matcher.SURE  # no type is sure: that is what hedging means


@pytest.mark.parametrize("text, slug", [("AI换脸诈骗怎么防", "ai-deepfake"), ("老人怎么防保健品诈骗", "elderly-care-products")])
def test_a_question_naming_a_scam_of_one_type_gets_that_type_below_the_scam_threshold(matcher, text, slug):
    import copy

    strict = copy.copy(matcher)
    strict.SCAM = 0.999  # the usual threshold out of reach: only the rule for a named scam answers
    strict.ASKED_SCAM = 1.1  # (and not the one for a question naming a type's key expression)
    analysis = strict.analyse(text)
    assert analysis.scam_probability >= Matcher.NAMED_SCAM
    assert analysis.matches and analysis.matches[0].slug == slug
    strict.NAMED_SCAM = 1.1
    assert not strict.analyse(text).matches


@pytest.mark.parametrize("text", ["怎么防骗", "how can I avoid being scammed"])
def test_a_question_about_scams_in_general_gets_the_report_reply_not_a_type(matcher, text):
    analysis = matcher.analyse(text)
    assert not analysis.matches and analysis.intent == "report"


def test_match_scores_are_probabilities_and_slugs_plain_strings(matcher):
    analysis = matcher.analyse("有人出钱收购银行卡和电话卡")
    assert analysis.matches and type(analysis.matches[0].slug) is str and type(analysis.matches[0].score) is float
    assert all(0 < m.score <= 1 for m in analysis.matches)
    assert analysis.matches[0].score <= analysis.scam_probability


# -- urgency, family by family ---------------------------------------------------------------

@pytest.mark.parametrize(("text", "urgent"), [
    # who did it: the person (urgent), someone else or long ago (advice), money sent TO the person
    ("我妈把验证码念给那个客服了", True),
    ("新闻里说有个老人被骗转了十万，我想提醒我爸", False),
    ("我同事去年被骗了三万，我想知道怎么防", False),
    ("有个陌生人往我卡里转了五千，又打电话让我退给他", False),
    ("对方说他已经把钱转给我了，让我再转给别人", False),
])
def test_urgency_actor(text, urgent):
    assert assess(normalise(text)).urgent is urgent


@pytest.mark.parametrize(("text", "urgent"), [
    # finished (了/过) against asked (让我/要我), planned (准备/打算), nearly (差点), not yet (还没去)
    ("我刚把五万块转到了对方说的安全账户", True),
    ("对方让我交保证金才能提现，要不要交", False),
    ("我妈打算把养老钱投到那个平台上", False),
    ("差点就把验证码告诉他了，还好我女儿在旁边", False),
    ("对方叫我去ATM操作解除分期，我还没去", False),
])
def test_urgency_tense(text, urgent):
    assert assess(normalise(text)).urgent is urgent


@pytest.mark.parametrize("text", [
    "奶奶已经把两万块现金给了来家里取钱的人",  # cash handed to a courier at the door
    "刚才把银行卡号和密码都填到那个网页里了",  # card and password
    "昨天按他说的下了个会议软件，还开了共享屏幕",  # a remote-control app
    "平台说提现要先交税，钱一直卡在里面",  # money stuck in a platform
])
def test_urgency_object(text):
    assert "handed_over" in assess(normalise(text)).reasons


@pytest.mark.parametrize("text", ["我妈刚把银行卡和密码交给了上门的人", "my mum just gave her bank card and PIN to a man at the door"])
def test_a_card_handed_over_at_the_door_is_urgent_whatever_type_leads(matcher, text):
    """A card that reads like one sold (an accomplice's type) is still the victim's when it was collected
    at the door: the emergency steps first."""
    analysis = matcher.analyse(text)
    assert analysis.matches and analysis.urgent and "handed_over" in analysis.urgency_reasons


def test_a_card_sold_for_money_is_not_an_emergency_of_the_seller(matcher):
    analysis = matcher.analyse("我把银行卡和密码交给收卡的人了，他给了我3000")
    assert analysis.role == "accomplice" and not analysis.urgent


@pytest.mark.parametrize("text", [
    "他手里有我的通讯录，说今晚十二点前不转钱就群发",
    "他说我要是报警，就让我全家好看",
    "他說不匯錢就把影片寄給我家人",
    "Pay 5,000 within 24 hours or your photos go to everyone you know.",
])
def test_urgency_threats_without_the_usual_words(text):
    assert "threat" in assess(normalise(text)).reasons


@pytest.mark.parametrize("text", [
    "我弟弟去柬埔寨打工，现在被关在园区里，对方要家里交十万赎人",
    "表哥去缅甸了，护照被收走出不来",
    "my brother is being held in a compound in Cambodia and they want ransom",
])
def test_urgency_detention_and_ransom(text):
    assert "detention" in assess(normalise(text)).reasons


def test_urgency_secrecy_needs_an_imminent_transfer():
    assert "secrecy" in assess(normalise("对方让我别告诉任何人，今天下午就去银行把钱转过去")).reasons
    assert not assess(normalise("对方让我别告诉任何人")).urgent
    assert not assess(normalise("对方让我别告诉任何人，明天去银行转钱，我还没去")).urgent


@pytest.mark.parametrize(("text", "reason"), [
    # the wider families, after texts by a new hand (urgency.yaml's second part): said without the usual words
    ("他说不还清就去我老家闹，让全村都知道", "threat"),
    ("对方说知道我儿子在哪上学", "threat"),
    ("they said we have your video and gave me until tonight", "threat"),
    ("they'll come to my office if I don't pay by friday", "threat"),
    ("对方说交五万才放他回来", "detention"),
    ("the company won't let my daughter leave unless we pay", "detention"),
    ("they have my son and want money", "detention"),
    ("警察还在跟我妈视频，让她打开手机银行", "ongoing"),
    ("电话一直没断，他说到了银行再告诉我怎么弄", "ongoing"),
    ("he says I can't hang up until it's done", "ongoing"),
    ("我把身份证和银行卡都拍给他了", "handed_over"),
    ("just sent the deposit and now they want more", "handed_over"),
    ("我三十万本金还在平台里，提现一直被冻结", "stuck"),
    ("平台说要先交保证金才能出金，我的本金都还在里面", "stuck"),  # a fee it asks: not the person's plan
])
def test_urgency_families_said_other_ways(text, reason):
    assert reason in assess(normalise(text)).reasons


def test_urgency_secrecy_said_other_ways():
    assert "secrecy" in assess(normalise("说是机密案件，连家里人都不能说，让我下午把钱取出来")).reasons
    assert "secrecy" in assess(normalise("he said not to tell the bank, I'm going this afternoon to withdraw it")).reasons


@pytest.mark.parametrize("text", [
    "平台显示我赚了二十万，客服说要交保证金才能提现，要不要交",  # a "profit" it shows, a fee asked: only asked
    "差点就去转账了，后来打96110问了才知道是骗子",  # a hotline called, no money
    "我爸说等那个人明天再打来就把卡号告诉他",  # planned: when they call again
    "我室友上学期被骗了两千，已经报警了",  # someone else's, long past
])
def test_not_urgent_when_said_other_ways(text):
    assert not assess(normalise(text)).urgent, assess(normalise(text)).reasons


def test_the_labelled_urgency_set_is_read_right(catalog, matcher):
    cases = catalog.training.urgency
    assert len(cases) >= 200 and {c.lang for c in cases} == {"zh-Hans", "zh-Hant", "en"}
    right = sum(matcher.analyse(c.text).urgent == c.urgent for c in cases)
    assert right / len(cases) >= 0.95


# -- training content and the cache ----------------------------------------------------------

def test_training_content_covers_every_type(catalog):
    scripted = {t.label for t in catalog.training.scripts}
    look_alikes = {t.label for t in catalog.training.benign}
    assert scripted == set(catalog.types)
    assert set(catalog.types) <= look_alikes and "marketing" in look_alikes
    learned = examples(catalog)
    assert {e.label for e in learned if e.label.startswith("~")} >= {"~notice", "~greeting", "~offtopic"}


def test_broken_training_content_is_reported_with_file_and_field(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "quizzes", tmp_path / "quizzes")
    (tmp_path / "content" / "training" / "scripts.yaml").write_text(
        "no-such-type:\n  pasted:\n    zh-Hans: [某某]\n", encoding="utf-8")
    (tmp_path / "content" / "training" / "urgency.yaml").write_text(
        "- {text: 我转了, urgent: maybe, lang: zh-Hans, register: narrated, family: handed-over}\n", encoding="utf-8")
    problems = [str(p) for p in check(tmp_path / "content", tmp_path / "quizzes")]
    assert any("content/training/scripts.yaml: no-such-type" in p for p in problems), problems
    assert any("content/training/urgency.yaml: 0.urgent" in p for p in problems), problems


def test_overlapping_types_are_read_and_checked(catalog, tmp_path):
    """overlaps.yaml: a scam text's other types become right answers of the benchmark, and only of texts it has."""
    fits_more = [e for e in examples(catalog) if e.also]
    assert fits_more and all(e.label not in e.also and set(e.also) <= set(catalog.types) for e in fits_more)
    assert {e.register for e in fits_more} >= {"phrase", "pasted"}
    phrase = catalog.explainer("fake-customer-service", "zh-Hans").phrases[0]
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "quizzes", tmp_path / "quizzes")
    (tmp_path / "content" / "training" / "overlaps.yaml").write_text(
        f"fake-customer-service:\n  {json.dumps(phrase)}: [verification-code-screen-share]\n  没有这句话: [fake-loan]\n"
        f"fake-loan:\n  {json.dumps(catalog.explainer('fake-loan', 'en').phrases[0])}: [fake-loan, no-such-type]\n"
        "no-such-type: {}\n", encoding="utf-8")
    problems = [str(p) for p in check(tmp_path / "content", tmp_path / "quizzes")]
    assert len(problems) == 3, problems
    assert any("overlaps.yaml: fake-customer-service.没有这句话" in p and "no explainer phrase or script" in p for p in problems)
    assert any("overlaps.yaml: fake-loan." in p and "not another scam slug: fake-loan, no-such-type" in p for p in problems)
    assert any("overlaps.yaml: no-such-type" in p for p in problems)
    (tmp_path / "content" / "training" / "overlaps.yaml").write_text(
        f"fake-customer-service:\n  {json.dumps(phrase)}: [verification-code-screen-share]\n", encoding="utf-8")
    read = load_catalog(tmp_path / "content", tmp_path / "quizzes")
    assert dict(read.training.overlaps) == {("fake-customer-service", phrase): ("verification-code-screen-share",)}
    learned = {e.text: e.also for e in examples(read) if e.label == "fake-customer-service"}
    assert learned[phrase] == ("verification-code-screen-share",)


def test_the_fitted_model_is_cached_by_content(catalog, tmp_path):
    first = Matcher.from_catalog(catalog, cache_dir=tmp_path)
    saved = list(tmp_path.glob("matcher-*.pickle"))
    assert len(saved) == 1
    again = Matcher.from_catalog(catalog, cache_dir=tmp_path)
    text = "有人让我把银行卡借给他用，一个月两千"
    assert again.analyse(text) == first.analyse(text)
    fewer = Matcher.from_catalog(catalog, exclude=examples(catalog)[:5], cache_dir=tmp_path)
    assert list(tmp_path.glob("matcher-*.pickle")) != saved  # other texts: another key, refitted
    assert fewer.analyse(text).matches


def test_the_build_vectoriser_gives_scikit_learns_tf_idf_block_by_block(catalog):
    """The ranker's own one-pass TF-IDF (fast build) against TfidfVectorizer on each block, weighted."""
    import numpy as np
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

    from webapp.matcher.ranker import BLOCKS, blocked, tokens
    from webapp.matcher.space import Space

    texts = [normalise(e.text) for e in examples(catalog)[::7]]
    docs = [blocked(text) for text in texts]
    space = Space(docs, [weight for _, weight in BLOCKS.values()])
    parts, columns, offset = [], {}, 0
    for index, (_, weight) in enumerate(BLOCKS.values()):
        vectorizer = TfidfVectorizer(analyzer=lambda doc, i=index: doc[i], sublinear_tf=True)
        parts.append(vectorizer.fit_transform(docs) * weight)
        columns.update({feature: offset + column for feature, column in vectorizer.vocabulary_.items()})
        offset += len(vectorizer.vocabulary_)
    theirs = sparse.hstack(parts).tocsr()
    assert set(space.columns) == set(columns)
    order = np.empty(len(columns), dtype=np.int64)
    for feature, column in space.columns.items():
        order[column] = columns[feature]
    assert abs(theirs[:, order] - space.matrix).max() < 1e-12
    for index in (0, len(texts) // 2, len(texts) - 1):  # one message at run time: its row at build time
        assert abs(space.row(tokens(texts[index])) - space.matrix[index]).max() < 1e-12


def test_stage_one_asks_three_views_and_balances_each_language():
    """P(scam) weighs the log odds of the matcher's features, of plain character grams and stage 2's lead of
    the likeliest type over the likeliest kind of benign text (negative where the text looks benign); the sample
    weights give scam and not-scam equal weight within Chinese and within English."""
    import numpy as np

    from webapp.matcher.features import raw_grams
    from webapp.matcher.ranker import Ranker

    scam = np.array([True, True, True, False, True, False])
    chinese = np.array([True, True, False, True, False, False])
    weights = Ranker.balance(scam, chinese)
    for language in (chinese, ~chinese):
        assert np.isclose(weights[scam & language].sum(), weights[~scam & language].sum())
    texts = ["有人让我转账到安全账户", "客服说要交解冻费", "pay the unfreezing fee to this account",
             "你好", "the police want a safe account transfer", "what time is it"]
    labels = ["a", "b", "a", "~greeting", "b", "~offtopic"]
    ranker = Ranker([(label, normalise(text)) for label, text in zip(labels, texts)], {"~greeting", "~offtopic"})
    text = normalise("please transfer to the safe account")
    vector = ranker.vector(text)
    both = ranker.scam_probability(vector, text)
    features = float(vector.data @ ranker._scam_coef[vector.indices]) + ranker._scam_bias
    raw = ranker.raw.row(raw_grams(text))
    grams = float(raw.data @ ranker._raw_coef[raw.indices]) + ranker._raw_bias
    row = vector.toarray()[0]
    lead = max(ranker._type_w @ row + ranker._type_bias) - max(ranker._none_w @ row + ranker._none_bias)
    first, second, third = Ranker.VIEWS
    assert np.isclose(both, 1 / (1 + np.exp(-(first * features + second * grams + third * lead))))
    assert ranker.looks_benign(vector) == (lead < Ranker.BENIGN_LEAD)
    assert both > ranker.scam_probability(ranker.vector(normalise("你好")), normalise("你好"))


def test_stage_two_sums_the_features_svm_the_raw_grams_svm_and_naive_bayes():
    """P(type | scam): a softmax over the sum of three views, the matcher's features' SVM, an SVM over the types
    alone on the plain character grams (weighed Ranker.RAW_TYPES), and complement naive Bayes on the features,
    its log-likelihoods standardised over the types (weighed Ranker.NB_TYPES)."""
    import numpy as np
    from sklearn.naive_bayes import ComplementNB

    from webapp.matcher.ranker import Ranker

    texts = ["有人让我转账到安全账户", "公安说我涉嫌洗钱", "客服说要交解冻费", "客服让我开屏幕共享",
             "主播带我投资虚拟币", "导师说这个平台稳赚", "你好", "今天天气很好"]
    labels = ["a", "a", "b", "b", "c", "c", "~greeting", "~offtopic"]
    ranker = Ranker([(label, normalise(text)) for label, text in zip(labels, texts)], {"~greeting", "~offtopic"})
    assert ranker.types == ("a", "b", "c") and ranker._raw_type_w.shape == (3, ranker.raw.width)
    text = normalise("客服让我交解冻费")
    vector, raw = ranker.vector(text), ranker.raw_vector(text)
    features = ranker._type_w @ vector.toarray()[0] + ranker._type_bias
    grams = ranker._raw_type_w @ raw.toarray()[0] + ranker._raw_type_bias
    scam = [i for i, label in enumerate(labels) if not label.startswith("~")]
    train = np.array([ranker.vector(normalise(texts[i])).toarray()[0] for i in scam])
    naive = ComplementNB(alpha=Ranker.NB_ALPHA).fit(train, [labels[i] for i in scam])
    likelihood = naive.feature_log_prob_ @ vector.toarray()[0]  # classes a, b, c: as ranker.types
    standard = (likelihood - likelihood.mean()) / likelihood.std()
    margins = (features + Ranker.RAW_TYPES * grams + Ranker.NB_TYPES * standard) * Ranker.TEMPERATURE
    expected = np.exp(margins - margins.max()) / np.exp(margins - margins.max()).sum()
    got = dict(ranker.type_probabilities(vector, raw))
    assert np.allclose([got[t] for t in ranker.types], expected)
    assert max(got, key=got.get) == "b" and np.isclose(sum(got.values()), 1.0)
    # without the third view the shares differ: naive Bayes has its say
    plain = (features + Ranker.RAW_TYPES * grams) * Ranker.TEMPERATURE
    assert not np.allclose(np.exp(plain - plain.max()) / np.exp(plain - plain.max()).sum(), expected)


def test_key_expressions_weigh_little_in_stage_one_and_fully_in_stage_two():
    """A type's key expressions (titles, red flags, keywords) are not messages: in stage 1 they weigh
    Ranker.TERMS, so a short text is not a scam for looking like one; stage 2 still learns them."""
    from webapp.matcher.ranker import Ranker

    texts = ["有人让我交解冻费才能提现", "平台说账户冻结了要交钱", "客服让我开屏幕共享", "对方让我下载会议软件",
             "超市周末打折", "今天天气很好", "你好", "解冻费", "屏幕共享"]
    labels = ["a", "a", "b", "b", "~notice", "~notice", "~greeting", "a", "b"]
    examples = [(label, normalise(text)) for label, text in zip(labels, texts)]
    benign = {"~notice", "~greeting"}
    weighed = Ranker(examples, benign, terms=[False] * 7 + [True, True])
    plain = Ranker(examples, benign)
    text = normalise("解冻费")
    assert weighed.scam_probability(weighed.vector(text), text) < plain.scam_probability(plain.vector(text), text)
    assert weighed.type_probabilities(weighed.vector(text), weighed.raw_vector(text))[0][0] == "a"


def test_the_matcher_passes_the_catalogs_titles_red_flags_and_keywords_as_terms(catalog, matcher):
    fixed = [e for e in examples(catalog) if e.register == "fixed"]
    assert sum(matcher._terms) == len(fixed) and len(matcher._terms) == len(examples(catalog))


def test_stage_two_also_learns_not_a_scam_and_says_when_a_text_looks_benign():
    from webapp.matcher.ranker import Ranker

    texts = ["有人让我交解冻费才能提现", "平台说账户冻结了要交钱", "客服让我开屏幕共享", "对方让我下载会议软件",
             "我在银行柜台存了定期", "超市周末鸡蛋打折", "今天天气很好"]
    labels = ["a", "a", "b", "b", "~notice", "~notice", "~offtopic"]
    ranker = Ranker([(label, normalise(text)) for label, text in zip(labels, texts)], {"~notice", "~offtopic"})
    assert set(ranker.types) == {"a", "b"}  # "not a scam" is no type
    assert ranker.looks_benign(ranker.vector(normalise("在银行柜台存定期")))
    assert not ranker.looks_benign(ranker.vector(normalise("要交解冻费才能提现")))


def test_each_kind_of_benign_text_is_its_own_class_and_answers_as_its_intent():
    """Stage 2 learns a look-alike, an advert and small talk as separate benign classes; a text reads benign
    when any of them leads every type, and the reply is the leading kind's intent ("~notice:marketing" is
    "~notice"). A look-alike weighs LOOK_ALIKE in stage 1."""
    import numpy as np

    from webapp.matcher.ranker import Ranker

    texts = ["有人让我交解冻费才能提现", "平台说账户冻结了要交钱", "客服让我开屏幕共享", "对方让我下载会议软件",
             "我在银行柜台存了定期，柜员当面办的", "超市周末鸡蛋打折，全场八折", "今天天气很好", "明天会下雨吗"]
    labels = ["a", "a", "b", "b", "~notice:look-alike", "~notice:marketing", "~offtopic", "~offtopic"]
    benign = {"~notice:look-alike", "~notice:marketing", "~offtopic"}
    ranker = Ranker([(label, normalise(text)) for label, text in zip(labels, texts)], benign)
    assert set(ranker.types) == {"a", "b"} and len(ranker._none_w) == 3
    assert sorted(ranker.intents) == ["~notice", "~notice", "~offtopic"]
    for text, intent in (("柜台当面存定期", "~notice"), ("鸡蛋打折八折", "~notice"), ("明天天气怎么样", "~offtopic")):
        vector = ranker.vector(normalise(text))
        assert ranker.looks_benign(vector) and ranker.intent(vector) == intent, text
    assert not ranker.looks_benign(ranker.vector(normalise("要交解冻费才能提现")))
    plain = Ranker([(label, normalise(text)) for label, text in zip(labels, texts)], benign)
    heavy = Ranker.__new__(Ranker)
    heavy.LOOK_ALIKE = Ranker.LOOK_ALIKE * 4
    heavy.__init__([(label, normalise(text)) for label, text in zip(labels, texts)], benign)
    look_alike = ranker.vector(normalise(texts[4]))
    # weighed more, the look-alike reads less like a scam to stage 1's regressions
    odds = lambda r: look_alike.data @ r._scam_coef[look_alike.indices] + r._scam_bias  # noqa: E731
    assert odds(heavy) < odds(plain)
    assert np.array_equal(plain._type_w, heavy._type_w)  # stage 2 is not reweighed


def test_a_text_without_chinese_is_answered_from_its_own_threshold(matcher):
    import copy

    english, chinese = "they want me to pay an unfreezing fee before I can withdraw", "平台说要先交解冻费才能提现"
    assert matcher.analyse(english).matches and matcher.analyse(chinese).matches
    strict = copy.copy(matcher)
    strict.SCAM_LATIN = 1.01  # no English text reaches it; Chinese ones still answer from SCAM
    assert not strict.analyse(english).matches
    assert strict.analyse(chinese).matches
    assert strict.analyse("I was scammed, they took my money after I paid the fee").matches  # says so: answered


def test_the_veto_keeps_a_look_alike_from_being_answered_but_not_a_person_who_says_they_were_scammed(matcher):
    import copy

    loose = copy.copy(matcher)
    loose.SCAM, loose.VETO = 0.0, 1.1  # every text would be answered; the veto alone decides
    text = "我在银行柜台买了定期存款，柜员当面说明了利率"
    assert matcher.ranker.looks_benign(matcher.ranker.vector(normalise(text)))
    assert not loose.analyse(text).matches
    assert loose.analyse("有人让我把钱转到安全账户，说我涉嫌洗钱").matches
    assert loose.analyse("我被骗了，钱没了，怎么办").matches


def test_a_fit_gives_the_same_model_every_time(catalog):
    """The solvers run beside the raw view's counting, one at a time and seeded: the same texts, the same
    weights (the cache is keyed by the texts alone)."""
    import numpy as np

    part = examples(catalog)[::3]
    first, second = (Matcher.from_catalog(catalog, exclude=part).ranker for _ in range(2))
    for name in ("_scam_coef", "_raw_coef", "_type_w", "_none_w"):
        assert np.array_equal(getattr(first, name), getattr(second, name)), name


def test_english_words_share_letter_grams_across_their_forms():
    from webapp.matcher.features import features

    def grams(text):
        return {f for f, _, _ in features(normalise(text)) if f.startswith(("e3:", "e4:"))}

    assert {"e4:veri", "e4:erif"} <= grams("verify") & grams("verification code")
    assert all(text[start:end] == "Verification" for f, start, end in features("verification")
               for text in ["Verification"] if f.startswith("e4:"))  # a gram points at its whole word
    assert not grams("验证码")


def test_the_quick_dictionary_load_segments_as_jiebas_own():
    import jieba

    from webapp.matcher.features import segmenter

    own = jieba.Tokenizer()
    own.initialize()
    ours = segmenter()
    assert ours.total == own.total and len(ours.FREQ) == len(own.FREQ)
    text = "老年人在家接到冒充公检法的电话，说他的银行卡涉嫌洗钱"
    assert list(ours.cut(text, HMM=False)) == list(own.cut(text, HMM=False))


def test_a_refit_after_a_content_change_reuses_the_kept_tokens(catalog, tmp_path):
    import numpy as np

    Matcher.from_catalog(catalog, cache_dir=tmp_path)
    kept = tmp_path / "tokens.marshal"
    assert kept.exists()
    (tmp_path / "tokens.pickle").write_bytes(b"the earlier format")
    fewer = examples(catalog)[:3]
    refitted = Matcher.from_catalog(catalog, exclude=fewer, cache_dir=tmp_path).ranker  # another key: fitted
    fresh = Matcher.from_catalog(catalog, exclude=fewer).ranker  # no cache at all
    assert np.array_equal(refitted._type_w, fresh._type_w) and np.array_equal(refitted._raw_coef, fresh._raw_coef)
    assert not (tmp_path / "tokens.pickle").exists()  # the earlier format's file is gone once the new one is written
    kept.write_bytes(b"not marshal data")  # a broken file is ignored: tokenised again
    for old in tmp_path.glob("matcher-*.pickle"):
        old.unlink()
    again = Matcher.from_catalog(catalog, exclude=fewer, cache_dir=tmp_path).ranker
    assert np.array_equal(again._scam_coef, fresh._scam_coef)


def test_patterns_searched_in_parts_find_what_the_whole_pattern_finds(catalog):
    """search.FirstMatch (pairs.py, cues.py) against re.search of the whole pattern, on every training text."""
    import re

    from webapp.matcher.cues import CUES
    from webapp.matcher.pairs import IDENTITIES, MEDIUM, NEW_NUMBER, REQUESTS
    from webapp.matcher.search import FirstMatch, alternatives

    assert alternatives(r"a(?:b|c)|[|]d|\\|e") == ["a(?:b|c)", "[|]d", r"\\", "e"]
    texts = sorted({normalise(e.text) for e in examples(catalog)})
    texts += ["妈，在吗", "app里有usdt", "i was in the appendix", "他说asdf qwer"]
    patterns = [*IDENTITIES.values(), *REQUESTS.values(), MEDIUM, NEW_NUMBER, *CUES.values()]
    for pattern in patterns:
        whole, parts = re.compile(pattern), FirstMatch(pattern)
        for text in texts:
            found = whole.search(text)
            assert parts.span(text) == (found.span() if found else None), (pattern[:40], text)


# -- a floor under the held-out figures --------------------------------------------------------

def test_held_out_content_stays_above_a_floor(catalog):
    """One fold of the benchmark's five: fit without a fifth of the content, ask that fifth."""
    from bench.chat import folds_of

    part = folds_of(examples(catalog), 5)[0]
    matcher = Matcher.from_catalog(catalog, exclude=part)
    fraud = [e for e in part if not e.label.startswith("~")]
    benign = [e for e in part if e.label.startswith("~")]
    got = {e: [m.slug for m in matcher.analyse(e.text).matches] for e in part}
    top1 = sum(bool(got[e]) and got[e][0] == e.label for e in fraud) / len(fraud)
    top3 = sum(e.label in got[e][:3] for e in fraud) / len(fraud)
    rejection = sum(not got[e] for e in benign) / len(benign)
    english = [e for e in benign if e.lang == "en"]
    english_rejection = sum(not got[e] for e in english) / len(english)
    # and as the benchmark also scores it: a first answer of a type the text fits as well (overlaps.yaml) is right
    accepted = sum(bool(got[e]) and got[e][0] in (e.label, *e.also) for e in fraud) / len(fraud)
    print(f"fold 0: top-1 {top1:.3f} (accepted {accepted:.3f}), top-3 {top3:.3f}, rejection {rejection:.3f}, "
          f"English rejection {english_rejection:.3f}")
    # This fold measured 0.868 / 0.949 / 0.962, English rejection 0.952 (ranker-13, and ranker-14 the same; all five:
    # bench.chat --held-out).
    # ranker-12's fold measured 0.862 / 0.943 / 0.966: Matcher.SCAM 0.85 -> 0.82 answers two more of this fold's
    # benign texts (SCAM_LATIN 0.82 -> 0.76 none), while over all five folds rejection stayed 0.955 and top-1/top-3 rose.
    # ranker-15, with this round's English scripts and look-alikes: 0.867 / 0.956 / 0.960 (263 of 274), English
    # rejection 0.947, while all five folds rose (rejection 0.953 -> 0.956, English 0.956 -> 0.962): this fold now
    # asks two of the new English look-alikes, which are answered (a courier asking when I'm home, a bet for a beer).
    # ranker-16 (the pairs weighed 0.7): 0.872 / 0.957 / 0.960, English rejection 0.947.
    # ranker-17 (93 scam scripts and 35 look-alikes more, so this fold holds other texts): 0.875 / 0.951 / 0.961,
    # while over all five folds top-1 rose 0.864 -> 0.870 and top-3 stayed 0.939 (bench.chat --held-out).
    # ranker-18 (157 scam scripts and 36 look-alikes more): 0.880 / 0.954 / 0.969 (283 of 292), English rejection
    # 0.950 (132 of 139). Two English look-alikes of this fold sit just under the 0.76 threshold for text without
    # Chinese (a farmland-subsidy notice, a full phone), so a few more look-alikes can tip them over.
    # overlaps.yaml (187 texts that fit a second type as well): this fold's accepted top-1 0.904.
    # ranker-19 (more relatives and game goods said): 0.877 / 0.953 / 0.969, accepted 0.901, English rejection 0.950.
    # Then 190 scam texts for five types and 135 everyday look-alikes by new hands (SCAM 0.83, SCAM_LATIN 0.80): this
    # fold also asks 34 of the new scam texts and 28 of the look-alikes, 0.824 / 0.941 / 0.964 on them; on the fold's
    # older texts 0.877 / 0.950 / 0.973; all together 0.874 / 0.949 / 0.972, accepted 0.899, English rejection 0.960.
    # With 152 scam texts for four more types and 230 English texts (SCAM_LATIN 0.78): 0.880 / 0.945 / 0.976, accepted
    # 0.902, English rejection 0.964 (over all five folds 0.877 / 0.945 / 0.966). With 368 short situations and look-alikes
    # in zh-Hans and English: 0.893 / 0.956 / 0.972, accepted 0.914, English rejection 0.956.
    # ranker-20 content (288 scam texts and 72 look-alikes by new hands for twelve types): 0.882 / 0.950 / 0.965 (362 of
    # 375), accepted 0.903, English rejection 0.952; of that, the fold's older texts 0.889 / 0.953 / 0.969, the 63 new
    # scam texts and 15 new look-alikes 0.794 / 0.905 / 0.867 (texts by new hands are harder to one another).
    # With complement naive Bayes as stage 2's third view: 0.894 / 0.955 / 0.965, accepted 0.915.
    # With cues.py's `aware` and Matcher.SCAM 0.80: 0.893 / 0.955 / 0.971, accepted 0.913, English rejection 0.963.
    assert top1 >= 0.885 and top3 >= 0.945 and rejection >= 0.965, (top1, top3, rejection)
    assert accepted >= 0.905, accepted
    assert english_rejection >= 0.945, english_rejection


@pytest.mark.parametrize(("part", "least"), [("unseen.yaml", 400), ("unseen-2.yaml", 200)])
def test_the_texts_by_other_hands_stay_unlearned(catalog, part, least):
    """bench/unseen*.yaml measure what a new writer gets only while no copy of their texts is learned."""
    import yaml

    from bench.chat import UNSEEN, UNSEEN_PARTS

    path = UNSEEN.with_name(part)
    assert path in UNSEEN_PARTS  # and so scored by the benchmark
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    learned = {normalise(e.text) for e in examples(catalog)}
    slugs = set(catalog.types)
    texts = []
    for side in ("scam", "benign"):
        assert set(data[side]) <= slugs, set(data[side]) - slugs
        texts += [t for registers in data[side].values() for by_lang in registers.values()
                  for ts in by_lang.values() for t in ts]
    assert len(texts) >= least and len(set(texts)) == len(texts)
    assert not [t for t in texts if normalise(t) in learned]
