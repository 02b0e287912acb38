"""The seed importer against the real seed documents, and the committed knowledge files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.knowledge import Department
from bot.seed_import import (
    SEED_FIELDS,
    department_id,
    department_to_data,
    duty_title,
    import_seeds,
    parse_seed,
)

REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
BAIXIANG_SEED = SEEDS / "000_fd7a80e36a04f73c.txt"
XIANGYIN_SEED = SEEDS / "003_55a77c63e350dfbb.txt"
DEPARTMENTS = REPO / "knowledge" / "departments"

ART_33 = (
    "自收到申请之日起20个工作日内答复；需要延长的，经批准可延长一次，最多不超过20个工作日，并告知申请人。"
)


@pytest.fixture(scope="module")
def baixiang() -> Department:
    return parse_seed(BAIXIANG_SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def xiangyin() -> Department:
    return parse_seed(XIANGYIN_SEED.read_text(encoding="utf-8"))


def _duty(dept: Department, n: int):
    return next(d for d in dept.duties if d.number == n)


def _service(dept: Department, n: int):
    return next(s for s in dept.services if s.number == n)


def _policy(dept: Department, n: int):
    return next(p for p in dept.policies if p.number == n)


def _all_text(dept: Department) -> list[str]:
    texts = [dept.name]
    for d in dept.duties:
        texts += [d.title, d.text] + [r.item for r in d.rows] + [r.office for r in d.rows]
    for s in dept.services:
        texts += [s.title, s.content, s.office, s.phone]
    for p in dept.policies:
        texts += [p.title, p.office, p.intro] + [s.heading for s in p.sections]
        texts += [para for s in p.sections for para in s.paragraphs]
    return texts


# --------------------------------------------------------------------------- departments


def test_department_names_and_ids(baixiang, xiangyin):
    assert (baixiang.id, baixiang.name) == ("baixiang", "柏乡县人民政府办公室")
    assert (xiangyin.id, xiangyin.name) == ("xiangyin", "湘阴县档案局")
    assert department_id("柏乡县人民政府办公室") == "baixiang"
    assert department_id("湘阴县档案局") == "xiangyin"


def test_counts(baixiang, xiangyin):
    assert (len(baixiang.duties), len(baixiang.services), len(baixiang.policies)) == (17, 10, 11)
    assert (len(xiangyin.duties), len(xiangyin.services), len(xiangyin.policies)) == (10, 0, 4)
    assert [d.number for d in baixiang.duties] == list(range(1, 18))
    assert [s.number for s in baixiang.services] == list(range(1, 11))
    assert [p.number for p in baixiang.policies] == list(range(1, 12))
    assert [d.number for d in xiangyin.duties] == list(range(1, 11))


def test_entry_ids(baixiang, xiangyin):
    assert _duty(baixiang, 6).id == "baixiang/duty/6"
    assert _service(baixiang, 9).id == "baixiang/service/9"
    assert _policy(baixiang, 11).id == "baixiang/policy/11"
    assert [p.id for p in xiangyin.policies] == [f"xiangyin/policy/{n}" for n in range(1, 5)]


def test_no_layout_debris_in_any_text(baixiang, xiangyin):
    for text in _all_text(baixiang) + _all_text(xiangyin):
        assert "\t" not in text and "\xa0" not in text and text == text.strip(), repr(text)
    # Blank lines from the seed never survive inside a field.
    for text in _all_text(baixiang) + _all_text(xiangyin):
        assert "\n\n" not in text


# --------------------------------------------------------------------------- duties


def test_continuation_row_gets_its_own_office(baixiang):
    duty = _duty(baixiang, 6)
    assert [r.office for r in duty.rows] == ["秘书股", "行管股"]
    assert duty.rows[0].item.startswith("负责县政府机关值班工作")
    assert duty.rows[1].item == "负责县政府机关安全保卫工作"
    assert duty.text.startswith("负责县政府机关值班和安全保卫工作")
    assert duty.title == "县政府机关值班和安全保卫工作"


def test_repeated_header_is_not_a_duty(baixiang):
    for duty in baixiang.duties:
        assert "主要职责" not in duty.text and duty.text != "序号"
        assert all(r.item not in {"具体工作事项", "责任科室"} for r in duty.rows)
    # The rows on both sides of each repeated header stay with their duties.
    assert [r.office for r in _duty(baixiang, 8).rows] == ["信息股", "法制办"]
    assert [r.office for r in _duty(baixiang, 9).rows] == ["信息股", "金融电力股"]
    assert [r.office for r in _duty(baixiang, 15).rows] == ["档案局"] * 4
    assert _duty(baixiang, 16).rows[0].office == "督查室"


def test_multi_line_work_items_become_rows(baixiang):
    duty = _duty(baixiang, 13)
    assert len(duty.rows) == 6
    assert {r.office for r in duty.rows} == {"法制办"}
    assert duty.rows[0].item == "负责推进全县依法行政工作"
    assert duty.rows[1].item == "负责规范性文件的起草、审查、修改和备案"
    assert duty.rows[5].item == "对乡镇政府和各部门的法制工作进行指导。"
    assert len(_duty(baixiang, 14).rows) == 5
    assert [len(_duty(baixiang, n).rows) for n in (1, 2, 16, 17)] == [2, 2, 5, 2]


def test_xiangyin_duty_blocks(xiangyin):
    first = _duty(xiangyin, 1)
    assert first.text.startswith("对全县档案事业统筹规划、宏观管理")
    assert (
        len(first.rows) == 7
        and first.rows[0].item == "拟订县委、县政府贯彻落实党和国家档案工作方针政策的措施"
    )
    assert {r.office for d in xiangyin.duties for r in d.rows} == {""}
    assert [len(d.rows) for d in xiangyin.duties] == [7, 4, 10, 3, 3, 4, 4, 8, 4, 1]
    # Duty 10's only work item is 无: the duty text itself stands in for it.
    last = _duty(xiangyin, 10)
    assert last.text == "承办县委、县政府交办的其他事项"
    assert [r.item for r in last.rows] == ["承办县委、县政府交办的其他事项"]


def test_duty_titles():
    assert duty_title("负责县政府会议的准备和服务工作，协助县政府领导。") == "县政府会议的准备和服务工作"
    assert duty_title("承办县政府领导交办的其他事项。") == "承办县政府领导交办的其他事项"
    long = duty_title("负责全县外事侨务及县政府外宾、内宾、公务接待工作。")
    assert long == "全县外事侨务及县政府外宾、内宾等" and len(long) <= 20
    assert len(duty_title("协助县政府领导组织起草或审核上报省市政府办公室和致函省市政府各部门的公文")) == 20


# --------------------------------------------------------------------------- services


def test_merged_office_cells_fill_down(baixiang):
    offices = [s.office for s in baixiang.services]
    assert offices == ["政务公开办公室", "应急办", "人防办", "人防办", "人防办"] + ["档案局"] * 5
    assert {s.phone for s in baixiang.services} == {""}


def test_text_broken_mid_word_is_joined(baixiang):
    service = _service(baixiang, 5)
    assert service.title == "人防宣传月" and service.office == "人防办"
    assert "企业员工" in service.content and "防空防灾知识讲座" in service.content
    assert service.content.startswith("组织开展形式多样的防空防灾知识宣传") and service.content.endswith(
        "演练活动等。"
    )


def test_service_titles_and_content(baixiang):
    assert [s.title for s in baixiang.services][:2] == ["政府信息公开", "预警信息"]
    assert _service(baixiang, 6).title == "“国际档案日”活动"
    assert _service(baixiang, 9).title == "异地查档、跨馆服务"
    assert _service(baixiang, 9).content == "提供一站式全省综合档案馆的异地查档服务"
    assert _service(baixiang, 10).content == "提供已备份档案数据的数据恢复服务"


# --------------------------------------------------------------------------- policies


def test_both_bracket_styles_stripped_from_titles(baixiang, xiangyin):
    assert _policy(baixiang, 1).title == "人防建筑、设施工程事项监管"  # (一)
    assert _policy(baixiang, 4).title == "规范案件查处"  # （四）
    assert _policy(baixiang, 10).title == "规范案件查处"  # same title, different section
    assert _policy(xiangyin, 3).title == "重大案件查处"  # （四）without a 部门名称 line
    for policy in baixiang.policies + xiangyin.policies:
        assert policy.title[0] not in "(（"


def test_heading_list_is_not_sections(baixiang):
    titles = [p.title for p in baixiang.policies]
    assert titles[:3] == ["人防建筑、设施工程事项监管", "行政复议案件事项监管", "行政诉讼案件事项监管"]
    assert titles[8] == "档案出卖、出境等事项监管"
    first = _policy(baixiang, 1)
    assert first.intro.startswith("为了加强人民防空建设")
    assert [s.heading for s in first.sections] == [
        "一、监督检查对象",
        "二、监督检查内容和指标",
        "三、监督检查方式",
        "四、监督检查程序",
        "五、监督检查措施",
        "六、监督检查处理",
    ]
    assert first.sections[0].paragraphs == ["各人防工程建造单位、业主单位及负有日常维护管理义务的责任单位。"]
    # 规范案件查处 (4) and (10) are different sections with different content.
    assert "人防办" in _policy(baixiang, 4).sections[0].paragraphs[0]
    assert "档案行政处罚" in _policy(baixiang, 10).sections[0].paragraphs[0]


def test_sub_offices_from_both_name_lines_and_brackets(baixiang):
    offices = [p.office for p in baixiang.policies]
    assert offices == ["人防办", "法制办", "法制办", "人防办", "人防办"] + ["档案局"] * 6
    # (一) has 部门名称 with a half-width bracket, (二) a full-width one, (九)-(十一) 单位名称.
    assert _policy(baixiang, 2).office == "法制办"
    assert _policy(baixiang, 9).office == "档案局"
    for policy in baixiang.policies:
        assert "部门名称" not in policy.intro and "单位名称" not in policy.intro


def test_last_policies(baixiang, xiangyin):
    last = baixiang.policies[-1]
    assert (last.number, last.title, last.office) == (11, "行政处罚裁量权规范", "档案局")
    assert last.intro.startswith("为从源头上防止和滥用行政处罚裁量权的行为")
    assert last.sections[-1].paragraphs[-1] == "（五）本行政处罚自由裁量行为规范自公布之日起施行。"
    final = xiangyin.policies[-1]
    assert (final.number, final.title, final.office) == (4, "规范行政处罚裁量权", "")
    assert "湖南省人民政府第244号令《湖南省规范行政裁量权办法》" in final.intro
    assert [s.heading for s in final.sections] == ["一、主要内容", "二、标准规范", "三、有关措施"]
    assert final.sections[1].paragraphs == [
        "《湖南省档案行政处罚裁量权基准》作为全省档案系统行政处罚裁量的标准规范。"
    ]


def test_xiangyin_policies(xiangyin):
    assert [p.title for p in xiangyin.policies] == [
        "档案安全监管",
        "电子档案监管",
        "重大案件查处",
        "规范行政处罚裁量权",
    ]
    assert {p.office for p in xiangyin.policies} == {""}
    assert _policy(xiangyin, 1).intro.startswith("档案安全监管是档案行政管理部门的重要职责")


def test_paragraphs_broken_mid_sentence_are_joined(baixiang):
    method = _policy(baixiang, 7).sections[2]
    assert method.heading == "三、监督检查方式及指标"
    assert method.paragraphs[1].startswith("（二）专项检查针对重大隐患问题、网络安全重点领域、上级交办事项等")
    content = _policy(baixiang, 8).sections[1].paragraphs
    assert content[1] == "（一）是否建立完善了覆盖全面、制度健全、手段先进、保障有力的档案安全工作机制；"
    assert content[2].startswith("（二）档案登记备份工作是否法制化、规范化、常态化，对重要档案")
    assert _policy(baixiang, 5).sections[1].paragraphs == [
        "依法参照《河北省实施<中华人民共和国人民防空法>办法》及《河北省结合民用建筑修建防空地下室管理规定》"
        "河北省人民政府令[2011]第22号），实施自由裁量权规制。"
    ]


def test_unpunctuated_sub_headings_are_not_joined(baixiang):
    flow = _policy(baixiang, 4).sections[2].paragraphs
    assert flow[0] == "（一）发现违法行为"
    assert flow[1].startswith("由2名或者2名以上执法人员")
    procedure = _policy(baixiang, 2).sections[3].paragraphs
    assert procedure[1] == "（二）出具案件答复通知书"
    assert procedure[2].startswith("（三）涉案机关报送案件答复书")


def test_seed_without_a_department_name_needs_one():
    with pytest.raises(ValueError, match="部门名称"):
        parse_seed("\t部门职责\n\t主要职责\n具体工作事项\n备注\n负责某事。\xa0\n办某事\xa0\n")
    dept = parse_seed(
        "\t部门职责\n\t主要职责\n具体工作事项\n备注\n负责某事。\xa0\n办某事\xa0\n", name="柏乡县档案局"
    )
    assert dept.id == "baixiang" and [r.item for r in dept.duties[0].rows] == ["办某事"]


# --------------------------------------------------------------------------- import / re-import


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _entry(data: dict, key: str, entry_id: str) -> dict:
    return next(e for e in data[key] if e["id"] == entry_id)


def test_import_writes_valid_files(tmp_path):
    written = import_seeds([BAIXIANG_SEED, XIANGYIN_SEED], tmp_path)
    assert written == [tmp_path / "baixiang.yaml", tmp_path / "xiangyin.yaml"]
    text = written[0].read_text(encoding="utf-8")
    assert text.startswith(
        "# 柏乡县人民政府办公室: generated from the seed document 000_fd7a80e36a04f73c.txt"
    )
    assert "keywords, questions, flow, notes" in text
    assert "人防宣传月" in text and "\\u" not in text  # unicode written as is
    data = _load(written[0])
    assert list(data["duties"][0])[:4] == ["id", "number", "title", "text"]
    assert list(data["services"][0])[:4] == ["id", "number", "title", "content"]
    dept = Department.model_validate(data)
    assert len(dept.duties) == 17 and _service(dept, 5).office == "人防办"


def test_reimport_keeps_administrator_fields(tmp_path):
    [path] = import_seeds([BAIXIANG_SEED], tmp_path)
    data = _load(path)
    duty = _entry(data, "duties", "baixiang/duty/6")
    duty["keywords"] = ["值班", "晚上有人吗"]
    duty["questions"] = ["县政府夜里有人值班吗？"]
    duty["title"] = "值班和门卫"  # edited by an administrator
    duty["text"] = "被人改坏的职责文本"  # seed-derived: refreshed from the seed
    service = _entry(data, "services", "baixiang/service/9")
    service.update(flow="archive_lookup", notes=["一条说明"], phone="0319-0000000", keywords=["异地查档"])
    service["content"] = "改坏的内容"
    service["office"] = "别的科室"
    policy = _entry(data, "policies", "baixiang/policy/11")
    policy["keywords"] = ["档案罚款"]
    policy["questions"] = ["档案罚款有标准吗？"]
    data["dialect"] = ["俺", "中不中"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    import_seeds([BAIXIANG_SEED], tmp_path)
    again = _load(path)
    duty = _entry(again, "duties", "baixiang/duty/6")
    assert duty["keywords"] == ["值班", "晚上有人吗"] and duty["questions"] == ["县政府夜里有人值班吗？"]
    assert duty["title"] == "值班和门卫"
    assert duty["text"].startswith("负责县政府机关值班和安全保卫工作")
    service = _entry(again, "services", "baixiang/service/9")
    assert (service["flow"], service["notes"], service["phone"]) == (
        "archive_lookup",
        ["一条说明"],
        "0319-0000000",
    )
    assert service["keywords"] == ["异地查档"]
    assert (service["content"], service["office"]) == ("提供一站式全省综合档案馆的异地查档服务", "档案局")
    policy = _entry(again, "policies", "baixiang/policy/11")
    assert policy["keywords"] == ["档案罚款"] and policy["questions"] == ["档案罚款有标准吗？"]
    # Entries nobody touched stay as the seed has them.
    assert _entry(again, "duties", "baixiang/duty/2")["keywords"] == []
    assert again["dialect"] == ["俺", "中不中"] and list(again)[:3] == ["id", "name", "dialect"]
    Department.model_validate(again)


def test_reimport_refreshes_titles_nobody_edited(tmp_path):
    [path] = import_seeds([BAIXIANG_SEED], tmp_path)
    data = _load(path)
    duty = _entry(data, "duties", "baixiang/duty/2")
    # As written by an older seed: the title is the one derived from that text, so not edited.
    duty["text"] = "负责旧的会议工作。"
    duty["title"] = duty_title(duty["text"])
    service = _entry(data, "services", "baixiang/service/2")
    service["title"] = "旧标题"
    service["content"] = "旧内容"  # the seed changed this entry: its title comes from the seed
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    import_seeds([BAIXIANG_SEED], tmp_path)
    again = _load(path)
    assert _entry(again, "duties", "baixiang/duty/2")["title"] == "县政府会议的准备和服务工作"
    assert _entry(again, "services", "baixiang/service/2")["title"] == "预警信息"


def test_reimport_is_stable(tmp_path):
    for seed in (BAIXIANG_SEED, XIANGYIN_SEED):
        shutil.copy(DEPARTMENTS / f"{parse_seed(seed.read_text(encoding='utf-8')).id}.yaml", tmp_path)
    before = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.iterdir()}
    import_seeds([BAIXIANG_SEED, XIANGYIN_SEED], tmp_path)
    assert {p.name: p.read_text(encoding="utf-8") for p in tmp_path.iterdir()} == before


def test_unreadable_existing_file_is_not_overwritten(tmp_path):
    broken = tmp_path / "baixiang.yaml"
    broken.write_text("id: baixiang\nduties: [unclosed\n", encoding="utf-8")
    with pytest.raises(ValueError, match="cannot read the existing file"):
        import_seeds([BAIXIANG_SEED], tmp_path)
    assert broken.read_text(encoding="utf-8") == "id: baixiang\nduties: [unclosed\n"


# --------------------------------------------------------------------------- committed knowledge files


@pytest.mark.parametrize("seed", [BAIXIANG_SEED, XIANGYIN_SEED], ids=["baixiang", "xiangyin"])
def test_committed_files_match_the_seed(seed):
    fresh = department_to_data(parse_seed(seed.read_text(encoding="utf-8")))
    path = DEPARTMENTS / f"{fresh['id']}.yaml"
    committed = _load(path)
    dept = Department.model_validate(committed)
    assert (committed["id"], committed["name"]) == (fresh["id"], fresh["name"])
    for kind, key in (("duty", "duties"), ("service", "services"), ("policy", "policies")):
        assert [e["id"] for e in committed[key]] == [e["id"] for e in fresh[key]]
        for old, new in zip(committed[key], fresh[key], strict=True):
            for field in SEED_FIELDS[kind]:
                assert old[field] == new[field], f"{old['id']}.{field} drifted from the seed"
    for entry in dept.entries():
        kind = entry.id.split("/")[1]
        assert entry.id == f"{dept.id}/{kind}/{entry.number}"


@pytest.mark.parametrize("name", ["baixiang", "xiangyin"])
def test_committed_files_have_administrator_aids(name):
    dept = Department.model_validate(_load(DEPARTMENTS / f"{name}.yaml"))
    for entry in dept.entries():
        assert 5 <= len(entry.keywords) <= 15, entry.id
        # round 10: 8-12 example questions in residents' words joined the administrators' 4-8
        assert 4 <= len(entry.questions) <= 20, entry.id
        assert len(set(entry.keywords)) == len(entry.keywords), entry.id
        assert not {"工作", "负责", "县政府"} & set(entry.keywords), entry.id
    # Within a department no keyword points at two entries.
    seen: dict[str, str] = {}
    for entry in dept.entries():
        for word in entry.keywords:
            assert word not in seen, f"{word!r} in both {seen[word]} and {entry.id}"
            seen[word] = entry.id


def test_committed_service_flows_and_notes():
    dept = Department.model_validate(_load(DEPARTMENTS / "baixiang.yaml"))
    flows = {s.number: s.flow for s in dept.services}
    assert flows == {
        1: "disclosure",
        2: "warnings",
        3: None,
        4: "events",
        5: "events",
        6: None,
        7: None,
        8: None,
        9: "archive_lookup",
        10: None,
    }
    assert ART_33 in _service(dept, 1).notes
    assert {s.phone for s in dept.services} == {""}  # not published: never invented
    assert "值班" in _duty(dept, 6).keywords and "保安" in _duty(dept, 6).keywords
