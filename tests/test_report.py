"""The annual report's section 三, counted from a real SQLite request log built through the
Store API, checked against a table counted by hand; the outcome catalogue's validation; the
schema-3 migration; `citizen-bot report foi`."""

from __future__ import annotations

import csv
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.knowledge import BUNDLED_KNOWLEDGE, Problem, load_knowledge
from bot.outcomes import Catalogue, load_outcomes_file, parse_outcomes
from bot.report import CARRIED_IN, CARRIED_OUT, NEW, RESULTS_TOTAL, foi_report, render_text
from bot.store import (
    ANSWERED,
    COMPLETED,
    IN_PROGRESS,
    NEEDS_CORRECTION,
    SCHEMA_VERSION,
    Store,
)
from bot.workdays import WorkCalendar
from cli.main import main


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    problems: list[Problem] = []
    found = load_outcomes_file(BUNDLED_KNOWLEDGE, problems)
    assert problems == [] and found is not None
    return found


PERSON = {"form": "disclosure", "fields": {"applicant_type": "公民", "name": "张三"}}


def org(name: str) -> dict:
    return {"form": "disclosure", "fields": {"applicant_type": "法人或其他组织", "org_name": name}}


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour)


def submit(store: Store, day: date, data: dict, applicant_type: str | None, prefix: str = "GK") -> str:
    req = store.create_request(
        kind="信息公开",
        prefix=prefix,
        resident="tg:1",
        data=data,
        office="县政府办公室",
        received=day,
        due=day + timedelta(days=28),
        due_provisional=False,
        now=at(day, 9),
        applicant_type=applicant_type,
    )
    return req.reference


def answer(store: Store, ref: str, day: date, kind: str, status: str = ANSWERED) -> None:
    req = store.get_request(ref)
    assert req is not None
    if req.status != IN_PROGRESS:
        store.set_status(ref, IN_PROGRESS, by="tg:9", now=at(day, 11))
    store.set_status(ref, status, by="tg:9", now=at(day, 15), closed_kind=kind)


def build_log(store: Store) -> dict[str, str]:
    """The fixture. Hand count for 2026 (columns 自然人 / 商业企业 / 科研机构 / 法律服务机构):

    新收 9 = 6 / 1 / 1 / 1 (E F G H I J K L O); 上年结转 3 = 2 / 1 / 0 / 0 (A B D);
    results 8: A 予以公开, D 4.1 (legacy 信息不存在), E 部分公开, F 3.4 (法律服务机构, derived
    from the name), G 4.3 (after a 补正 moved its received date), H 6.1 (closed from 需补正),
    K 5.2 (legacy 重复申请), O 6.2 (商业企业); L (legacy 不予公开, no reason) is unclassified;
    结转下年度 3 = 1 / 1 / 1 / 0 (J, B, I). C (all 2025), M (2027) and N (查档) are not counted.
    """
    refs: dict[str, str] = {}
    # from 2025
    refs["A"] = submit(store, date(2025, 12, 10), PERSON, "自然人")
    answer(store, refs["A"], date(2026, 1, 8), "予以公开")
    refs["B"] = submit(store, date(2025, 12, 20), org("柏乡县某某商贸有限公司"), "商业企业")
    answer(store, refs["B"], date(2027, 1, 5), "予以公开")
    refs["C"] = submit(store, date(2025, 11, 3), PERSON, "自然人")
    answer(store, refs["C"], date(2025, 12, 1), "予以公开")
    refs["D"] = submit(store, date(2025, 12, 29), PERSON, None)  # a row from before schema 3
    answer(store, refs["D"], date(2026, 1, 12), "信息不存在")  # stored by the old close choices
    # 2026
    refs["E"] = submit(store, date(2026, 3, 2), PERSON, "自然人")
    answer(store, refs["E"], date(2026, 3, 20), "部分公开")
    refs["F"] = submit(store, date(2026, 4, 1), org("河北某某律师事务所"), None)
    answer(store, refs["F"], date(2026, 4, 20), "不予公开：保护第三方合法权益")
    refs["G"] = submit(store, date(2026, 5, 6), PERSON, "自然人")
    store.set_status(refs["G"], NEEDS_CORRECTION, by="tg:9", now=at(date(2026, 5, 8)))
    store.set_status(
        refs["G"],
        IN_PROGRESS,
        by="tg:9",
        now=at(date(2026, 5, 20)),
        received=date(2026, 5, 20),
        due=date(2026, 6, 17),
    )
    answer(store, refs["G"], date(2026, 6, 10), "无法提供：补正后申请内容仍不明确")
    refs["H"] = submit(store, date(2026, 6, 1), PERSON, "自然人")
    store.set_status(refs["H"], NEEDS_CORRECTION, by="tg:9", now=at(date(2026, 6, 3)))
    store.set_status(
        refs["H"],
        COMPLETED,
        by="tg:9",
        now=at(date(2026, 7, 15)),
        closed_kind="其他处理：申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    )
    refs["I"] = submit(store, date(2026, 12, 21), org("某某农业发展中心"), "其他")
    store.set_applicant_type(refs["I"], "科研机构", by="tg:9", now=at(date(2026, 12, 22)))
    refs["J"] = submit(store, date(2026, 12, 30), PERSON, "自然人")
    answer(store, refs["J"], date(2027, 1, 4), "予以公开")
    refs["K"] = submit(store, date(2026, 9, 1), PERSON, "自然人")
    answer(store, refs["K"], date(2026, 9, 10), "重复申请")
    refs["L"] = submit(store, date(2026, 10, 8), PERSON, "自然人")
    answer(store, refs["L"], date(2026, 10, 20), "不予公开")
    refs["O"] = submit(store, date(2026, 7, 1), org("某某科技有限公司"), "商业企业")
    answer(
        store,
        refs["O"],
        date(2026, 8, 3),
        "其他处理：申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    )
    refs["M"] = submit(store, date(2027, 1, 5), PERSON, "自然人")
    refs["N"] = submit(store, date(2026, 3, 3), PERSON, "自然人", prefix="CD")
    return refs


#: key -> (自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计), by hand
EXPECTED_2026 = {
    NEW: (6, 1, 1, 0, 1, 0, 9),
    CARRIED_IN: (2, 1, 0, 0, 0, 0, 3),
    "1": (1, 0, 0, 0, 0, 0, 1),
    "2": (1, 0, 0, 0, 0, 0, 1),
    "3.4": (0, 0, 0, 0, 1, 0, 1),
    "4.1": (1, 0, 0, 0, 0, 0, 1),
    "4.3": (1, 0, 0, 0, 0, 0, 1),
    "5.2": (1, 0, 0, 0, 0, 0, 1),
    "6.1": (1, 0, 0, 0, 0, 0, 1),
    "6.2": (0, 1, 0, 0, 0, 0, 1),
    RESULTS_TOTAL: (6, 1, 0, 0, 1, 0, 8),
    CARRIED_OUT: (1, 1, 1, 0, 0, 0, 3),
}


def test_section_three_matches_the_hand_count(tmp_path: Path, catalogue: Catalogue) -> None:
    with Store(tmp_path / "bot.db") as store:
        refs = build_log(store)
        report = foi_report(store, 2026, catalogue)
    counted = {r.key: r.counts for r in report.rows if r.counts is not None}
    zero = (0,) * 7
    for key, counts in counted.items():
        assert counts == EXPECTED_2026.get(key, zero), key
    assert set(EXPECTED_2026) <= set(counted)
    assert [(u.reference, u.stored) for u in report.unclassified] == [(refs["L"], "不予公开")]
    assert report.balanced
    # every statutory row is there, in the report's order
    labels = [r.label for r in report.rows]
    assert labels[:3] == [
        "一、本年新收政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        "三、本年度办理结果",
    ]
    assert labels[-2:] == ["（七）总计", "四、结转下年度继续办理"]
    assert (
        "（三）不予公开" in labels
        and "8.属于行政查询事项" in labels
        and "5.要求行政机关确认或重新出具已获取信息" in labels
    )
    assert len([r for r in report.rows if r.level == 2]) == 8 + 3 + 5 + 3


def test_the_year_before_and_after(tmp_path: Path, catalogue: Catalogue) -> None:
    with Store(tmp_path / "bot.db") as store:
        build_log(store)
        r2025 = foi_report(store, 2025, catalogue)
        r2027 = foi_report(store, 2027, catalogue)
    # 2025: A B C D new; C answered; A B D carried into 2026 (= 2026's 上年结转)
    assert r2025.count(NEW) == 4 and r2025.count(CARRIED_IN) == 0
    assert r2025.count(RESULTS_TOTAL) == 1 and r2025.count(CARRIED_OUT) == 3
    # 2027: B I J carried in (= 2026's 结转下年度); B J answered; M new and open; I still open
    assert r2027.count(CARRIED_IN) == 3 and r2027.count(NEW) == 1
    assert r2027.count("1") == 2 and r2027.count(CARRIED_OUT) == 2
    assert r2027.balanced and r2025.balanced


def test_reclassifying_a_legacy_outcome_places_it(tmp_path: Path, catalogue: Catalogue) -> None:
    with Store(tmp_path / "bot.db") as store:
        refs = build_log(store)
        store.reclassify(refs["L"], "不予公开：属于四类过程性信息", by="tg:9", now=at(date(2027, 1, 10)))
        report = foi_report(store, 2026, catalogue)
        history = store.history(refs["L"])
    assert report.unclassified == () and report.count("3.6") == 1 and report.count(RESULTS_TOTAL) == 9
    assert "原：不予公开" in history[-1].note
    text = render_text(report)
    assert "（相符）" in text and "未归类" not in text


def test_cli_prints_and_writes_csv_and_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "bot.db"
    with Store(db) as store:
        refs = build_log(store)
    csv_path, xlsx_path = tmp_path / "foi.csv", tmp_path / "foi.xlsx"
    assert main(["report", "foi", "--year", "2026", "--db", str(db), "--out", str(csv_path)]) == 0
    out = capsys.readouterr().out
    assert "2026年度 收到和处理政府信息公开申请情况" in out
    assert refs["L"] in out and "未归类 1" in out
    new_line = next(line for line in out.splitlines() if line.startswith("一、本年新收"))
    assert new_line.split()[1:] == ["6", "1", "1", "0", "1", "0", "9"]
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:3] == ["项目", "自然人", "法人或其他组织"] and rows[0][-1] == "总计"
    assert rows[1][2:7] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    by_label = {r[0].strip("　"): r[1:] for r in rows[2:]}
    assert by_label["二、上年结转政府信息公开申请数量"] == ["2", "1", "0", "0", "0", "0", "3"]
    assert by_label["4.保护第三方合法权益"] == ["0", "0", "0", "0", "1", "0", "1"]
    assert by_label["四、结转下年度继续办理"] == ["1", "1", "1", "0", "0", "0", "3"]
    assert by_label["（三）不予公开"] == [""] * 7

    assert main(["report", "foi", "--year", "2026", "--db", str(db), "--out", str(xlsx_path)]) == 0
    ws = load_workbook(xlsx_path).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][0] == "2026年度 收到和处理政府信息公开申请情况"
    total_row = next(v for v in values if v[0] and str(v[0]).strip("　") == "（七）总计")
    assert total_row[1:] == [6, 1, 0, 0, 1, 0, 8]
    assert "C2:G2" in {str(r) for r in ws.merged_cells.ranges}


def test_cli_refuses_a_missing_database_and_a_bad_suffix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "none.db"
    assert main(["report", "foi", "--year", "2026", "--db", str(missing)]) == 2
    assert "不存在" in capsys.readouterr().err
    assert not missing.exists()  # the report never creates an empty database
    db = tmp_path / "bot.db"
    Store(db).close()
    assert main(["report", "foi", "--db", str(db), "--out", str(tmp_path / "x.pdf")]) == 2
    assert ".csv 或 .xlsx" in capsys.readouterr().err


# --------------------------------------------------------------------------- the catalogue


def test_catalogue_parses_codes_labels_and_legacy(catalogue: Catalogue) -> None:
    assert [o.code for o in catalogue.outcomes()][:3] == ["1", "2", "3.1"]
    assert len(catalogue.outcomes()) == 2 + 8 + 3 + 5 + 3
    assert catalogue.parse("3.1").label == "不予公开：属于国家秘密"
    assert catalogue.parse("３．８").label == "不予公开：属于行政查询事项"
    assert catalogue.parse("不予公开 属于国家秘密").code == "3.1"
    assert catalogue.parse("重复申请").code == "5.2"
    assert catalogue.parse("部分公开").code == "2"
    assert catalogue.parse("已主动公开").code == "1"  # legacy: told where it is public
    assert catalogue.parse("3").label == "不予公开"  # a category: ask for the reason
    assert catalogue.parse("9.1") is None and catalogue.parse("随便") is None
    assert catalogue.resolve("非本机关掌握").outcome.code == "4.1"
    legacy = catalogue.resolve("不予公开")
    assert legacy.outcome is None and legacy.category.code == "3"
    assert catalogue.resolve("不予处理：要求提供公开出版物").outcome.code == "5.3"


def test_applicant_type_is_derived_from_the_form(catalogue: Catalogue) -> None:
    assert catalogue.applicant_type(PERSON) == "自然人"
    assert catalogue.applicant_type(org("河北某某律师事务所")) == "法律服务机构"
    assert catalogue.applicant_type(org("某某科技有限公司")) == "商业企业"
    assert catalogue.applicant_type(org("中国科学院某某研究所")) == "科研机构"
    assert catalogue.applicant_type(org("柏乡县某某慈善基金会")) == "社会公益组织"
    assert catalogue.applicant_type(org("某某村民委员会")) == "其他"


def test_bundled_knowledge_loads_the_catalogue() -> None:
    assert isinstance(load_knowledge().extras["outcomes"], Catalogue)


def test_bad_outcome_files_name_file_entry_and_field() -> None:
    import yaml

    data = yaml.safe_load((BUNDLED_KNOWLEDGE / "outcomes.yaml").read_text(encoding="utf-8"))
    data["categories"][2]["reasons"][1]["code"] = "1"
    data["legacy"]["旧类型"] = "7.1"
    data["applicant_types"]["organisations"][0]["label"] = "企业"
    data["texts"] = {"answered": "{ref}"}  # the desk's wording moved to knowledge/messages/desk.yaml
    problems: list[Problem] = []
    assert parse_outcomes(data, "knowledge/outcomes.yaml", problems) is None
    found = {(p.entry, p.field) for p in problems}
    assert ("category 3 reason 1", "code") in found
    assert ("legacy 旧类型", "") in found
    assert ("applicant_types", "organisations") in found
    assert any("texts" in (p.entry, p.field) for p in problems), problems
    assert all(p.file == "knowledge/outcomes.yaml" for p in problems)
    data = yaml.safe_load((BUNDLED_KNOWLEDGE / "outcomes.yaml").read_text(encoding="utf-8"))
    data["categories"][0]["colour"] = "red"
    problems = []
    assert parse_outcomes(data, "knowledge/outcomes.yaml", problems) is None
    assert any(p.entry == "categories[0]" or "colour" in p.field for p in problems), problems


# --------------------------------------------------------------------------- schema 3


def test_migration_from_version_2_keeps_received_dates(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "bot.db"
    with Store(path) as old:
        plain = submit(old, date(2026, 3, 2), PERSON, None)
        corrected = submit(old, date(2026, 3, 4), org("河北某某律师事务所"), None)
        old.set_status(corrected, NEEDS_CORRECTION, by="tg:9", now=at(date(2026, 3, 5)))
        old.set_status(
            corrected,
            IN_PROGRESS,
            by="tg:9",
            now=at(date(2026, 3, 16)),
            received=date(2026, 3, 16),
            due=date(2026, 4, 14),
        )
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("ALTER TABLE requests DROP COLUMN applicant_type")
        conn.execute("ALTER TABLE requests DROP COLUMN first_received_date")
        conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    finally:
        conn.close()
    with Store(path) as s:
        assert s.get_meta("schema_version") == str(SCHEMA_VERSION)
        a, b = s.get_request(plain), s.get_request(corrected)
        assert a.applicant_type is None and a.first_received_date == date(2026, 3, 2)
        # the 补正 had moved received_date; the creation day is what is left of the first one
        assert b.received_date == date(2026, 3, 16) and b.first_received_date == date(2026, 3, 4)
        report = foi_report(s, 2026, catalogue)
        assert report.count(NEW, "法律服务机构") == 1 and report.count(NEW, "自然人") == 1
        assert s.integrity_check() == "ok"


def test_new_requests_keep_their_first_received_date(tmp_path: Path) -> None:
    cal = WorkCalendar.empty()
    with Store(tmp_path / "bot.db") as s:
        ref = submit(s, date(2026, 3, 2), PERSON, "自然人")
        s.set_status(ref, NEEDS_CORRECTION, by="tg:9", now=at(date(2026, 3, 3)))
        new = cal.add_working_days(date(2026, 3, 10), 20).date
        req = s.set_status(
            ref, IN_PROGRESS, by="tg:9", now=at(date(2026, 3, 10)), received=date(2026, 3, 10), due=new
        )
    assert req.received_date == date(2026, 3, 10) and req.first_received_date == date(2026, 3, 2)
    assert req.applicant_type == "自然人"
