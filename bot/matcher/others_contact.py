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
        if names_other_body(a.normalized):
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
