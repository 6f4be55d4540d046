"""Answers written by a language model, kept only where every citation and figure checks out."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from bot.answer import verify
from bot.answer.citations import Numbering
from bot.answer.client import ChatClient, LLMError
from bot.answer.extractive import ExtractiveAnswerer, refusal
from bot.answer.prompts import Prompts
from bot.answer.question import analyse
from bot.answer.reading import direct_holds
from index.records import Answer, Passage, Sentence
from index.retrieval.lexical import LexicalIndex
from index.retrieval.lexicon import LexicalCache
from index.retrieval.search import Filters, Retriever

log = logging.getLogger("finnews.llm")
FELL_BACK = (
    "The language model's answer could not be used ({why}), so these sentences are "
    "quoted from the articles instead."
)
LEFT_OUT = (
    "Sentences of the model's answer left out: {n}, because their citations or figures "
    "did not match the articles."
)
Progress = Callable[[Answer], None]


def source_text(p: Passage) -> str:
    """What a citation of the passage vouches for: its title, date and text, as the model saw."""
    date = p.published_at.date().isoformat() if p.published_at else ""
    return f"{p.title}\n{date}\n{p.text}"


def build(
    question: str, kept: tuple[Sentence, ...], passages: list[Passage], note: str = ""
) -> Answer:
    """An Answer from checked sentences citing passages: citations renumbered per article."""
    numbering = Numbering()
    out = [Sentence(s.text, numbering.numbers(passages[n - 1] for n in s.cites)) for s in kept]
    return Answer(question, tuple(out), numbering.citations, tuple(passages), note=note)


class LLMAnswerer:
    """Retrieves like the extractive answerer, asks the model, checks its reply, falls back."""

    def __init__(
        self,
        client: ChatClient,
        extractive: ExtractiveAnswerer,
        retriever: Retriever,
        lexicon: LexicalCache,
        prompts: Prompts,
        k: int = 6,
    ) -> None:
        self.client = client
        self.extractive = extractive
        self._retriever = retriever
        self._lexicon = lexicon
        self.prompts = prompts
        self._k = k

    def answer(
        self,
        question: str,
        filters: Filters | None = None,
        context: str = "",
        k: int | None = None,
        focus: str = "",
        on_progress: Progress | None = None,
    ) -> Answer:
        """A checked answer from the model, or the extractive one with a note saying why."""
        q = analyse(question, focus, self._lexicon.get(check=False).outlets)
        if q.focus_from_thread:
            query = f"{q.focus} {question}"
        else:
            query = f"{context}\n{question}" if context else question
        passages = self._retriever.search(query, k or self._k, filters)
        return self.compose(
            question, passages, self._lexicon.get(check=False), context, on_progress
        )

    def compose(
        self,
        question: str,
        passages: list[Passage],
        lex: LexicalIndex,
        context: str = "",
        on_progress: Progress | None = None,
    ) -> Answer:
        """Answer from passages already retrieved (the evaluation's path too)."""
        if not passages:
            return self.extractive.compose(question, passages, lex, context)
        try:
            written = self._write("answer", question, passages, context, on_progress)
        except LLMError as exc:
            log.warning("the model did not answer (%s): extractive answer instead", exc)
            return self._fall_back(question, passages, lex, context, "the model did not answer")
        if written is None:
            return self._fall_back(
                question,
                passages,
                lex,
                context,
                "its citations or figures did not match the articles",
            )
        if not written.refused and not direct_holds(analyse(question, "", lex.outlets), written):
            return self._fall_back(
                question,
                passages,
                lex,
                context,
                "its direct answer was not a value of a cited passage",
            )
        return written

    def write(
        self,
        template: str,
        question: str,
        passages: list[Passage],
        context: str = "",
        on_progress: Progress | None = None,
    ) -> Answer | None:
        """The model's text for a prompt template ("answer", "summary", "digest") about a
        question or topic, checked; None when the model fails or too little of it holds, so
        the caller falls back to its extractive text."""
        try:
            return self._write(template, question, passages, context, on_progress)
        except LLMError as exc:
            log.warning("the model did not write the %s (%s)", template, exc)
            return None

    def _write(
        self,
        template: str,
        question: str,
        passages: list[Passage],
        context: str,
        on_progress: Progress | None,
    ) -> Answer | None:
        prompt = self.prompts.render(template, question, passages, context)
        texts = [source_text(p) for p in passages]
        on_delta = _progress(question, passages, texts, on_progress) if on_progress else None
        checked = verify.check(self.client.reply(prompt, on_delta), texts)
        if checked.refused:
            return refusal(question, passages)
        for dropped in checked.dropped:
            log.debug("dropped a model sentence (%s)", dropped.reason)
        if not checked.enough:
            log.info(
                "the model's %s did not check out (%d of %d sentences dropped)",
                template,
                len(checked.dropped),
                len(checked.dropped) + len(checked.sentences),
            )
            return None
        note = LEFT_OUT.format(n=len(checked.dropped)) if checked.dropped else ""
        return build(question, checked.sentences, passages, note)

    def _fall_back(
        self, question: str, passages: list[Passage], lex: LexicalIndex, context: str, why: str
    ) -> Answer:
        quoted = self.extractive.compose(question, passages, lex, context)
        return quoted if quoted.refused else replace(quoted, note=FELL_BACK.format(why=why))


def _progress(
    question: str, passages: list[Passage], texts: list[str], on_progress: Progress
) -> Callable[[str], None]:
    """Turns the streamed text into partial answers: finished sentences that check out only."""
    shown = 0

    def on_delta(text: str) -> None:
        nonlocal shown
        finished = verify.split_reply(text)[:-1]  # the last one may still be growing
        kept = tuple(
            s
            for s in (verify.check_sentence(t, c, texts) for t, c in finished)
            if isinstance(s, Sentence)
        )
        if len(kept) > shown:
            shown = len(kept)
            on_progress(build(question, kept, passages))

    return on_delta
