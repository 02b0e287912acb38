"""Rules both counties publish almost word for word (`bot.twins`): asked with no county named,
the answer says whose rule it is and offers the other county's, instead of silently giving a
柏乡 resident 湘阴's rule. Naming a county, or having named one earlier, settles it. Since round
29 an answer with no twin offers the other county's entry when one is among the runners-up."""

from __future__ import annotations

from bot.qa import answer_question
from bot.twins import twin_of
from tests.dialog_support import payloads, press, say, state, text_of


def test_the_bundled_twins_are_the_archive_rules_published_in_both_counties(knowledge) -> None:
    found = {e.id: twin_of(knowledge, e.id) for e in knowledge.entries() if twin_of(knowledge, e.id)}
    assert found == {
        "baixiang/policy/7": "xiangyin/policy/2",
        "xiangyin/policy/2": "baixiang/policy/7",
        "baixiang/policy/8": "xiangyin/policy/1",
        "xiangyin/policy/1": "baixiang/policy/8",
        "baixiang/policy/11": "xiangyin/policy/4",
        "xiangyin/policy/4": "baixiang/policy/11",
    }


def test_a_rule_only_one_county_publishes_has_no_twin(knowledge) -> None:
    # 规范案件查处 and 重大案件查处 share a title's words, not their texts
    assert twin_of(knowledge, "baixiang/policy/10") is None
    assert twin_of(knowledge, "baixiang/duty/15") is None


def test_no_county_named_the_answer_names_whose_rule_and_offers_the_other(knowledge) -> None:
    reply = answer_question(knowledge, "单位的电子档案检查都查些什么")
    assert reply.intent == "answer" and reply.other is not None
    assert {reply.entry_id, reply.other} == {"baixiang/policy/7", "xiangyin/policy/2"}
    county = "柏乡县" if reply.other.startswith("baixiang/") else "湘阴县"
    assert reply.other_button == f"看{county}的规定"
    assert "也有内容相近的同类规定" in reply.text and reply.other_button in reply.text


def test_a_county_named_now_or_earlier_gets_its_rule_alone(knowledge) -> None:
    named = answer_question(knowledge, "柏乡的电子档案检查都查些什么")
    assert named.entry_id == "baixiang/policy/7" and named.other is None and "同类规定" not in named.text
    remembered = answer_question(knowledge, "单位的电子档案检查都查些什么", home="xiangyin")
    assert remembered.other is None and "同类规定" not in remembered.text


def test_the_resident_gets_a_button_for_the_other_countys_rule(engine) -> None:
    out = say(engine, "单位的电子档案检查都查些什么")
    twin = next(p for p in payloads(out) if p.startswith("sug:"))
    assert twin in ("sug:baixiang/policy/7", "sug:xiangyin/policy/2")
    shown = text_of(press(engine, twin))
    heading = "【电子档案事项监管】" if twin.endswith("baixiang/policy/7") else "【电子档案监管】"
    assert heading in shown


def test_in_a_form_the_other_countys_rule_is_offered_too_and_the_form_waits(engine) -> None:
    press(engine, "menu:disclosure")
    out = say(engine, "单位的电子档案检查都查些什么")
    twin = next(p for p in payloads(out) if p.startswith("sug:"))
    assert "【电子档案" in text_of(press(engine, twin))
    assert state(engine)["mode"] != "idle" and state(engine)["form"] is not None


def test_no_twin_the_other_countys_runner_up_is_offered(knowledge) -> None:
    reply = answer_question(knowledge, "档案局给村干部培训过没")
    assert reply.entry_id == "xiangyin/duty/9" and reply.other == "baixiang/service/8"
    assert reply.other_button == "看柏乡县的相关内容"
    assert "以上是湘阴县档案局的内容" in reply.text and reply.other_button in reply.text


def test_a_county_named_gets_no_other_countys_offer(knowledge) -> None:
    reply = answer_question(knowledge, "湘阴档案局给村干部培训过没")
    assert reply.entry_id == "xiangyin/duty/9" and reply.other is None and "相关内容" not in reply.text


def test_the_button_shows_the_other_countys_entry(engine) -> None:
    out = say(engine, "档案局给村干部培训过没")
    assert "sug:baixiang/service/8" in payloads(out)
    assert "【档案业务培训服务】" in text_of(press(engine, "sug:baixiang/service/8"))
