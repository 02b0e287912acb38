"""Issue 9 round 16: pinyin typed with tone numbers or tone marks, an enterprise's or a merged
village's records (where they go, how long they are kept) as the 湘阴 archive's guidance.
Questions are written for these tests, not taken from evaluation sets."""

from __future__ import annotations

import pytest

from bot.knowledge import load_knowledge
from bot.matcher import matcher_for
from bot.text import normalize, without_tone_numbers


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge()


@pytest.fixture(scope="module")
def matcher(knowledge):
    return matcher_for(knowledge)


# ---------------------------------------------------------------- pinyin with tones


def test_tone_marks_read_as_plain_letters():
    assert normalize("Rén fáng bàn diàn huà") == "ren fang ban dian hua"
    assert normalize("lǜ sè") == "lv se"  # ü as pypinyin writes it


def test_tone_numbers_are_dropped_only_in_pinyin():
    assert without_tone_numbers("ren2 fang2 ban4") == "ren fang ban"
    assert without_tone_numbers("dang4an4") == "dangan"
    # one stray digit is no pinyin: paper sizes and networks keep theirs
    assert without_tone_numbers("a4纸 5g") == "a4纸 5g"
    assert without_tone_numbers("要a4纸吗 b5") == "要a4纸吗 b5"


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("yi4 di4 cha2 dang4 zen3 me ban4", "baixiang/service/9"),
        ("xiàn zhèng fǔ yè lǐ yǒu rén zhí bān ma", "baixiang/duty/6"),
        ("fang2 kong1 jing3 bao4 wei4 shen2 me xiang3", "baixiang/duty/14"),
    ],
)
def test_pinyin_with_tones_is_answered_like_pinyin_without(matcher, question, entry):
    r = matcher.match(question)
    assert r.intent != "decline"
    assert r.top[0].id == entry


# ---------------------------------------------------------------- records after a restructuring


@pytest.mark.parametrize(
    "question",
    [
        "湘阴的老粮站改制以后，站里的档案交给哪个保管",
        "湘阴两个村并成一个村，以前的村档案放到哪里去",
    ],
)
def test_where_records_go_after_a_restructuring_is_the_archive_guidance(matcher, question):
    r = matcher.match(question)
    assert r.intent != "decline"
    assert r.top[0].id == "xiangyin/duty/3"


# ---------------------------------------------------------------- English sentences


@pytest.mark.parametrize(
    "question",
    [
        # a place name in pinyin is no pinyin question: the rest is English
        "Can you tell me where to buy a good used bicycle in Shijiazhuang?",
        # one word of ours alone ("chinese") is no question of ours: spaces part words, not clauses
        "What is the best way to say happy birthday in Chinese?",
        "Any good hotpot places to recommend near the bus station?",
    ],
)
def test_english_small_talk_about_other_things_is_not_answered_from_the_knowledge(matcher, question):
    r = matcher.match(question)
    assert r.intent == "decline"
    assert not r.top


def test_english_function_words_do_not_weigh_like_unknown_topics(matcher):
    # an unknown English word may name another office's business (gongjijin, weather); "what"
    # and "with" never do
    weights = matcher.decider._analyser.weighted_words("what 警报 with 演习")
    assert weights["what"] < weights["警报"] / 2
    assert weights["with"] < weights["警报"] / 2


def test_an_english_request_for_a_person_is_a_handover(matcher):
    r = matcher.match("Is there an English-speaking officer I could speak with?")
    assert r.top and r.top[0].id == "chat/human"


# ---------------------------------------------------------------- chat in residents' words


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # greetings: a check that someone is there, the office asked by name, an apology for typing
        ("喂 喂 听得见不", "chat/greeting"),
        ("有人没 人呢", "chat/greeting"),
        ("政府办吗 您好", "chat/greeting"),
        ("人防办是不是这里", "chat/greeting"),
        ("我岁数大了打字慢 多多包涵", "chat/greeting"),
        ("Hi, is this the Baixiang government office?", "chat/greeting"),
        # what we do
        ("你们这儿到底管啥的", "chat/help"),
        ("除了人防的事 还能帮忙办什么", "chat/help"),
        ("What kinds of questions can you answer?", "chat/help"),
        # a person, asked formally or plainly
        ("可否请经办人直接与我联系", "chat/human"),
        ("给俺找个工作人员", "chat/human"),
        # the progress of what the resident already handed in
        ("上月托你们查我爹的档案，有结果了没有", "chat/status"),
        ("前天交了公开申请 一直冇得消息", "chat/status"),
        ("I submitted a request last month, any update on the status?", "chat/status"),
        # how to reach the office
        ("What are your opening hours?", "chat/contact"),
        ("有没有电子邮箱", "chat/contact"),
    ],
)
def test_chat_in_more_phrasings(matcher, question, entry):
    r = matcher.match(question)
    assert r.top and r.top[0].id == entry, (question, r.intent, [c.id for c in r.top])


def test_a_question_about_archives_abroad_is_no_greeting(matcher):
    r = matcher.match("Is it allowed to send old family archives abroad?")
    assert not r.top or r.top[0].id != "chat/greeting"


# ---------------------------------------------------------------- a sentence typed a word at a time


def test_word_spaced_typing_is_joined_into_one_sentence():
    assert normalize("俺 想 问 问 人防 警报 啥 时候 响") == "俺想问问人防警报啥时候响"
    # a few keywords with spaces stay apart: each may be its own clause
    assert normalize("人防 警报 时间") == "人防 警报 时间"


def test_a_word_spaced_question_is_answered_as_one(matcher):
    r = matcher.match("俺 老伴 的 档案 在 外 县 能 在 咱 这 查 不")
    assert r.top and r.top[0].id == "baixiang/service/9"


# ---------------------------------------------------------------- the 湘阴 archive's own holdings


@pytest.mark.parametrize(
    "question",
    [
        # records held here, asked in 湘阴's words: the archive's own lookup, not a lookup elsewhere
        "当年厂里的职工花名册 档案馆里还查得到冇",
        "老娘的独生子女证明丢哒 档案馆有底冇",
        "档案馆查出来的材料 能复印盖章不 社保要用",
    ],
)
def test_records_held_by_the_archive_are_its_own_lookup(matcher, question):
    r = matcher.match(question)
    assert r.intent == "answer"
    assert r.top[0].id == "xiangyin/duty/5"


def test_records_held_in_another_county_are_still_a_lookup_elsewhere(matcher):
    r = matcher.match("俺娘的独生子女证明在外县办的，能在柏乡跨馆查不")
    assert r.top[0].id == "baixiang/service/9"


# ---------------------------------------------------------------- a decision not carried out


@pytest.mark.parametrize(
    "question",
    [
        # what was decided (a bridge, a school roof) is another office's work; whether anyone
        # makes sure it is done is the office's supervision duty
        "县里开会说要修村口的桥，一年了没动静，有没有人督促一下",
        "领导批了要给学校修房顶，到现在没落实，谁来督办",
        # a meeting's or a leader's decision, however it is told (the review: not a promise)
        "县长开会定的修路到现在没动 谁督查",
        "常务会上定下来的事 有没有人跟着督促 俺们村修水渠那个",
    ],
)
def test_a_decision_not_carried_out_is_supervision(matcher, question):
    r = matcher.match(question)
    assert r.intent == "answer"
    assert r.top[0].id == "baixiang/duty/16"


def test_an_english_question_is_read_by_the_terms_found_not_by_its_other_wording(matcher):
    # 出卖 and 出境 are found; "firm", "ship", "permitted" are its wording, not another topic
    r = matcher.match("Our firm plans to sell old archives to a buyer abroad. Is that permitted?")
    assert r.intent == "answer"
    assert r.top[0].id == "baixiang/policy/9"


# ---------------------------------------------------------------- other offices' business, sharing a word


@pytest.mark.parametrize(
    ("question", "referral"),
    [
        # an ambulance's siren is no air-raid siren
        ("街上救护车一直鸣笛 是不是出啥大事了", "weijian"),
        # a pupil's school record moving with a transfer is the school's business, not a lookup
        ("俺孙子要转学去外地，他的学籍档案咋转", "jiaoyu"),
        ("孩子夜里发烧 哪个医院有儿科", "weijian"),
        ("汽油今天多少钱一升", "shichang"),
    ],
)
def test_another_offices_business_sharing_a_word_is_referred(matcher, question, referral):
    r = matcher.match(question)
    assert r.intent == "decline"
    assert r.referral == referral


# ---------------------------------------------------------------- "theirs or ours?"


@pytest.mark.parametrize(
    ("question", "referral"),
    [
        # unsure, and asked whether the office named or we handle it: the named office, even
        # when a word of ours (档案) kept it from counting as a referral word
        ("孩子学籍档案里的体育成绩录错了，是找教育局还是找你们档案局", "jiaoyu"),
        ("老人的户籍档案要改个字，是去派出所还是找你们", "gongan"),
    ],
)
def test_asked_theirs_or_ours_when_unsure_names_theirs(matcher, question, referral):
    r = matcher.match(question)
    assert r.intent == "decline"
    assert r.referral == referral


def test_asked_theirs_or_ours_about_a_matter_of_ours_is_still_ours(matcher):
    r = matcher.match("这个复议是找法院还是找你们政府办")
    assert r.intent != "decline"
    assert r.top[0].id == "baixiang/duty/13"


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("Who enforces the archives law in Xiangyin when a business breaks it?", "xiangyin/duty/2"),
        ("When a Xiangyin factory is restructured, where do its old records go?", "xiangyin/duty/3"),
        ("Does the Xiangyin bureau carry out studies in archival science and technology?", "xiangyin/duty/7"),
    ],
)
def test_the_archive_bureaus_duties_in_english(matcher, question, entry):
    r = matcher.match(question)
    assert r.top and r.top[0].id == entry, (r.intent, [c.id for c in r.top])


# ---------------------------------------------------------------- another county's office


@pytest.mark.parametrize("question", ["湘阴县政府办公室的电话多少", "湘阴人防办在哪里办公"])
def test_another_countys_office_gets_no_card_of_ours(matcher, question):
    # we publish 柏乡's 政府办 and 人防办 and 湘阴's 档案局: 柏乡's card would be the wrong office's
    r = matcher.match(question)
    assert r.intent == "decline"
    assert r.referral == "hotline_12345"


@pytest.mark.parametrize(
    ("question", "office"),
    [
        ("湘阴档案馆几点开门", "湘阴县档案局"),
        ("柏乡人防办电话", "柏乡县人防办"),
        ("柏乡县档案馆电话多少", "柏乡县档案局"),
    ],
)
def test_a_countys_own_office_gets_its_card(knowledge, question, office):
    from bot.qa import answer_question

    reply = answer_question(knowledge, question)
    assert reply.intent == "answer"
    assert office in reply.text


def test_the_county_said_apart_from_its_office_still_gets_its_card(knowledge):
    from bot.qa import answer_question

    reply = answer_question(knowledge, "你们档案馆在湘阴哪个位置 几点关门")
    assert reply.intent == "answer"
    assert "湘阴县档案局" in reply.text


def test_what_a_lookup_result_is_for_is_no_referral(matcher):
    # 社保 says what the certified copy is for; asking whether it will be accepted is about the lookup
    assert matcher.match("查到的结果社保那边认不认").intent != "decline"
    # asked of 社保 itself, it is 社保's
    r = matcher.match("社保能查到交了几年吗")
    assert r.intent == "decline" and r.referral == "renshe_tuixiu"


def test_booking_a_drill_by_asking_how_to_get_in_touch_is_the_booking(matcher):
    # "怎么联系" here asks how to book: the service with its booking button, not the contact card
    r = matcher.match("我们厂想约人防办搞一场疏散演练，怎么联系，要提前几天")
    assert r.top[0].id in {"baixiang/service/4", "baixiang/service/5"}


def test_an_air_defence_garage_in_two_words_is_the_works_supervision(matcher):
    r = matcher.match("人防车位")
    assert r.top[0].id == "baixiang/policy/1"


# ---------------------------------------------------------------- review fixes: text


def test_only_u_umlaut_becomes_v_and_unsplit_letters_keep_a_look_alike():
    assert normalize("ůűư") == "uuu"  # plain u with other marks, not pinyin's ü
    assert normalize("Łódź øre") == "lodz ore"  # not dropped as punctuation


def test_a_list_typed_with_commas_keeps_its_parts():
    assert normalize("户口,身份证,社保,医保,养老,低保") == "户口 身份证 社保 医保 养老 低保"
    assert normalize("俺 这 岁数 不会 弄 手机？") == "俺这岁数不会弄手机"


def test_stray_paper_sizes_are_no_pinyin_run():
    assert without_tone_numbers("a4 还是 a3 的纸") == "a4 还是 a3 的纸"
    assert without_tone_numbers("wo3 xiang3 cha 档案") == "wo xiang cha 档案"


# ---------------------------------------------------------------- review fixes: chat patterns


def test_many_hellos_are_read_in_bounded_time(matcher):
    # the greeting pattern once nested its quantifiers: 24 喂 took seconds, 40 would not finish
    for text in ("喂" * 40, "喂 " * 40 + "听得到吗", "喂" * 40 + "!", "喂" * 40 + "查档案"):
        matcher.match(text)
    assert matcher.match("喂喂 听得到吗").top[0].id == "chat/greeting"


@pytest.mark.parametrize(
    "question",
    [
        "补办户口找政府吗",
        "喂 早上拉警报了你们听得到吗",
        "is this office open on saturday",
        "is that the office that handles property certificates",
        "请见谅 我要查一下我爹的招工表",
        "人防工程平时能干什么",
        "除了本人还能哪些人代查档案",
        "what sorts of things are kept in the county archives",
        "查档时要和工作人员说明用途吗",
        "how do i submit an application to update my address",
    ],
)
def test_a_real_question_is_not_taken_for_chat(matcher, question):
    r = matcher.match(question)
    assert not r.top or r.top[0].id not in {"chat/greeting", "chat/help", "chat/human", "chat/status"}, (
        r.intent,
        [c.id for c in r.top],
    )


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("请问这里是档案馆吗", "chat/greeting"),
        ("is this the right place", "chat/greeting"),
        ("打字慢 请多包涵", "chat/greeting"),
        ("除了查档还能办什么", "chat/help"),
        ("我想跟工作人员直接通话", "chat/human"),
    ],
)
def test_the_chat_the_patterns_were_written_for_still_is(matcher, question, entry):
    r = matcher.match(question)
    assert r.top and r.top[0].id == entry, (r.intent, [c.id for c in r.top])


# ---------------------------------------------------------------- review fixes: intents, words


@pytest.mark.parametrize(
    "question",
    ["开发商答应办房产证到现在没办 谁来催", "村干部说要修路一直没修 谁督促"],
)
def test_a_promise_not_kept_is_no_meetings_decision(matcher, question):
    """The matcher's own reading (`decider`). Since round 21 the labelled questions read "村干部说要
    修路一直没修 谁督促" as the 督查 of agreed matters at 0.95, the chance that overrules a named
    office (NAMED_RESCUE): residents who ask who follows up an unkept promise are mostly asking
    it (on the round's sets, 31 of 32 such rescues were right)."""
    r = matcher.decider.match(question, 3, None)
    assert not r.top or r.top[0].id != "baixiang/duty/16"
    developer = matcher.match("开发商答应办房产证到现在没办 谁来催")
    assert [c.id for c in developer.top[:1]] != ["baixiang/duty/16"]


def test_still_is_no_question_of_which_office():
    from bot.matcher.wordlists import EITHER

    assert EITHER.search("我还是想查一下我爹的档案") is None
    assert EITHER.search("是找教育局还是找档案局") is not None
    assert EITHER.search("去派出所还是找你们") is not None


@pytest.mark.parametrize(
    "question",
    [
        "Who do I call to rescue a cat stuck in a tree?",
        "Is it illegal to dump rubbish by the river?",
        "who enforces parking rules",
        "my company is restructuring, what happens to my pension",
    ],
)
def test_english_words_of_the_archive_duties_count_only_beside_records(matcher, question):
    r = matcher.match(question)
    assert not r.top or not r.top[0].id.startswith("xiangyin/duty/"), (r.intent, [c.id for c in r.top])


@pytest.mark.parametrize("question", ["在火车站听到警报响了 是演练吗", "坐轮船的时候听见防空警报 咋回事"])
def test_a_siren_heard_near_a_train_or_a_boat_is_still_the_air_raid_siren(matcher, question):
    # only an ambulance's, a fire engine's or a police car's siren is a vehicle's
    r = matcher.match(question)
    assert r.top and r.top[0].id in {"baixiang/duty/14", "baixiang/service/4"}, [c.id for c in r.top]


# ---------------------------------------------------------------- the resident's age


@pytest.mark.parametrize("clause", ["今年七十有二", "我今年82岁", "今年八十一了", "老汉今年七十二"])
def test_the_residents_age_is_set_aside(matcher, clause):
    focused, _ = matcher.analyser.focus(clause + " 档案馆能查招工表吗")
    assert focused == "档案馆能查招工表吗"


@pytest.mark.parametrize(
    "clause", ["县里今年有没有档案业务培训呀", "今年十月份拉警报吗", "今年有一件建议交我局办理"]
)
def test_this_year_in_a_question_is_no_age(matcher, clause):
    focused, _ = matcher.analyser.focus(clause + " 我是新手")
    assert clause in focused


def test_a_question_about_this_years_training_is_answered(matcher):
    r = matcher.match("县里今年有没有档案业务培训呀？我是新手，完全不会组卷")
    assert r.intent != "decline", r.notes


def test_a_self_introduction_that_asks_the_question_is_kept(matcher):
    focused, _ = matcher.analyser.focus("老档案 我是外地的能查吗")
    assert "我是外地的能查吗" in focused
    focused, _ = matcher.analyser.focus("我是湘阴的 想问一下 档案馆能查招工表吗")
    assert "我是湘阴的" not in focused  # who asks, without a question word of its own


def test_the_progress_of_an_application_to_us_is_the_status_whatever_else_it_names(matcher):
    r = matcher.match("上月用挂号信向贵办寄了一份信息公开申请，一直没有答复，请帮忙查一下进度")
    assert r.top and r.top[0].id == "chat/status", (r.intent, r.notes, r.referral)
    r = matcher.match("驾驶证换证的申请交了半个月了 进度在哪查")
    assert r.intent == "decline" and r.referral == "cheguansuo"  # another office's business


# ---------------------------------------------------------------- the services, described


def test_a_long_wail_heard_is_the_air_raid_siren(matcher):
    r = matcher.match("昨天后晌听见呜呜的一阵长声响了好几分钟 咋回事")
    assert r.top and r.top[0].id == "baixiang/duty/14", (r.intent, r.notes)


@pytest.mark.parametrize(
    "question",
    [
        "跨馆出证是个啥意思",
        "听说查档案现在有个全国的平台 老人不会用咋办",
        "当年在邢台上班的工龄记录，能不能在柏乡就地办理，免得来回跑",
        "外地的档案馆能帮我出证明吗 我那份材料在外县",
    ],
)
def test_a_lookup_elsewhere_described_is_the_lookup_service(matcher, question):
    r = matcher.match(question)
    assert r.top and r.top[0].id == "baixiang/service/9", (r.intent, [c.id for c in r.top], r.notes)


def test_another_national_platform_is_no_archive_platform(matcher):
    r = matcher.match("全国一体化政务服务平台怎么注册账号")
    assert "service" not in r.notes


def test_the_county_named_keeps_its_entry_over_the_other_countys_anchored_one(matcher):
    # 柏乡 publishes an 国际档案日 service; a question about 湘阴's archive day is 湘阴's publicity
    r = matcher.match("6月9号档案日那天，湘阴档案局有么子活动")
    assert r.top and r.top[0].id.startswith("xiangyin/"), [c.id for c in r.top]
