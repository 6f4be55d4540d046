"""Answers as terminal text and as JSON data."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from index.records import Answer, Citation, Sentence

END = re.compile(r"([.!?][\"'”’)]*)$")


def cited(sentence: Sentence) -> str:
    """The sentence with its [n] markers placed before its closing punctuation."""
    marks = "".join(f"[{n}]" for n in sentence.cites)
    if not marks:
        return sentence.text
    m = END.search(sentence.text)
    if m:
        return f"{sentence.text[: m.start()]} {marks}{m.group(1)}"
    return f"{sentence.text} {marks}"


def cited_text(sentences: Iterable[Sentence], escape: Callable[[str], str] = str) -> str:
    """Sentences with their [n] markers as one paragraph; each text escaped first (for a chat
    platform's markup), the markers not."""
    return " ".join(cited(Sentence(escape(s.text), s.cites)) for s in sentences)


def answer_prose(answer: Answer) -> str:
    """The answer's sentences with their markers, as one paragraph."""
    if answer.refused:
        return answer.note
    return cited_text(answer.sentences)


def source_line(c: Citation) -> str:
    """'Title — Outlet, 2026-10-05' for a citation."""
    where = ", ".join(
        x for x in (c.source, c.published_at.date().isoformat() if c.published_at else None) if x
    )
    return f"{c.title} — {where}" if where else c.title


def render_text(answer: Answer) -> str:
    """The answer and its numbered sources for a terminal."""
    lines = [answer_prose(answer), ""]
    if answer.note and not answer.refused:  # e.g. why a model's answer was replaced
        lines += [f"Note: {answer.note}", ""]
    if answer.citations:
        lines.append("Closest articles" if answer.refused else "Sources")
        for c in answer.citations:
            lines.append(f" [{c.n}] {source_line(c)}")
            if c.url:
                lines.append(f"     {c.url}")
    return "\n".join(lines).rstrip() + "\n"


def citation_data(c: Citation) -> dict[str, Any]:
    """A citation as JSON-ready data."""
    return {
        "n": c.n,
        "title": c.title,
        "source": c.source,
        "url": c.url,
        "published_at": c.published_at.isoformat() if c.published_at else None,
        "article_id": c.article_id,
    }


def answer_data(answer: Answer, passages: bool = False) -> dict[str, Any]:
    """The answer as JSON-ready data (the same content as render_text)."""
    data: dict[str, Any] = {
        "question": answer.question,
        "answer": answer_prose(answer),
        "refused": answer.refused,
        "sentences": [{"text": s.text, "cites": list(s.cites)} for s in answer.sentences],
        "sources": [citation_data(c) for c in answer.citations],
        "note": answer.note,
    }
    if passages:
        data["passages"] = [
            {
                "chunk_id": p.chunk_id,
                "title": p.title,
                "source": p.source,
                "url": p.url,
                "score": round(p.score, 5),
                "text": p.text,
            }
            for p in answer.passages
        ]
    return data
