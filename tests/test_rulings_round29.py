"""Round 29, administrators' rulings in the knowledge (`knowledge/intents.yaml`, `chat.yaml`,
`referrals.yaml`, `bilingual.yaml`), from blind questions the matcher got wrong, each tested here
in other words:

- "有冇人管" after a complaint asks who is responsible; it is no greeting.
- "档案局在线吗" with nothing else greets; "还是只能咨询" asks what the assistant can do; an
  application "到现在也没个答复" asks its progress.
- Which building, which bus stop: contact questions, also when voice input leaves spaces.
- The annual report and what is published without an application (主动公开) are the office's
  open-government work (第8项), not a new application; 补正 and a bulk export of published
  government information are the application's business.
- A house's records (房屋档案), a homestead certificate (宅基地证) or a land certificate lost are
  the real-estate registry's, also when the question says 老家 or 原籍.
- A fire alarm (火警警报) in a shopping centre is the fire brigade's, not an air-raid siren.
- A militia roll (民兵名册) kept by the county, and family-planning records (计划生育老档案) asked
  after, are records, not the armed-forces department's or the health bureau's business.
- A listed company's disclosures, a speech at a relative's wedding, a radio's programming
  software, a print shop, the bar exam and a television without signal are not ours.
- Where to hide in a war, where the shelters are: the county's 人民防空 work (第14项).
- "hebei" and "hunan" are provinces, not 柏乡 and 会同.
- "有冇人收起来" asks whether anyone kept something; "有冇人" alone and "主内平安" greet.
- Figures wanted for one's own use ("多少…的统计，我写论文想要") are an information request.
- Radios on the same frequency (串频) are radio interference, not the taxi company's.
- Reporting a wedding convoy to the traffic police (交警报备) is no siren; a speech contest and
  where to buy a radio are not ours (shopping words now frame the question, as shop names do);
  a fine from the civil air defence office is no traffic ticket.
- From tuning224-226: an appeal against a fine told with a farm's words, a lawsuit against a
  county decision's enforcement and a burst pipe in an archive store stay ours; "恁那地儿在哪"
  asks for the address; dfz is 地方志; a school ceremony's speech, a meeting room to rent, a
  banner to order, a birthday banquet, a broken till and a shareholders' dispute are not ours.
- A question of eight characters or fewer that names a specific term of the matcher's answer
  ("行政诉讼期限") is not declined on the labelled questions' model (`bot.matcher.facade`).
- Two departments each saying a matter is not theirs (都说不归自己管) is a dispute between
  departments (第4项); what a meeting or the work report promised and has not been done is
  supervision of decisions (第16项).
- Pinyin initials in a question otherwise typed in pinyin are read ("fkd zai na": 防空洞 在哪), and
  a word a synonym added (防空洞 -> 人防工程) no longer lets a scored entry outweigh the service
  the question asks for: only the resident's own words do (`bot.matcher.decide`).
- A decision heard of with no document seen ("没见着正式文件", "规划文件…一份都没见着") asks for
  the document."""

from __future__ import annotations

import pytest


def test_who_is_responsible_in_dialect_is_no_greeting(matcher) -> None:
    result = matcher.match("村口那条水渠堵了好几天 有冇人管")
    assert not (result.top and result.top[0].id == "chat/greeting")


@pytest.mark.parametrize("question", ["柏乡人防办在线吗 我来咯", "档案馆在吗"])
def test_asking_whether_an_office_is_online_greets(matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.intent == "answer" and result.top[0].id == "chat/greeting", question


def test_an_office_online_with_a_question_is_the_question(matcher) -> None:
    result = matcher.match("档案馆在吗，我想查档")
    assert result.top and not result.top[0].id.startswith("chat/")


def test_whether_the_assistant_can_file_or_only_answer_asks_what_it_does(matcher) -> None:
    result = matcher.match("这个机器人能直接替我把查档申请交上去吗，还是只能问问")
    assert result.intent == "answer" and result.top[0].id == "chat/help"


def test_an_application_without_an_answer_to_this_day_asks_its_progress(matcher) -> None:
    result = matcher.match("上个月交的公开申请到今天也没个答复")
    assert result.intent == "answer" and result.top[0].id == "chat/status"


@pytest.mark.parametrize("question", ["档案局 在县委大院里头哪栋楼", "去政府办坐几路公交，在哪一站下车"])
def test_which_building_and_which_bus_stop_are_contact_questions(matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.intent == "answer" and result.top[0].id == "chat/contact", question


@pytest.mark.parametrize("question", ["信息公开年度报告去年的在哪看", "县里主动公开的那些文件在哪能看到"])
def test_the_annual_report_and_published_documents_are_open_government_work(matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.intent == "answer" and result.top[0].id == "baixiang/duty/8", question


@pytest.mark.parametrize(
    "question",
    [
        "我收到通知说公开申请材料要补正，补正是啥",
        "可以批量导出政府公开信息吗，有接口没",
        "想跟县里要点公开资料写论文",
    ],
)
def test_a_correction_and_a_bulk_export_belong_to_the_application(matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.intent == "answer" and result.top[0].id == "baixiang/service/1", question


@pytest.mark.parametrize("question", ["我家房屋档案丢了去哪补", "老家的宅基地证丢了，原籍的档案还能查到吗"])
def test_house_and_homestead_records_are_the_real_estate_registrys(matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.intent == "decline" and result.referral == "budongchan", question


def test_a_fire_alarm_in_a_shopping_centre_is_the_fire_brigades(matcher) -> None:
    result = matcher.match("商场的火警警报响个不停是在演习吗")
    assert result.intent == "decline" and result.referral == "xiaofang"


def test_an_air_raid_siren_stays_ours(matcher) -> None:
    result = matcher.match("今天上午的防空警报响个不停是在演习吗")
    # round 34: "是在演习吗" asks whether it is a drill; the read sets' writers answered such
    # questions with the drills (服务第4项) as often as with 人防 work (职责第14项)
    assert result.intent == "answer" and result.top[0].id in ("baixiang/duty/14", "baixiang/service/4")


@pytest.mark.parametrize(
    "question", ["当年在大队当民兵，民兵名册县里还保存着吗", "计划生育的老档案现在能查吗"]
)
def test_old_rolls_and_family_planning_records_are_not_referred(matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.referral not in ("wuzhuang", "weijian"), question


@pytest.mark.parametrize(
    ("question", "referral"),
    [
        ("券商让我们准备上市公司的公开披露材料", "non_government_disclosure"),
        ("侄子结婚我要上台讲两句，讲话稿谁能帮写", "non_government_speeches"),
        ("手台写频软件哪里有", "non_government_shops"),
        ("县城哪家打印店能打彩色的", "non_government"),
        ("法考报名时间在哪查", "sifa"),
        ("家里电视收不到台了找谁", "wenlv"),
        ("婚礼车队进城要不要跟交警报备", "cheguansuo"),
        ("帮我写个演讲比赛的稿子", "non_government_speeches"),
        ("收音机在哪买", "non_government_shops"),
        ("柏乡边度有得卖收音机", "non_government_shops"),
        ("学校开学典礼的讲话稿能帮我写吗", "non_government_speeches"),
        ("县里有会议室对外出租吗，想开个研讨会", "non_government"),
        ("表彰会的横幅哪里定做", "non_government"),
        ("奶奶过八十大寿，亲戚来了咋接待", "non_government"),
        ("收银电脑坏了，数据能恢复吗", "non_government_shops"),
        ("公司股东查账簿被拒，怎么起诉", "fayuan"),
    ],
)
def test_others_business_sharing_our_words_is_referred(matcher, question: str, referral: str) -> None:
    result = matcher.match(question)
    assert result.intent == "decline" and result.referral == referral, question


def test_a_print_shop_named_in_passing_is_no_referral(matcher) -> None:
    result = matcher.match("我在打印店把信息公开申请表打好了，交到哪")
    assert result.referral != "non_government"


@pytest.mark.parametrize("question", ["要是打仗了附近能躲的防空洞在哪", "万一有空袭俺们村的人往哪躲"])
def test_where_to_shelter_is_the_countys_civil_air_defence_work(matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.intent == "answer" and result.top[0].id == "baixiang/duty/14", question


def test_a_shelter_used_as_a_shop_is_still_the_supervision_of_shelters(matcher) -> None:
    result = matcher.match("小区底下的人防工程被人锁起来堆货了")
    assert result.top and result.top[0].id == "baixiang/policy/1"


def test_hebei_and_hunan_are_provinces(matcher) -> None:
    reading = matcher.read("siren test day hebei, is hunan the same")
    assert "河北" in reading and "湖南" in reading and "会同" not in reading and "柏乡" not in reading


def test_whether_anyone_collected_old_papers_is_no_greeting(matcher) -> None:
    result = matcher.match("老城区改造那会儿的图纸，县里有冇人收起来")
    assert not (result.top and result.top[0].id == "chat/greeting")


@pytest.mark.parametrize("question", ["有冇人", "主内平安"])
def test_short_greetings_in_dialect_and_in_church_words_greet(matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.intent == "answer" and result.top[0].id == "chat/greeting", question


def test_figures_wanted_for_ones_own_use_are_an_information_request(matcher) -> None:
    result = matcher.match("去年全县养了多少头猪的统计，我写论文想要")
    assert result.intent == "answer" and result.top[0].id == "baixiang/service/1"


def test_radios_on_the_same_frequency_are_radio_interference(matcher) -> None:
    result = matcher.match("饭店的对讲机老是和出租车串频")
    assert result.intent == "answer" and result.top[0].id == "baixiang/duty/9"


def test_a_fine_from_the_civil_air_defence_office_is_not_a_traffic_ticket(matcher) -> None:
    result = matcher.match("收到一张罚单，落款是人防办，罚得太重了能少点吗")
    assert result.referral != "cheguansuo"


def test_a_driving_licence_record_is_still_the_vehicle_offices(matcher) -> None:
    result = matcher.match("驾驶证的档案在车管所，怎么调")
    assert result.intent == "decline" and result.referral == "cheguansuo"


@pytest.mark.parametrize(
    ("question", "not_referral"),
    [
        ("猪场让人罚了停业整顿，老板不服想申请复议", "nongye"),
        ("处罚决定书说不服可以起诉，真告了，县里有人盯着执法合规吗", "fayuan"),
        ("档案库房的水管夜里爆了，好些档案泡了水", "shuiqi"),
    ],
)
def test_our_business_told_with_another_offices_words_is_not_referred(
    matcher, question: str, not_referral: str
) -> None:
    result = matcher.match(question)
    assert result.intent != "decline" and result.referral != not_referral, question


def test_a_burst_pipe_at_home_is_still_the_water_companys(matcher) -> None:
    result = matcher.match("家里水管爆了找谁修")
    assert result.intent == "decline" and result.referral == "shuiqi"


def test_where_is_your_place_in_hebei_dialect_is_a_contact_question(matcher) -> None:
    result = matcher.match("恁那地儿在哪 俺开车过去")
    assert result.intent == "answer" and result.top[0].id == "chat/contact"


def test_pinyin_initials_of_local_chronicles_are_read(matcher) -> None:
    result = matcher.match("dfz归谁管")
    assert result.intent == "answer" and result.top[0].id == "baixiang/duty/9"


def test_a_short_question_naming_an_entrys_own_term_is_answered(matcher) -> None:
    # the labelled questions' model leans to declining short questions; the term names the rule
    result = matcher.match("行政诉讼期限")
    assert result.intent == "answer" and result.top[0].id == "baixiang/policy/3"


def test_a_short_question_about_buying_a_radio_is_still_declined(matcher) -> None:
    result = matcher.match("对讲机哪买便宜")
    assert result.intent == "decline"


def test_departments_each_saying_it_is_not_theirs_is_a_dispute_between_departments(matcher) -> None:
    result = matcher.match("水利局和农业局都说那条渠不归自己管，村里干着急")
    assert result.intent == "answer" and result.top[0].id == "baixiang/duty/4"


@pytest.mark.parametrize(
    "question", ["县政府开会定的修桥，到现在也没动静", "工作报告里写了要建的菜市场，到今年还没开工"]
)
def test_what_the_government_decided_and_has_not_done_is_supervision(matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.intent == "answer" and result.top[0].id == "baixiang/duty/16", question


@pytest.mark.parametrize(
    ("question", "entry"),
    [("fkd zai na", "baixiang/duty/14"), ("ydcd zenme ban", "baixiang/service/9")],
)
def test_pinyin_initials_inside_a_pinyin_question_are_read(matcher, question: str, entry: str) -> None:
    # a question all in pinyin used to drop the initials as no syllables ("fkd zai na": 在哪)
    result = matcher.match(question)
    assert result.intent == "answer" and entry in [c.id for c in result.top], question


@pytest.mark.parametrize(
    "question", ["听说镇上要征我们村的地，可谁也没见着正式文件", "县里的规划文件我们村一份都没见着"]
)
def test_a_decision_heard_of_but_no_document_seen_asks_for_the_document(matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.intent == "answer" and result.top[0].id == "baixiang/service/1", question
