"""A fake OpenAI-compatible chat API: a real HTTP server on 127.0.0.1, scripted per test.

PYTEST_DONT_REWRITE: it is loaded as a plugin after the test modules imported it.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bot.core import Finnews, open_finnews
from bot.settings import Settings
from index.embed.embedders import HashingEmbedder
from index.ingest.sources import load_paths

FENCE = re.compile(r"<<<ARTICLE \[(\d+)\] (.*?)>>>\n(.*?)\n<<<END ARTICLE \[\1\]>>>", re.S)


@dataclass(frozen=True)
class Reply:
    """One scripted answer: a reply text (or a function of the user prompt), an HTTP error,
    a raw body, or no answer at all until the server closes."""

    text: str | Callable[[str], str] = ""
    status: int = 200
    raw: str | None = None
    hang: bool = False


@dataclass(frozen=True)
class Request:
    """What the fake received: the JSON body and the headers."""

    body: dict[str, Any]
    headers: dict[str, str]

    @property
    def user(self) -> str:
        """The user message of the chat request."""
        return next(m["content"] for m in self.body["messages"] if m["role"] == "user")

    @property
    def system(self) -> str:
        """The system message."""
        return next(m["content"] for m in self.body["messages"] if m["role"] == "system")


def article_number(prompt: str, needle: str) -> int:
    """The [n] of the first fenced article whose opening line or text contains `needle`."""
    for m in FENCE.finditer(prompt):
        if needle in m.group(2) or needle in m.group(3):
            return int(m.group(1))
    raise AssertionError(f"no fenced article contains {needle!r}")


class FakeOpenAI:
    """Serves POST /v1/chat/completions from a script; every request is recorded."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self._script: list[Reply] = []
        self._lock = threading.Lock()
        self.released = threading.Event()  # hanging replies end when the test is over
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    @property
    def url(self) -> str:
        """The base URL a client is given (FINNEWS_LLM_BASE_URL)."""
        return f"http://127.0.0.1:{self.server.server_port}/v1"

    def script(self, *replies: Reply | str) -> None:
        """Answer the next requests with these, in order (the last one repeats)."""
        with self._lock:
            self._script = [r if isinstance(r, Reply) else Reply(r) for r in replies]

    def _next(self) -> Reply:
        with self._lock:
            if not self._script:
                raise AssertionError("the fake model was called without a script")
            return self._script.pop(0) if len(self._script) > 1 else self._script[0]

    def close(self) -> None:
        """Release hanging requests and stop serving."""
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


def _chunk(delta: dict[str, str], finish: str | None = None) -> bytes:
    data = {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "fake-model",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(data)}\n\n".encode()


def _completion(text: str) -> bytes:
    return json.dumps(
        {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": 1,
            "model": "fake-model",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": text},
                }
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
    ).encode()


def pieces(text: str, size: int = 9) -> Iterator[str]:
    """The text in small pieces, as a model streams tokens."""
    for start in range(0, len(text), size):
        yield text[start : start + size]


def _handler(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            request = Request(body, {k.lower(): v for k, v in self.headers.items()})
            with fake._lock:
                fake.requests.append(request)
            reply = fake._next()
            if reply.hang:
                fake.released.wait()
                return
            if reply.status != 200 or reply.raw is not None:
                return self._send(
                    reply.status,
                    (
                        reply.raw
                        or json.dumps(
                            {"error": {"message": "scripted failure", "type": "server_error"}}
                        )
                    ).encode(),
                )
            text = reply.text(request.user) if callable(reply.text) else reply.text
            if not body.get("stream"):
                return self._send(200, _completion(text))
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            self.wfile.write(_chunk({"role": "assistant", "content": ""}))
            for piece in pieces(text):
                self.wfile.write(_chunk({"content": piece}))
                self.wfile.flush()
            self.wfile.write(_chunk({}, "stop") + b"data: [DONE]\n\n")

        def _send(self, status: int, payload: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            if status == 429:
                self.send_header("Retry-After", "0")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


# --- A real core (hashing embedder) over the samples and an article carrying an injection. ---

ROOT = Path(__file__).resolve().parents[2]
INJECTION = ROOT / "tests" / "data" / "bad" / "injection.txt"
SAMPLES = ROOT / "samples"
KEY = "sk-test-4f1c9e0d2b7a-do-not-log"
HALVORSEN = "How much is Halvorsen Wind raising with its green bond?"


def open_llm_core(folder: Path, model: FakeOpenAI, **settings) -> Finnews:
    """A real core over the samples and the injection article, answering through the fake."""
    config = Settings(
        _env_file=None,
        data_dir=folder,
        embedder="hashing",
        **{
            "llm": "openai",
            "llm_base_url": model.url,
            "llm_model": "fake-model",
            "llm_api_key": KEY,
            "llm_timeout": 20,
        }
        | settings,
    )
    core = open_finnews(config, embedder=HashingEmbedder())
    core.ingest(load_paths([SAMPLES, INJECTION]))
    return core


@pytest.fixture
def model() -> Iterator[FakeOpenAI]:
    """The fake model server, closed after the test."""
    server = FakeOpenAI()
    yield server
    server.close()


def quoting_reply(prompt: str) -> str:
    """A stand-in model for a manual run: the first sentence of articles [1] and [2], cited."""
    from index.text.sentences import split

    out = []
    for m in list(FENCE.finditer(prompt))[:2]:
        first = split(m.group(3))[:1]
        out += [f"{s.rstrip('.')} [{m.group(1)}]." for s in first]
    return " ".join(out) or "NOT IN THE ARTICLES"


if __name__ == "__main__":  # python tests/openai_fake.py: serve quoting replies until killed
    fake = FakeOpenAI()
    fake.script(Reply(quoting_reply))
    print(fake.url, flush=True)
    fake.released.wait()
