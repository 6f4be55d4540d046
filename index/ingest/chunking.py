"""Split article bodies into chunks sized in the embedder's own wordpieces."""

from __future__ import annotations

from collections.abc import Callable

from index.records import Article, Chunk

TITLE_TOKENS = 40  # room kept for the title, which is embedded with every chunk


class Chunker:
    """Sentence-aware splitter; every chunk plus its title fits the embedder's window."""

    def __init__(
        self,
        count_tokens: Callable[[str], int],
        max_tokens: int,
        chunk_tokens: int = 200,
        overlap: int = 40,
    ) -> None:
        # llama-index is imported here, not at module level: `finnews ask` never needs it.
        from llama_index.core.node_parser import SentenceSplitter

        size = min(chunk_tokens, max_tokens - TITLE_TOKENS)
        self._splitter = SentenceSplitter(
            chunk_size=size,
            chunk_overlap=min(overlap, size // 4),
            tokenizer=lambda text: range(count_tokens(text)),
            paragraph_separator="\n",
            include_metadata=False,
            include_prev_next_rel=False,
        )

    def chunk(self, article: Article) -> list[Chunk]:
        """The article's body as chunks with ids `<article id>:<n>`."""
        pieces = [p.strip() for p in self._splitter.split_text(article.body)]
        pieces = [p for p in pieces if p]
        return [
            Chunk(id=f"{article.id}:{n}", article_id=article.id, index=n, text=text)
            for n, text in enumerate(pieces)
        ]


TITLE_WORDS = 25  # keeps the title inside TITLE_TOKENS wordpieces in practice


def embed_text(title: str, chunk_text: str) -> str:
    """What is embedded for a chunk: its article's title, then the chunk (no URL or outlet)."""
    title = " ".join(title.split()[:TITLE_WORDS])
    return f"{title}\n{chunk_text}" if title else chunk_text
