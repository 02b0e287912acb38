"""Round 31: `patterns` in synonyms.yaml, for residents who describe what they mean because they do
not know its name. 老材料, 旧账本, 民国时候的册子, 五十年代的记录 are all 档案; 存老资料的地方 is the
档案馆; 写咱县历史的人 is the 地方志 office. A word list would have to name every variant, so one
regular expression (`match`) adds the official term (`adds`), the resident's words kept. Unlike
a single word's synonym, a description's term counts where `unless` words of referrals.yaml are
read: 存老资料的地方 says whose business it is as plainly as 档案馆 would.

The questions here are the administrators' own, not from any evaluation set."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.knowledge import BUNDLED_KNOWLEDGE, KnowledgeError, load_knowledge
from bot.text import normalize


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # 写咱县历史的人: the local chronicle (职责第9项)
        ("编咱县历史的那些人还要老照片不", "baixiang/duty/9"),
        # a class teaching how to sort old ledgers: archive training, not a stranger's business
        ("有没有教村里会计收拾旧账本的培训班", "baixiang/service/8"),
        # practising hiding when the siren sounds: the drill
        ("孩子学校说要练躲，跟着警报往操场跑，这是啥活动", "baixiang/service/4"),
        # one's own request, in other words: 批下来冇, 到了么子地步
        ("俺交上去的申请批下来没", "chat/status"),
        ("我上个月去查的那份证明，讲是要等，现在到了么子地步", "chat/status"),
        # where an office is, when it opens over the new year, whose phone
        ("那个放老资料的地方在哪条路", "chat/contact"),
        ("档案馆过年放假开不开门", "chat/contact"),
        ("有没有管查档那个负责人电话", "chat/contact"),
        # what the assistant answers
        ("我有几个查档的问题，你这能答吗", "chat/help"),
        ("给我个电话号码呗", "chat/contact"),
        ("帮我找一下管这事的同志", "chat/human"),
        ("好嘞，那先这样，回头再来", "chat/thanks"),
        ("我上回托你们查的那份底子，查着没", "chat/status"),
        ("你们中午几点休息", "chat/contact"),
        ("国庆节你们放不放假", "chat/contact"),
        ("Is there a lunch break?", "chat/contact"),
        ("请问这里是档案局吗", "chat/greeting"),
        ("Can I ask you something?", "chat/greeting"),
        ("what this bot can do", "chat/help"),
        ("thx 拜拜", "chat/thanks"),
        # a film about the county's history still asks the chronicle office
        ("想借县志资料拍个纪录片，县志办在哪", "baixiang/duty/9"),
    ],
)
def test_residents_words_find_the_entry_its_name_would(matcher, question: str, entry: str) -> None:
    result = matcher.match(question)
    assert result.intent == "answer" and result.top[0].id == entry, question


@pytest.mark.parametrize(
    ("question", "added"),
    [
        ("俺家翻出来一摞五十年代的老账本", "档案"),
        ("民国时候的旧地图县里还有没有", "档案"),
        ("县城里保存旧资料的那个地方在哪", "档案馆"),
        ("厂子被一个局查封了，俺觉得冤", "行政复议"),
        # the papers of a closed factory or school are kept by the archive
        ("粮站早倒闭了，俺爹在那干活的证明去哪开", "档案"),
        ("学校撤并以后学生的花名册去哪了", "档案"),
        ("村里老会计的账本按规定要保存多少年", "档案"),
        ("去法院告县里一个局之前要先做啥", "行政诉讼"),
        ("县长说要修这条路，说完就没下文了", "督查"),
        ("战备时候挖的地下通道能填吗", "人防工程"),
        ("电脑里的表格数据要怎么存才合规", "电子档案"),
        ("县长开会说修桥的事，会上定了啥", "会议"),
    ],
)
def test_the_official_term_is_added_and_the_words_kept(matcher, question: str, added: str) -> None:
    repaired, notes = matcher.analyser.repair(normalize(question))
    assert repaired.startswith(normalize(question))
    assert any(n.startswith("described:") and added in n.split(":", 1)[1].split(",") for n in notes)


@pytest.mark.parametrize(
    "question",
    [
        "老师让交的材料是什么",  # 老师, not 老材料
        "我以前申请的材料审到哪了",  # one's own earlier papers are no archive
        "老家的房子要过户",
        "进货的单子要留几年",  # a shop's receipts: 留 alone is no keeping of records
    ],
)
def test_words_that_only_look_alike_add_nothing(matcher, question: str) -> None:
    _, notes = matcher.analyser.repair(normalize(question))
    added = [
        t for n in notes if n.startswith(("synonyms:", "described:")) for t in n.split(":", 1)[1].split(",")
    ]
    assert "档案" not in added and "档案馆" not in added, notes


@pytest.mark.parametrize(
    ("entry", "field", "told"),
    [
        ("  - match: '[老'\n    adds: 档案\n", "match", "not a valid regular expression"),
        ("  - match: '(老)?'\n    adds: 档案\n", "match", "empty question"),
        ("  - match: '老材料'\n    adds: ''\n", "adds", "must be text"),
        ("  - match: '老材料'\n    adds: 档案\n    add: 档案馆\n", "add", "unknown field"),
    ],
)
def test_a_broken_pattern_is_named_by_file_position_and_field(tmp_path: Path, entry, field, told) -> None:
    root = tmp_path / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, root)
    path = root / "synonyms.yaml"
    path.write_text(path.read_text(encoding="utf-8") + entry, encoding="utf-8")
    count = path.read_text(encoding="utf-8").split("\npatterns:", 1)[1].count("\n  - match:")
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(root)
    problem = next(p for p in raised.value.problems if p.file.endswith("synonyms.yaml"))
    assert problem.entry == f"patterns[{count - 1}]" and problem.field == field
    assert told in problem.message


@pytest.mark.parametrize(
    ("question", "referral"),
    [
        ("单位年会的讲话稿有没有范文", "non_government_speeches"),
        ("手机硬盘坏了能帮忙恢复数据吗，多少钱", "non_government_shops"),
        ("楼顶装了5G基站，辐射谁管", "yunyingshang"),
        ("厂里出了安全事故先报给谁", "yingji"),
        ("资料员证在哪报名考", "renshe"),
        ("手机老响，是不是中毒了", "non_government_shops"),
        ("公司注册那会儿交的资料能调出来吗", "shichang"),
        ("老字画出国前要去文物部门鉴定吗", "wenlv"),
        ("家里的旧书能捐给县图书馆吗", "wenlv"),
    ],
)
def test_others_business_in_residents_words_is_referred(matcher, question: str, referral: str) -> None:
    result = matcher.match(question)
    assert result.intent == "decline" and result.referral == referral, question


@pytest.mark.parametrize(
    "question", ["银行中午开吗", "学校过年放几天假", "What is the number of the tax bureau?"]
)
def test_another_places_hours_are_not_our_contact(matcher, question: str) -> None:
    result = matcher.match(question)
    assert not (result.intent == "answer" and result.top[0].id == "chat/contact"), question
