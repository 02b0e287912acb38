"""Issue 9 round 17: the progress of one's own application asked in more ways, a person asked for
in English and pinyin, records held in a named city or county, a record asked for by someone
else, the 柏乡 archive's own records, which office handles another office's business.
Questions are written for these tests, not taken from evaluation sets."""

from __future__ import annotations

import pytest

from bot.areas import mark_places
from bot.evaluation import evaluate
from bot.knowledge import load_knowledge
from bot.knowledge_model import KnowledgeError
from bot.text import normalize
from tests.dialog_support import say
from tests.knowledge_support import edited_knowledge


def top(matcher, question: str, home: str | None = None) -> str | None:
    r = matcher.match(question, home=home)
    return r.top[0].id if r.intent == "answer" and r.top else None


# ---------------------------------------------------------------- small talk


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("我上礼拜交的查档申请 有消息没", "chat/status"),
        ("前几天交的公开申请 到底批没批啊", "chat/status"),
        ("wo shang ge yue ti jiao de shen qing dao na yi bu le", "chat/status"),
        ("I submitted the form two weeks ago. Has anyone looked at it yet?", "chat/status"),
        ("我寄咗申请 而家去到边一步", "chat/status"),
        ("Could you connect me with a staff member please?", "chat/human"),
        ("Can I speak to an officer about this?", "chat/human"),
        ("you mei you ren gong a", "chat/human"),
        ("你哋呢个助手可以做啲乜嘢", "chat/help"),
        ("好嘞 麻烦你了", "chat/thanks"),
        ("你这么耐心给俺讲了半天，谢谢，祝你们工作顺利", "chat/thanks"),
        ("你好，这里是柏乡县政府办的线上服务吗", "chat/greeting"),
        ("政府办在大院哪栋楼几楼 我走着过去", "chat/contact"),
        ("前两天我在网上交了个查档申请 啥时候出结果", "chat/status"),
        ("上回去窗口填了表申请查档 到现在冇得消息", "chat/status"),
        ("你好，俺是村里的老汉，刚学会用手机，能跟你说两句不", "chat/greeting"),
        ("你好 我在外地打工 想问一下老家档案的事", "chat/greeting"),
        ("ni hao wo zai guangzhou xiang wen yi xia jia li de shi", "chat/greeting"),
        ("在？", "chat/greeting"),
        ("你是管啥的呀 俺能问你些啥", "chat/help"),
        # a school record looked up is ours to follow, not the education bureau's
        ("上周在网上提交了查学籍的申请 进度在哪看", "chat/status"),
    ],
)
def test_small_talk_in_more_phrasings(matcher, question, entry):
    assert top(matcher, question) == entry


def test_a_greeting_before_a_question_of_no_office_is_no_greeting(matcher):
    # "还是" asks as much as "吗": the remark after 你好 is the question, and it is nobody's here
    r = matcher.match("你好，孩子发烧了是先吃退烧药好还是直接去医院好")
    assert not (r.top and r.top[0].id == "chat/greeting")


# ---------------------------------------------------------------- records and where they are


def test_places_other_than_our_counties_are_marked():
    own = frozenset({"柏乡", "柏乡县"})
    assert mark_places("档案在邯郸 人在柏乡", own, "〇") == "档案在〇 人在柏乡"
    assert mark_places("学籍在宁晋县", own, "〇") == "学籍在〇"
    # a county's bare name is too often a word, and some cities' names are everyday words
    assert mark_places("长安街上接待来宾", own, "〇") == "长安街上接待来宾"


@pytest.mark.parametrize(
    "question",
    [
        "俺叔在唐山的招工档案 在柏乡这边能查不",
        "她的学籍档案在保定 俺替她在柏乡申请行不行",
        "俺哥出生落户的底子都在聊城那边 河北这边能帮着查不",
    ],
)
def test_records_held_in_a_named_city_are_a_cross_archive_lookup(matcher, question):
    assert top(matcher, question) == "baixiang/service/9"


def test_records_in_the_baixiang_archive_itself_are_its_archive_work(matcher):
    # DOMAIN: a request for Baixiang's own archive is not 异地查档
    assert top(matcher, "俺家五几年的地契底子 柏乡档案馆里有没有存着") == "baixiang/duty/15"


@pytest.mark.parametrize(
    "question",
    ["替俺娘去查档案 她得写委托书不", "帮我爸代查档案 要他按手印吗"],
)
def test_a_record_asked_for_by_someone_else_is_a_lookup(matcher, question):
    assert top(matcher, question) in {"baixiang/service/9", "xiangyin/duty/5"}


def test_a_can_or_not_question_after_a_place_is_kept_in_focus(matcher):
    focused, _ = matcher.decider._analyser.focus(normalize("档案在老家 俺在柏乡能申请查不"))
    assert "能申请查不" in focused


# ---------------------------------------------------------------- decisions not carried out


@pytest.mark.parametrize(
    "question",
    [
        "县长办公会定了给俺村修桥 一年了还没修 谁来督促",
        "政府工作报告里承诺的事 到现在没兑现 有没有部门盯着落实",
    ],
)
def test_a_decision_not_carried_out_reaches_the_inspection_duty(matcher, question):
    assert top(matcher, question) == "baixiang/duty/16"


# ---------------------------------------------------------------- whose business


@pytest.mark.parametrize(
    ("question", "referral"),
    [
        ("我的养老金算得不对，想问找哪个部门核对，是不是档案局管", "renshe_tuixiu"),
        ("身份证到期了，县政府办公室能给换不，还是得去派出所", "gongan"),
    ],
)
def test_asked_which_office_handles_another_offices_business(matcher, question, referral):
    r = matcher.match(question)
    assert r.intent == "decline"
    assert r.referral == referral


def test_a_farmer_asking_for_warnings_is_answered_with_the_warnings(matcher):
    assert top(matcher, "俺是养鸡的，县里那个灾害预警信息能发到手机上不") == "baixiang/service/2"


# ---------------------------------------------------------------- our duties behind another office's word


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # offices passing a matter to each other: coordinating them is the 柏乡 office's duty
        ("水利说归住建 住建说归水利 俺找谁", "baixiang/duty/4"),
        # the county annals, whatever the homework or the martyr in the story
        ("闺女写作文要用县志里的老资料 县志去哪能看", "baixiang/duty/9"),
        # a fire told as the story; the question is whether the government office has a night duty
        ("昨晚俺们村着火了 想给县政府报个信 夜里县政府有人值班接电话不", "baixiang/duty/6"),
        # a proxy's authorisation for a lookup, with a child at school elsewhere in the story
        ("孩子在外地上学回不来 写了个委托书让我去查档案 委托书有固定格式吗", "baixiang/service/9"),
    ],
)
def test_our_duty_behind_another_offices_word(matcher, question, entry):
    assert top(matcher, question) == entry


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("How many working days do you have to reply to an information request?", "baixiang/service/1"),
        ("How long does a cross archive request take in Baixiang?", "baixiang/service/9"),
    ],
)
def test_english_questions_in_more_words(matcher, question, entry):
    assert top(matcher, question) == entry


# ---------------------------------------------------------------- shelters, sold and exported records


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # where to hide in a war: since round 30 the evacuation bases, as the read sets' writers
        # answer it (the air-defence work itself is their second choice); a shelter misused is
        # its supervision
        ("要是真打起仗来 俺们村里人往哪躲", "baixiang/service/3"),
        ("县城里有没有防空洞能躲人 离俺家最近的在哪", "baixiang/duty/14"),
        ("小区的防空洞被物业改成仓库租出去了 谁管", "baixiang/policy/1"),
        # 湘阴's records sold or thrown away: the 湘阴 bureau's enforcement, when 湘阴 is named or spoken
        ("湘阴有人把村里的老档案卖给收废品的 犯法冇", "xiangyin/duty/2"),
        ("隔壁把公家的老账本一把火烧哒 档案局管不管咯", "xiangyin/duty/2"),
        # old deeds sold to be taken abroad: 柏乡's supervision of records sold or exported
        ("有个外国客人想买俺家的老地契带回国 这合法吗", "baixiang/policy/9"),
    ],
)
def test_shelters_sold_and_exported_records(matcher, question, entry):
    assert top(matcher, question) == entry


def test_goods_bought_abroad_are_no_exported_records(matcher):
    assert top(matcher, "在国外买的手机带回国要交税吗") != "baixiang/policy/9"


# ---------------------------------------------------------------- intents.yaml placeholders


def test_a_county_placeholder_names_the_county_and_its_words(knowledge):
    intents = knowledge.extras["intents"]
    pattern = next(p.pattern for i in intents.services if i.entry == "xiangyin/duty/2" for p in i.patterns)
    assert "{county:" not in pattern.pattern
    assert "湘阴" in pattern.pattern and "么子" in pattern.pattern  # the name, and the dialect list


def test_an_unknown_department_in_a_placeholder_is_named_on_load(tmp_path):
    root = edited_knowledge(tmp_path, "intents.yaml", "(?!.*{county:xiangyin})", "(?!.*{county:nowhere})")
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(root)
    assert "intents.yaml" in str(err.value) and "no department 'nowhere'" in str(err.value)


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("档案查出来了能给俺寄到家里不 俺腿脚不好", "baixiang/service/9"),
        # in 湘阴's words: the 湘阴 archive's lookups
        ("查到哒能不能寄到长沙去 我崽等着用", "xiangyin/duty/5"),
    ],
)
def test_a_record_found_sent_by_post_is_a_lookup(matcher, question, entry):
    assert top(matcher, question) == entry


# ---------------------------------------------------------------- what the new rules leave alone


@pytest.mark.parametrize(
    ("question", "not_entry"),
    [
        # a matter stated, then "想打听一下档案的事": the matter is the question, not a greeting
        ("俺爹当年退伍的材料在唐山，想打听一下档案的事", "chat/greeting"),
        # hiding from a person or the rain is no air defence; a war in a record's past neither
        ("老公家暴我，我该往哪里躲", "baixiang/duty/14"),
        ("下大雨去哪躲雨", "baixiang/duty/14"),
        ("抗日战争时期的档案去哪查", "baixiang/duty/14"),
        # papers sent home, or a court's, are no records taken abroad
        ("毕业证原件寄回国内要多久", "baixiang/policy/9"),
        ("离婚判决文书能不能寄到香港", "baixiang/policy/9"),
        # 不晓得 is everyday Mandarin, not 湘阴's word (`test_buxiaode_names_no_county`); personnel
        # files are the employer's
        ("单位把我的人事材料弄丢了，不晓得找哪个管", "xiangyin/duty/2"),
        # social-insurance records are not what the 柏乡 archive holds
        ("柏乡档案馆能不能查到我的社保缴费记录", "baixiang/duty/15"),
        # two people claiming a thing are no offices passing a matter
        ("房产证上说归我，我哥说归他，怎么办", "baixiang/duty/4"),
        # our own county named with its city and province is not elsewhere
        ("邢台市柏乡县的学籍档案在哪查", "baixiang/service/9"),
    ],
)
def test_what_the_new_rules_leave_alone(matcher, question, not_entry):
    r = matcher.match(question)
    assert not (r.intent == "answer" and r.top and r.top[0].id == not_entry)


def test_a_named_archive_elsewhere_is_still_read_with_its_county(matcher):
    # the patterns written without {elsewhere} keep seeing 县 and 市 ("隆尧县档案馆")
    assert top(matcher, "人在柏乡，想查隆尧县档案馆里的资料") == "baixiang/service/9"


def test_short_county_names_and_our_own_address_are_no_places():
    own = frozenset({"柏乡", "柏乡县"})
    assert mark_places("我和县里说了", own, "〇") == "我和县里说了"
    assert mark_places("我住市区", own, "〇") == "我住市区"
    assert mark_places("邢台市柏乡县", own, "〇") == "邢台市柏乡县"
    assert mark_places("河北柏乡", own, "〇") == "河北柏乡"


def test_a_key_written_twice_in_an_administrators_file_is_named(tmp_path):
    root = edited_knowledge(
        tmp_path, "bilingual.yaml", "terms:\n", "terms:\n  soaked: 泡水\n  soaked: 受潮\n"
    )
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(root)
    assert "bilingual.yaml" in str(err.value) and "'soaked' is written twice" in str(err.value)


@pytest.mark.parametrize(
    "question",
    [
        "继承父母的房子要交多少税",
        "在工地干活工资拖了三个月了 能找劳动部门管吗",
        "我的驾驶证档案在老家车管所 想转到这边来咋弄",
        "村干部退休前的档案审核是组织部管还是人社局管",
        "县城的房子租出去一般多少钱一个月",
        "电脑里的文档误删了怎么恢复",
    ],
)
def test_other_offices_business_in_more_words_is_declined(matcher, question):
    assert matcher.match(question).intent == "decline"


# ---------------------------------------------------------------- the county remembered in a conversation

#: (round 24: "…县档案局有没有培训班" is read as 湘阴's alone now, the labelled questions' model
#: hearing 档案局, which only 湘阴's office is called)
TRAINING_QUESTION = "企业的档案员要培训，有没有培训班"


def test_a_question_naming_no_county_leans_to_the_one_named_earlier(matcher):
    # alone, 柏乡's training service answers; after "我是湘阴的" the resident's own county does
    assert top(matcher, TRAINING_QUESTION) == "baixiang/service/8"
    assert matcher.county_in("你好，我是湘阴的") == "xiangyin"
    assert top(matcher, TRAINING_QUESTION, home="xiangyin") == "xiangyin/duty/9"
    # a county named in the question itself still wins over the one remembered
    assert top(matcher, "柏乡档案局有没有档案员培训班", home="xiangyin") == "baixiang/service/8"


def test_the_engine_remembers_the_county_a_resident_named(engine):
    say(engine, "你好，我是湘阴的", resident="湘阴的居民")
    out = say(engine, TRAINING_QUESTION, resident="湘阴的居民")
    assert out.replies[0].entry_id == "xiangyin/duty/9"
    # another resident, who named no county, gets the question read on its own
    assert say(engine, TRAINING_QUESTION, resident="别的居民").replies[0].entry_id == "baixiang/service/8"


def test_the_evaluation_can_read_a_persona_as_one_conversation(knowledge):
    rows = [
        {"q": "你好，我是湘阴的", "gold": ["chat/greeting"], "tags": ["p_test_xy", "in_scope"]},
        {"q": TRAINING_QUESTION, "gold": ["xiangyin/duty/9"], "tags": ["p_test_xy", "in_scope"]},
        {"q": TRAINING_QUESTION, "gold": ["baixiang/service/8"], "tags": ["p_test_bx", "in_scope"]},
    ]
    alone, _ = evaluate(knowledge, rows)
    talked, _ = evaluate(knowledge, rows, conversation=True)
    assert alone["top1"] == pytest.approx(2 / 3)  # the 湘阴 resident's question read on its own
    assert talked["top1"] == 1.0  # the next persona starts afresh


def test_buxiaode_names_no_county(matcher):
    """不晓得 is everyday Mandarin, not 湘阴's word. (Until round 34 this read "the genealogy sold
    is not 湘阴's enforcement"; the labelled questions now answer a genealogy sold from either
    county's archive enforcement, as the read sets' writers did, the county left open.)"""
    assert matcher.county_in("我家祖上的族谱被亲戚偷偷卖了，不晓得犯不犯法") is None
