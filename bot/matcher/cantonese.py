"""Cantonese read as Mandarin: a returnee from Guangdong writes 我喺东莞嘅社保, 边度查, 使唔使;
read as they stand, 喺 and 嘅 weigh as unknown words and 边度查 is repaired as a typo of 督查."""

from __future__ import annotations

from bot.matcher.wordlists import CANTONESE, CANTONESE_CLOSING_THANKS, CANTONESE_MARK

_LONGEST_FIRST = sorted(CANTONESE, key=len, reverse=True)


def to_mandarin(text: str) -> str | None:
    """`text` with its Cantonese words in Mandarin, or None when it holds none."""
    if not CANTONESE_MARK.search(text):
        return None
    closing, thanks = CANTONESE_CLOSING_THANKS
    text = closing.sub(thanks, text)
    for word in _LONGEST_FIRST:
        text = text.replace(word, CANTONESE[word])
    return text
