"""The console's round-2 pages at work: the annual report (same numbers as ``report foi``, CSV
and XLSX), knowledge editing (validated preview with a diff, comments kept, the assistant
answers with the edit, one-click revert, conflicts refused), the "try a question" box, and the
unanswered-questions loop (attach, add to referrals, dismiss)."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from openpyxl import load_workbook

from bot import knowledge_edit, review_queue
from bot.knowledge_targets import dump, yaml_for
from bot.qa import answer_question
from bot.report import NEW, TOTAL, foi_report
from bot.store import COMPLETED, IN_PROGRESS
from tests.console_admin_support import admin_rig
from tests.console_support import ADMIN, NOW, STAFF, csrf_of, disclosure_data, login, seed

PHONE = "0319-5550100"
SERVICE = "baixiang/service/1"
EDIT = f"/console/knowledge/edit?file=departments/baixiang.yaml&list=services&id={SERVICE}"
FORM = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def hidden(html: str) -> dict[str, str]:
    import html as h

    return {h.unescape(k): h.unescape(v) for k, v in FORM.findall(html)}


def edit_form(rig, **changes: str) -> dict[str, str]:
    target = knowledge_edit.find_target(rig.root, "departments/baixiang.yaml", "services", SERVICE)
    values = knowledge_edit.form_values(rig.root, target)
    values.update(changes)
    return {"file": target.file, "list": target.list_key, "id": target.item_id} | {
        f"f:{k}": v for k, v in values.items()
    }


async def test_the_annual_report_has_the_cli_numbers_and_downloads_as_csv_and_xlsx(tmp_path) -> None:
    async with admin_rig(tmp_path) as (rig, client):
        seed(rig.store)
        # a 信息公开 application received and closed in 2025
        old = rig.store.create_request(
            "信息公开",
            "GK",
            "tg:4242",
            disclosure_data(),
            "县政府办公室",
            NOW.date().replace(year=2025, month=3, day=3),
            NOW.date().replace(year=2025, month=3, day=31),
            False,
            NOW.replace(year=2025, month=3, day=3),
        )
        rig.store.set_status(
            old.reference, IN_PROGRESS, by=f"tg:{STAFF}", now=NOW.replace(year=2025, month=3, day=4)
        )
        rig.store.set_status(
            old.reference, COMPLETED, by=f"tg:{STAFF}", now=NOW.replace(year=2025, month=3, day=20)
        )
        await login(client, rig.store, f"tg:{STAFF}")
        catalogue = rig.engine.knowledge.extras["outcomes"]
        expected = foi_report(rig.store, 2026, catalogue)
        page = await client.get("/console/report?year=2026")
        html = await page.text()
        assert page.status == 200
        row = re.search(r'<tr data-key="new">(.*?)</tr>', html, re.S).group(1)
        cells = [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', row)]
        assert cells == list(expected.row(NEW).counts)
        assert expected.count(NEW) >= 3  # the seeded GK requests of 2026
        assert 'value="2025"' in html  # the year chooser reaches back to the oldest request
        # no year: last year, as `citizen-bot report foi`
        assert "2025年度" in await (await client.get("/console/report")).text()

        download = await client.get("/console/report/download?year=2026&format=csv")
        assert download.status == 200 and "foi-report-2026.csv" in download.headers["Content-Disposition"]
        rows = list(csv.reader(io.StringIO((await download.read()).decode("utf-8-sig"))))
        new_row = next(r for r in rows if r[0].startswith("一、"))
        assert int(new_row[-1]) == expected.count(NEW, TOTAL)

        xlsx = await client.get("/console/report/download?year=2026&format=xlsx")
        sheet = load_workbook(io.BytesIO(await xlsx.read())).active
        labels = {sheet.cell(r, 1).value: r for r in range(1, sheet.max_row + 1)}
        new_at = next(r for label, r in labels.items() if label and str(label).startswith("一、"))
        assert sheet.cell(new_at, len(expected.columns) + 1).value == expected.count(NEW, TOTAL)

        for bad in (
            "/console/report?year=1999",
            "/console/report?year=abc",
            "/console/report/download?year=2026&format=pdf",
        ):
            assert (await client.get(bad)).status == 400, bad


async def test_a_phone_edit_is_previewed_saved_answered_and_reverted(tmp_path) -> None:
    async with admin_rig(tmp_path) as (rig, client):
        await login(client, rig.store, f"tg:{ADMIN}", "admin")
        question = rig.engine.knowledge.get(SERVICE).entry.questions[0]
        assert PHONE not in answer_question(rig.engine.knowledge, question).text
        path = rig.root / "departments" / "baixiang.yaml"
        original = path.read_text(encoding="utf-8")
        form = await client.get(EDIT)
        assert "联系电话" in await form.text()
        token = await csrf_of(client, EDIT)

        preview = await client.post(
            "/console/knowledge/preview", data={**edit_form(rig, phone=PHONE), "csrf": token}
        )
        html = await preview.text()
        assert preview.status == 200 and "校验通过" in html
        assert "+    phone: " in html and PHONE in html  # the diff
        assert path.read_text(encoding="utf-8") == original  # nothing written yet

        saved = await client.post("/console/knowledge/save", data=hidden(html))
        text = await saved.text()
        assert saved.status == 200 and "助手已更新" in text
        written = path.read_text(encoding="utf-8")
        assert PHONE in written
        # comments and the untouched lines survive; only the phone line changed
        assert written.splitlines()[:8] == original.splitlines()[:8]
        changed = [(a, b) for a, b in zip(original.splitlines(), written.splitlines(), strict=True) if a != b]
        assert len(changed) == 1 and "phone" in changed[0][1]
        # the running assistant answers with it
        assert PHONE in answer_question(rig.engine.knowledge, question).text
        assert rig.engine.knowledge.get(SERVICE).entry.phone == PHONE

        # one click puts it back
        versions = knowledge_edit.versions(rig.store)
        assert len(versions) == 1 and versions[0].actor == f"tg:{ADMIN}"
        listing = await (await client.get("/console/knowledge")).text()
        assert "撤销这次修改" in listing
        reverted = await client.post(
            "/console/knowledge/revert", data={"csrf": token, "version": str(versions[0].id)}
        )
        assert reverted.status == 200
        assert path.read_text(encoding="utf-8") == original
        assert PHONE not in answer_question(rig.engine.knowledge, question).text
        again = await client.post(
            "/console/knowledge/revert", data={"csrf": token, "version": str(versions[0].id)}
        )
        assert again.status == 409


async def test_an_invalid_edit_shows_the_knowledge_check_problems_and_writes_nothing(tmp_path) -> None:
    async with admin_rig(tmp_path) as (rig, client):
        await login(client, rig.store, f"tg:{ADMIN}", "admin")
        token = await csrf_of(client)
        path = rig.root / "events.yaml"
        before = path.read_text(encoding="utf-8")
        target = next(t for t in knowledge_edit.targets(rig.root) if t.list_key == "events")
        values = knowledge_edit.form_values(rig.root, target)
        data = {"csrf": token, "file": target.file, "list": target.list_key, "id": target.item_id}
        data |= {f"f:{k}": v for k, v in values.items()} | {
            "f:date": "2027-02-30",
            "f:start": "",
            "f:end": "",
        }
        page = await client.post("/console/knowledge/preview", data=data)
        html = await page.text()
        assert page.status == 422
        assert f"events.yaml: {target.item_id}: date" in html  # file, entry, field as `knowledge check`
        assert path.read_text(encoding="utf-8") == before
        # a number where a number goes
        archive = knowledge_edit.find_target(rig.root, "archives.yaml", "", "")
        data = {
            "csrf": token,
            "file": "archives.yaml",
            "list": "",
            "id": "",
            "f:turnaround_working_days": "三天",
        }
        page = await client.post("/console/knowledge/preview", data=data)
        assert page.status == 422 and "整数" in await page.text()
        assert archive.fields
        assert knowledge_edit.versions(rig.store) == []


async def test_a_save_after_someone_else_changed_the_file_is_refused(tmp_path) -> None:
    async with admin_rig(tmp_path) as (rig, client):
        await login(client, rig.store, f"tg:{ADMIN}", "admin")
        token = await csrf_of(client)
        preview = await client.post(
            "/console/knowledge/preview", data={**edit_form(rig, phone=PHONE), "csrf": token}
        )
        form = hidden(await preview.text())
        path = rig.root / "departments" / "baixiang.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "\n# 另一位管理员的修改\n", encoding="utf-8")
        saved = await client.post("/console/knowledge/save", data=form)
        assert saved.status == 409 and "被修改过" in await saved.text()
        assert PHONE not in path.read_text(encoding="utf-8")


async def test_every_editable_target_opens_and_round_trips_unchanged(tmp_path) -> None:
    """Saving a form without changes must not touch a file: each target's form values, applied
    back, give the file's text as it was; and each file read and written by the round-trip
    parser (which a changed field goes through) keeps its comments, quotes and nulls."""
    async with admin_rig(tmp_path) as (rig, client):
        await login(client, rig.store, f"tg:{ADMIN}", "admin")
        targets = knowledge_edit.targets(rig.root)
        kinds = {(t.file.split("/")[0], t.list_key) for t in targets}
        assert {
            ("departments", "services"),
            ("events.yaml", "events"),
            ("referrals.yaml", "referrals"),
        } <= kinds
        assert any(t.file == "messages/system.yaml" for t in targets)
        for t in targets:
            text = knowledge_edit.current_text(rig.root, t.file)
            new, problems = knowledge_edit.apply_edit(text, t, knowledge_edit.form_values(rig.root, t))
            assert new == text and problems == [], t.key
        for file in sorted({t.file for t in targets}):
            text = knowledge_edit.current_text(rig.root, file)
            rt = yaml_for(file)
            assert dump(rt, rt.load(text)) == text, file
        listing = await (await client.get("/console/knowledge")).text()
        assert "柏乡县人民政府办公室" in listing and "转介目录" in listing


async def test_try_a_question_shows_the_decision_the_scores_and_the_runner_up(tmp_path) -> None:
    async with admin_rig(tmp_path) as (rig, client):
        await login(client, rig.store, f"tg:{ADMIN}", "admin")
        question = rig.engine.knowledge.get(SERVICE).entry.questions[0]
        page = await client.get("/console/knowledge/try", params={"q": question})
        html = await page.text()
        assert page.status == 200 and "直接回答" in html
        assert SERVICE in html and "次选" in html and "命中的词" in html
        assert answer_question(rig.engine.knowledge, question).text.splitlines()[0] in html
        declined = await (await client.get("/console/knowledge/try", params={"q": "今天股票会涨吗"})).text()
        assert "拒答" in declined or "不确定" in declined


async def test_unanswered_questions_attach_refer_and_dismiss(tmp_path) -> None:
    async with admin_rig(tmp_path) as (rig, client):
        store = rig.store
        question = "县政府办的收文窗口在哪个股室上班"
        store.log_review(question, "declined", "抱歉", NOW - timedelta(hours=3))
        store.log_review(question, "suggested", "您是不是想问", NOW - timedelta(hours=2))
        store.log_review("去哪里换驾驶证呀", "declined", "抱歉", NOW - timedelta(hours=1))
        store.log_review("随便问问", "unhelpful", "……", NOW)
        await login(client, store, f"tg:{ADMIN}", "admin")
        page = await client.get("/console/review")
        html = await page.text()
        assert page.status == 200 and question in html and "去哪里换驾驶证呀" in html
        token = await csrf_of(client, "/console/review")
        entry = "baixiang/duty/1"
        item = next(i for i in review_queue.open_items(store) if i["text"] == question)

        attached = await client.post(
            "/console/review/attach", data={"csrf": token, "item": str(item["id"]), "entry": entry}
        )
        assert attached.status == 200 and "助手已更新" in await attached.text()
        assert question in rig.engine.knowledge.get(entry).entry.questions
        reply = answer_question(rig.engine.knowledge, question)
        assert reply.intent == "answer" and reply.top[0].id == entry  # answered from now on
        left = [i["text"] for i in review_queue.open_items(store)]
        assert question not in left  # both copies settled

        referral = next(i for i in review_queue.open_items(store) if "驾驶证" in i["text"])
        added = await client.post(
            "/console/review/referral",
            data={"csrf": token, "ids": str(referral["id"]), "referral": "cheguansuo", "keyword": "换驾驶证"},
        )
        assert added.status == 200
        assert "换驾驶证" in knowledge_edit.current_text(rig.root, "referrals.yaml")
        refs = {r.id: r for r in rig.engine.knowledge.extras["referrals"]}
        assert "换驾驶证" in refs["cheguansuo"].keywords
        # a keyword another referral owns is refused with the knowledge check's words
        dup = await client.post(
            "/console/review/referral",
            data={"csrf": token, "ids": str(referral["id"]), "referral": "gongan", "keyword": "驾驶证"},
        )
        assert dup.status == 409 and "驾驶证" in await dup.text()

        rest = review_queue.open_items(store)
        assert [i["text"] for i in rest] == ["随便问问"]
        dismissed = await client.post(
            "/console/review/dismiss", data={"csrf": token, "ids": str(rest[0]["id"])}, allow_redirects=False
        )
        assert dismissed.status == 303
        assert review_queue.open_items(store) == []
        assert "没有待审阅的问题" in await (await client.get("/console/review")).text()
        # the kept questions themselves stay for `knowledge review`
        assert len(store.review_items()) == 4
        assert len(knowledge_edit.versions(store)) == 2


async def test_an_unanswered_question_filed_among_residents_questions_is_answered_and_revertible(
    tmp_path,
) -> None:
    """The console's "归入居民问法": the question is filed under its entry in
    labelled_questions.yaml (versioned, the assistant reloaded) and answered from then on; the
    choice list offers `decline` too, for another office's business."""
    question = "老家拆迁以后旧房子的底子还能看到不"
    async with admin_rig(tmp_path) as (rig, client):
        store = rig.store
        assert answer_question(rig.engine.knowledge, question).intent == "decline"
        store.log_review(question, "declined", "抱歉", NOW)
        await login(client, store, f"tg:{ADMIN}", "admin")
        html = await (await client.get("/console/review")).text()
        assert "/console/review/label" in html and 'value="decline"' in html
        token = await csrf_of(client, "/console/review")
        (item,) = review_queue.open_items(store)
        before = knowledge_edit.current_text(rig.root, "labelled_questions.yaml")

        filed = await client.post(
            "/console/review/label", data={"csrf": token, "item": str(item["id"]), "entry": "xiangyin/duty/5"}
        )
        assert filed.status == 200 and "助手已更新" in await filed.text()
        after = knowledge_edit.current_text(rig.root, "labelled_questions.yaml")
        assert after.splitlines()[:8] == before.splitlines()[:8]  # comments kept
        assert question in rig.engine.knowledge.extras["labelled"]["xiangyin/duty/5"]
        reply = answer_question(rig.engine.knowledge, question)
        assert reply.intent == "answer" and reply.entry_id == "xiangyin/duty/5"
        assert review_queue.open_items(store) == []

        (version,) = knowledge_edit.versions(store)
        assert version.file == "labelled_questions.yaml"
        # an unknown entry is refused with the knowledge check's words, nothing written
        store.log_review("随便问问", "suggested", "不太确定", NOW)
        (other,) = review_queue.open_items(store)
        refused = await client.post(
            "/console/review/label",
            data={"csrf": token, "item": str(other["id"]), "entry": "baixiang/duty/999"},
        )
        assert refused.status == 409 and "baixiang/duty/999" in await refused.text()
        assert knowledge_edit.current_text(rig.root, "labelled_questions.yaml") == after
