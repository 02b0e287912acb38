"""The `citizen-bot` command line as administrators and developers use it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from bot.knowledge import BUNDLED_KNOWLEDGE
from tests.knowledge_support import edited_knowledge

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_match_jsonl_shape():
    queries = "\n".join(
        json.dumps({"q": q}, ensure_ascii=False) for q in ["异地查档怎么办", "今天天气怎么样", "档案"]
    )
    result = run("match", "--jsonl", stdin=queries + "\n")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["q"] for line in lines] == ["异地查档怎么办", "今天天气怎么样", "档案"]
    for line in lines:
        assert set(line) == {"q", "intent", "top", "answer", "referral"}
        assert line["intent"] in {"answer", "suggest", "decline"}
        assert isinstance(line["answer"], str) and line["answer"]
        for item in line["top"]:
            assert set(item) == {"id", "title", "score"}
        scores = [item["score"] for item in line["top"]]
        assert scores == sorted(scores, reverse=True)
    assert lines[0]["intent"] == "answer" and lines[0]["top"][0]["id"] == "baixiang/service/9"
    assert lines[1]["intent"] == "decline" and lines[1]["top"] == []
    assert lines[1]["referral"] == "qixiang" and "县气象局" in lines[1]["answer"]
    assert lines[0]["referral"] is None


def test_ask_prints_the_reply():
    result = run("ask", "政协提案归哪个股室")
    assert result.returncode == 0
    assert "综合调研股" in result.stdout


def test_eval_prints_the_figures(tmp_path):
    data = tmp_path / "q.jsonl"
    data.write_text(
        '{"q": "异地查档", "gold": ["baixiang/service/9"]}\n{"q": "公积金怎么取", "gold": ["none"]}\n',
        encoding="utf-8",
    )
    result = run("eval", str(data), "-v")
    assert result.returncode == 0
    assert "top-1 1.000" in result.stdout
    assert "out-of-scope declined 1.000" in result.stdout


def test_knowledge_check_passes_on_the_bundled_files():
    result = run("knowledge", "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK" in result.stdout


def test_knowledge_check_names_file_entry_and_field(tmp_path):
    root = tmp_path / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, root)
    dept = root / "departments" / "baixiang.yaml"
    text = dept.read_text(encoding="utf-8")
    text = text.replace("flow: disclosure", "flow: no_such_flow", 1)
    text = text.replace("id: baixiang/duty/2\n", "id: baixiang/duty/1\n", 1)
    dept.write_text(text, encoding="utf-8")
    (root / "synonyms.yaml").write_text("synonyms: [broken\n", encoding="utf-8")
    result = run("knowledge", "check", "--knowledge", str(root))
    assert result.returncode != 0
    out = result.stdout
    assert "departments/baixiang.yaml: baixiang/service/1: flow:" in out
    assert "no_such_flow" in out
    assert "baixiang/duty/1: id:" in out  # the renamed duty 2 now has the wrong id
    assert "synonyms.yaml" in out and "YAML syntax error" in out


def test_knowledge_import_keeps_administrator_additions(tmp_path):
    seeds = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
    assert seeds, "the seed documents are expected in ../shared/seeds beside the checkout"
    root = tmp_path / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, root)
    result = run("knowledge", "import", *map(str, seeds), "--knowledge", str(root))
    assert result.returncode == 0, result.stderr
    for name in ("baixiang.yaml", "xiangyin.yaml"):
        assert (root / "departments" / name).read_text(encoding="utf-8") == (
            BUNDLED_KNOWLEDGE / "departments" / name
        ).read_text(encoding="utf-8")


def test_knowledge_check_reports_a_broken_chat_file_instead_of_crashing(tmp_path):
    root = tmp_path / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, root)
    chat = root / "chat.yaml"
    chat.write_text(
        chat.read_text(encoding="utf-8").replace("office_name: 柏乡县人民政府办公室", "office_name: ''"),
        "utf-8",
    )
    result = run("knowledge", "check", "--knowledge", str(root))
    assert result.returncode == 1
    assert "chat.yaml" in result.stdout and "office_name" in result.stdout


def test_knowledge_check_reports_a_broken_chat_pattern(tmp_path):
    root = edited_knowledge(tmp_path, "chat.yaml", "'转人工'", "'转(人工'")
    result = run("knowledge", "check", "--knowledge", str(root))
    assert result.returncode == 1
    assert (
        "chat.yaml" in result.stdout and "patterns" in result.stdout and "regular expression" in result.stdout
    )


def test_a_duplicate_id_names_its_own_file_when_another_department_file_is_broken(tmp_path):
    """A department file that does not load leaves no gap in the report: the duplicate is
    reported in the file that holds it, not in its neighbour's name."""
    root = tmp_path / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, root)
    departments = root / "departments"
    (departments / "aaa_broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    copy = (departments / "xiangyin.yaml").read_text(encoding="utf-8")
    (departments / "zz_copy.yaml").write_text(copy, encoding="utf-8")
    result = run("knowledge", "check", "--knowledge", str(root))
    assert result.returncode != 0
    duplicates = [line for line in result.stdout.splitlines() if "duplicate id" in line]
    assert duplicates
    where = {line.split(": ")[0].strip() for line in duplicates}
    assert where == {"knowledge/departments/zz_copy.yaml"}, duplicates
