"""Small talk recognised by chat.yaml's patterns (在不在, 谢谢, 转人工, 我的申请到哪了): answered
before any scoring, because a greeting or a thank-you shares no words with the office's business
and a progress question would otherwise match the service it names."""

from __future__ import annotations

import re
import unicodedata

from bot.knowledge import Knowledge
from bot.matcher.model import Candidate, MatchResult


class ChatPatterns:
    """chat.yaml's intents' patterns for one knowledge version, compiled once."""

    def __init__(self, knowledge: Knowledge):
        self._patterns = [(i.id, i.title, re.compile(p)) for i in knowledge.chat.intents for p in i.patterns]

    def match(self, text: str, normalized: str, repaired: str) -> MatchResult | None:
        """The small-talk answer when a pattern matches the repaired or the normalised text."""
        both = repaired != normalized  # most messages need no repair: one search each
        for intent_id, title, pattern in self._patterns:
            if pattern.search(repaired) or (both and pattern.search(normalized)):
                return MatchResult(
                    text, normalized, "answer", [Candidate(intent_id, title, 100.0)], notes=("pattern",)
                )
        return None

    def match_as_written(self, text: str) -> MatchResult | None:
        """A message normalisation keeps nothing of ("안녕하세요", "спасибо": neither Han nor Latin
        letters): the patterns read it as written, width-folded and lower-case."""
        written = unicodedata.normalize("NFKC", text).strip().lower()
        return self.match(text, written, written) if written else None
