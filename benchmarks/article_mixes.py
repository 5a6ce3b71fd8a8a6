"""Generated long articles in the script mixes readers meet, for the render benchmarks.

Each is about ``words`` words in paragraphs of 40-120 words, with sentences,
names and numbers; the mixes differ in what a wrapper and a renderer find
hard: wide characters, emoji clusters, combining marks, right-to-left text,
and a line far wider than the screen.
"""

from __future__ import annotations

import random

ASCII_WORDS = ["the", "alliance", "said", "on", "Monday", "that", "its", "partners", "in", "Asia", "would", "meet", "again", "in", "Tokyo", "before", "summit", "while", "officials", "Paris", "and", "Berlin", "disagreed", "about", "office", "NATO", "Stoltenberg", "Japan", "France", "China", "Macron", "defence", "minister", "reported", "according", "to", "percent", "billion", "treaty", "member", "states", "security", "council", "agreed", "rejected", "statement", "spokesman", "government", "border", "troops", "2023", "31", "4.5", "increase", "region", "talks", "economic", "sanctions"]
CJK_WORDS = ["東京", "北大西洋条約機構", "日本", "中国", "安全保障", "사무총장", "防衛"]
EMOJI = ["👍", "👨‍👩‍👧", "🇯🇵", "🇫🇷", "❤️", "👩🏽‍💻", "🏳️‍🌈"]
HEBREW = ["הברית", "אמרה", "ביום", "שני", "כי", "שותפיה", "באסיה", "ייפגשו", "שוב", "בטוקיו", "לפני", "הפסגה", "בעוד", "פקידים", "בפריז"]
ARABIC = ["قال", "الحلف", "يوم", "الاثنين", "إن", "شركاءه", "في", "آسيا", "سيجتمعون", "مجددا", "في", "طوكيو", "قبل", "القمة"]
COMBINING = ["Café", "naïve", "e\u0301te\u0301", "Zo\u0308e", "São"]

MIXES = ("ascii", "cjk+emoji", "rtl", "long line")


def _sentence(rng: random.Random, vocabulary: list[str], size: int) -> str:
    words = [rng.choice(vocabulary) for _ in range(size)]
    return " ".join(words).capitalize() + "."


def make_text(mix: str, words: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    paragraphs = ["A generated long article"]
    count = 0
    while count < words:
        size = rng.randint(40, 120)
        vocabulary = list(ASCII_WORDS)
        if mix == "rtl":
            vocabulary = HEBREW + ARABIC + ["NATO", "2023", "31"]
        sentences = []
        left = size
        while left > 0:
            n = min(left, rng.randint(8, 25))
            sentences.append(_sentence(rng, vocabulary, n))
            left -= n
        paragraph = " ".join(sentences)
        if mix == "cjk+emoji":
            # one CJK word, one emoji and one combining-mark word in every paragraph
            parts = paragraph.split(" ")
            for extra in (rng.choice(CJK_WORDS), rng.choice(EMOJI), rng.choice(COMBINING)):
                parts.insert(rng.randrange(len(parts)), extra)
            paragraph = " ".join(parts)
        paragraphs.append(paragraph)
        count += size
    if mix == "long line":
        chars = "abcdefghijklmnopqrstuvwxyz0123456789"
        line = "".join(rng.choice(chars) for _ in range(100_000))
        paragraphs.insert(len(paragraphs) // 2, line)
    return "\n\n".join(paragraphs) + "\n"
