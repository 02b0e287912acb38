"""Whose contact details a question asks for. The contact card holds this office's numbers,
addresses and hours; "医院值班电话多少", "银行中午开吗" and "游泳馆几点开门" ask for another body's,
and are referred (to the office the question names, else the hotline), however the question was
recognised as a contact question: by intents.yaml's patterns in the decision, or by the
labelled questions' vote afterwards (round 34: "银行中午开吗" was voted our card)."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.matcher.english import names_other_body
from bot.matcher.model import _Analysis
from bot.matcher.referral_words import FRAMED, ReferralWords
from bot.matcher.unknown_topic import UnknownTopic

#: The resident speaks to us ("你们几点开门"): the hours asked are ours, whatever else is named.
YOU_RE = re.compile(r"你们|您们|贵[办局馆单]|^恁|恁们")  # 恁: Hebei for 你们
#: A body named by the kind of body it is (老干局, 残联, 中院, 交警大队, 文化馆, 重点办) in a
#: question naming none of our units: its details are not on our card. Not a courtyard (政府大院),
#: a queue (排队) or a hall (办事大厅), which are words about our own offices.
CHINESE_BODY = re.compile(
    r"[\u4e00-\u9fff]局|[法医中]院|检察院|卫生院|敬老院|养老院|福利院|研究院|设计院|学院|影院"
    r"|(?<!政务)(?<!便民)(?<!服务)中心|[残妇侨文]联|工商联|[大中]队"
    r"|(?<!档案)(?<!档案管)馆|公司|银行|派出所|事务所|研究所|委员会|村委|居委|纪委"
    # 办 alone ends 怎么办 and 去哪办: only the county's other offices known by it
    r"|(重点|信访|扶贫|编|侨|台|外事|金融|招商|文明|老龄|综治|网信|保密|双拥|爱卫|征收|拆迁|防汛)办"
)
#: A body named as a landmark on the way ("在工商银行对面吗", "从汽车站过去怎么走"), not asked about.
LANDMARK = re.compile(
    r"从[^ ]{1,10}?(到|去|过去|出发|坐车|走)"
    r"|[^ ]{1,10}?(旁边|对面|附近|隔壁|边上|后面|前面|那边|楼上|楼下|里面)"
)
#: Our kinds of office in another place (湖南省档案馆, 长沙市档案馆, 城建档案馆): their own details.
OTHER_PLACES_OFFICE = re.compile(
    r"(省|市|州|城建|医院|学校|企业|公司|单位)(档案馆|档案局|档案室|人防办|政府办)"
)


class OthersContact:
    """Another body's contact details asked for, and who to refer the question to."""

    def __init__(
        self, referrals: ReferralWords, unknown: UnknownTopic, names_own_office: Callable[[str], object]
    ):
        self._referrals = referrals
        self._unknown = unknown
        self._names_own_office = names_own_office

    def referral(self, a: _Analysis, voted: bool = False) -> tuple[str, tuple[str, ...]] | None:
        """(referral id, why) when the contact question analysed as `a` asks for another body's
        details; None when they are ours (or nothing here refers questions). `voted`: the
        labelled questions, not a pattern, read it as a contact question; spoken to us ("你们在
        县城哪条街 我坐班车过来"), the details asked are ours, whatever else is named."""
        if voted and YOU_RE.search(a.normalized):
            return None
        catch_all = self._unknown.catch_all
        ours = self._names_own_office(a.repaired)
        named = self._referrals.referral_for(list(a.foreign)) or self._referrals.referral_for(list(a.context))
        if named and not ours:
            return named, ("contact", "referral")
        if catch_all is None:
            return None
        if names_other_body(a.normalized) or self.names_chinese_body(a.normalized, ours=bool(ours)):
            return catch_all, ("contact", "unknown topic", "another body", FRAMED)
        if (
            not ours
            and not YOU_RE.search(a.normalized)
            and self._unknown.names_unknown_place(a)
            and self._unknown.foreign(a, None)
        ):
            # "游泳馆几点开门": the hours of a place nothing here knows, not ours
            return catch_all, ("contact", "unknown topic")
        return None

    def names_chinese_body(self, normalized: str, ours: bool = False) -> bool:
        """Whether the question names another body in Chinese: one of our kinds of office in
        another place, or (when none of our units is named) a body by its kind."""
        if YOU_RE.search(normalized):
            return False
        if OTHER_PLACES_OFFICE.search(normalized):
            return True
        if ours or self._names_own_office(normalized):
            return False
        return CHINESE_BODY.search(LANDMARK.sub(" ", normalized)) is not None
