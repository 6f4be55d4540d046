"""A chat model behind an OpenAI-compatible API, through llama-index's optional integration."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from bot.answer.prompts import Prompt
from bot.settings import LLMSettings
from index.errors import UsageError

log = logging.getLogger("finnews.llm")
DEFAULT_URLS = {"openai": "https://api.openai.com/v1", "ollama": "http://localhost:11434/v1"}
NO_KEY = "unused"  # local servers want no key, but the client insists on one


class LLMError(Exception):
    """The model gave no usable reply; the message names the cause, never a secret."""


class ChatClient:
    """Sends one prompt and returns the reply, whole or as it streams, within a deadline."""

    def __init__(self, llm: Any, timeout: float, label: str) -> None:
        self._llm = llm
        self.timeout = timeout
        self.label = label  # "openai model-name at host", for logs and reports

    def reply(self, prompt: Prompt, on_delta: Callable[[str], None] | None = None) -> str:
        """The model's whole reply; with on_delta it streams and reports the text so far."""
        from llama_index.core.llms import ChatMessage

        messages = [
            ChatMessage(role="system", content=prompt.system),
            ChatMessage(role="user", content=prompt.user),
        ]
        try:
            if on_delta is None:
                text = self._llm.chat(messages).message.content
            else:
                text = self._stream(messages, on_delta)
        except LLMError:
            raise
        except Exception as exc:  # an outside service: any failure at all means "fall back"
            raise LLMError(_cause(exc)) from None
        if not isinstance(text, str) or not text.strip():
            raise LLMError("empty reply")
        return text

    def _stream(self, messages: list[Any], on_delta: Callable[[str], None]) -> str:
        deadline = time.monotonic() + self.timeout  # the read timeout alone allows a trickle
        text = ""
        for chunk in self._llm.stream_chat(messages):
            text += chunk.delta or ""
            if time.monotonic() > deadline:
                raise LLMError(f"no complete reply within {self.timeout:g} s")
            if chunk.delta:
                on_delta(text)
        return text


def _cause(exc: Exception) -> str:
    """What failed, without the exception's text (it may echo a request or a header)."""
    status = getattr(exc, "status_code", None)
    return f"{type(exc).__name__}" + (f" (HTTP {status})" if status else "")


def open_chat_client(config: LLMSettings) -> ChatClient:
    """The client the settings describe; UsageError when the extra or a setting is missing."""
    if not config.model:
        raise UsageError(f"FINNEWS_LLM={config.backend} needs FINNEWS_LLM_MODEL (the model name).")
    try:
        from llama_index.llms.openai_like import OpenAILike
    except ImportError:
        raise UsageError(
            f"FINNEWS_LLM={config.backend} needs the optional extra: "
            f"pip install 'finnews[{config.backend}]'"
        ) from None
    url = config.base_url or DEFAULT_URLS[config.backend]
    key = config.api_key.get_secret_value() if config.api_key else NO_KEY
    # One attempt: a user waiting in Slack is better served by the extractive answer at once
    # than by retries with backoff.
    llm = OpenAILike(
        model=config.model,
        api_base=url,
        api_key=key,
        is_chat_model=True,
        is_function_calling_model=False,
        context_window=32_000,
        temperature=0.0,
        max_tokens=600,
        timeout=config.timeout,
        max_retries=0,
    )
    return ChatClient(llm, config.timeout, f"{config.backend} {config.model} at {url}")
