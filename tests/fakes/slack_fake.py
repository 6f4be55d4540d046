"""A fake Slack Web API: a real HTTP server on 127.0.0.1 that records calls, answers like Slack.

PYTEST_DONT_REWRITE: it is loaded as a plugin after the test modules imported it.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from sample_core import open_core
from slack_bolt import App, BoltRequest, BoltResponse

from bot.chat.ledger import Ledger, open_ledger
from bot.core import Finnews
from bot.database import open_database
from bot.server import http_server, routes
from bot.settings import Settings
from bot.slack.app import EVENTS_PATH, create_app, slack_wsgi

TEAM, BOT_USER, BOT_ID = "T0FINNEWS", "U0FINBOT", "B0FINBOT"


@dataclass(frozen=True)
class Call:
    """One request the fake received: the API method (or `response_url`), its body, when."""

    method: str
    body: dict[str, Any]
    path: str
    status: int
    at: float = field(default_factory=time.perf_counter)


class FakeSlack:
    """Answers auth.test, chat.*, reactions.* and response_url posts; scriptable failures."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._cond = threading.Condition()
        self._failures: dict[str, list[tuple[int, str | None]]] = {}
        self._ts = itertools.count(1)
        ThreadingHTTPServer.request_queue_size = 128  # bursts: the default backlog is 5
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    @property
    def base(self) -> str:
        """http://127.0.0.1:<port>"""
        return f"http://127.0.0.1:{self.server.server_port}"

    @property
    def api_url(self) -> str:
        """The Web API base URL to give a WebClient."""
        return self.base + "/api/"

    def response_url(self, name: str = "1") -> str:
        """A response_url (as Slack puts in commands and actions) that lands here."""
        return f"{self.base}/hooks/{name}"

    def fail(
        self, method: str, status: int, times: int = 1, retry_after: str | None = None
    ) -> None:
        """Answer the next `times` calls of a method with this HTTP status."""
        with self._cond:
            self._failures.setdefault(method, []).extend([(status, retry_after)] * times)

    def of(self, method: str, ok: bool = True) -> list[Call]:
        """Calls of one method so far (only the ones answered 200 unless ok=False)."""
        with self._cond:
            return [c for c in self.calls if c.method == method and (c.status == 200 or not ok)]

    def wait(
        self,
        method: str,
        count: int = 1,
        where: Callable[[Call], bool] = lambda c: True,
        timeout: float = 15.0,
        ok: bool = True,
    ) -> list[Call]:
        """Block until `count` matching calls arrived; fail the test after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [
                    c
                    for c in self.calls
                    if c.method == method and where(c) and (c.status == 200 or not ok)
                ]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"{len(found)}/{count} {method} calls after {timeout}s: "
                        f"{[(c.method, c.status) for c in self.calls]}"
                    )
                self._cond.wait(left)

    def close(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()

    def _answer(self, method: str, body: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
        with self._cond:
            queued = self._failures.get(method)
            failure = queued.pop(0) if queued else None
        if failure:
            status, retry_after = failure
            headers = {"Retry-After": retry_after} if retry_after else {}
            error = "ratelimited" if status == 429 else "fatal_error"
            return status, headers, {"ok": False, "error": error}
        return 200, {}, self._result(method, body)

    def _result(self, method: str, body: dict[str, Any]) -> Any:
        if method == "response_url":
            return "ok" if _fits(body) else "invalid_blocks"
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://finnews-test.slack.com/",
                "team": "Finnews Test",
                "user": "finnews",
                "team_id": TEAM,
                "user_id": BOT_USER,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        if method in ("chat.postMessage", "chat.postEphemeral"):
            if not _fits(body):
                return {"ok": False, "error": "invalid_blocks"}
            if len(body.get("text") or "") > 40_000:
                return {"ok": False, "error": "msg_too_long"}
            ts = f"{1_790_000_000 + next(self._ts)}.000100"
            if method == "chat.postEphemeral":
                return {"ok": True, "message_ts": ts}
            return {
                "ok": True,
                "channel": body.get("channel"),
                "ts": ts,
                "message": {
                    "type": "message",
                    "text": body.get("text", ""),
                    "ts": ts,
                    "bot_id": BOT_ID,
                    "user": BOT_USER,
                },
            }
        if method == "chat.update":
            if not _fits(body):
                return {"ok": False, "error": "invalid_blocks"}
            return {
                "ok": True,
                "channel": body.get("channel"),
                "ts": body.get("ts"),
                "text": body.get("text", ""),
            }
        return {"ok": True}

    def _record(self, call: Call) -> None:
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()


def _fits(body: dict[str, Any]) -> bool:
    """Slack's limits on blocks: at most 50, sections of at most 3,000 characters."""
    blocks = body.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    if len(blocks) > 50:
        return False
    return all(
        len(b.get("text", {}).get("text", "")) <= 3000 for b in blocks if b.get("type") == "section"
    )


def _handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            if "json" in (self.headers.get("Content-Type") or ""):
                body = json.loads(raw or "{}")
            else:
                body = dict(parse_qsl(raw))
            path = self.path.split("?")[0]
            method = path.removeprefix("/api/") if path.startswith("/api/") else "response_url"
            status, headers, result = fake._answer(method, body)
            if result == "invalid_blocks":
                status = 400  # how response_url refuses what does not fit
            fake._record(Call(method, body, path, status))  # before answering, to keep order
            payload = result.encode() if isinstance(result, str) else json.dumps(result).encode()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            kind = "text/plain" if isinstance(result, str) else "application/json"
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean

    return Handler


# --- The other side of the conversation: what Slack sends to the app. ---

SECRET = "test-signing-secret"
TOKEN = "xoxb-0000000000-test"


def signed_post(
    url: str,
    body: str,
    *,
    form: bool = False,
    secret: str = SECRET,
    timestamp: int | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, str]:
    """POST a body signed the way Slack signs it; (status, response text)."""
    from slack_sdk.signature import SignatureVerifier

    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    kind = "application/x-www-form-urlencoded" if form else "application/json"
    request = urllib.request.Request(
        url,
        data=body.encode(),
        method="POST",
        headers={
            "Content-Type": kind,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature,
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def envelope(event: dict[str, Any], event_id: str) -> dict[str, Any]:
    """An Events API callback around an event."""
    return {
        "token": "unused",
        "team_id": TEAM,
        "api_app_id": "A0FINNEWS",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
    }


def mention(
    text: str,
    ts: str,
    channel: str = "C0DEALS",
    user: str = "U0ALICE",
    thread_ts: str | None = None,
) -> dict[str, Any]:
    """An app_mention event."""
    event = {
        "type": "app_mention",
        "user": user,
        "text": f"<@{BOT_USER}> {text}",
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
    }
    return event | ({"thread_ts": thread_ts} if thread_ts else {})


def message(
    text: str,
    ts: str,
    channel: str = "D0ALICE",
    user: str | None = "U0ALICE",
    channel_type: str = "im",
    thread_ts: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A message event (a DM by default)."""
    event = {
        "type": "message",
        "text": text,
        "ts": ts,
        "channel": channel,
        "channel_type": channel_type,
        "event_ts": ts,
    } | extra
    event |= {"user": user} if user else {}
    return event | ({"thread_ts": thread_ts} if thread_ts else {})


def command(
    text: str,
    response_url: str,
    channel_id: str = "C0DEALS",
    channel_name: str = "deals",
    user_id: str = "U0ALICE",
) -> dict[str, str]:
    """The form fields of a `/finnews` slash command."""
    return {
        "token": "unused",
        "team_id": TEAM,
        "team_domain": "finnews-test",
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": "alice",
        "command": "/finnews",
        "text": text,
        "api_app_id": "A0FINNEWS",
        "response_url": response_url,
        "trigger_id": "1.2.3",
    }


def action(
    action_id: str, value: str, response_url: str, user: str = "U0ALICE", channel: str = "C0DEALS"
) -> dict[str, Any]:
    """A block_actions payload for a button click."""
    return {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "finnews-test"},
        "user": {"id": user, "username": "alice", "team_id": TEAM},
        "api_app_id": "A0FINNEWS",
        "token": "unused",
        "trigger_id": "1.2.3",
        "channel": {"id": channel, "name": "deals"},
        "response_url": response_url,
        "container": {
            "type": "message",
            "message_ts": "1790000001.000100",
            "channel_id": channel,
            "is_ephemeral": True,
        },
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "finnews_answer",
                "value": value,
                "action_ts": str(time.time()),
            }
        ],
    }


# --- pytest fixtures (test modules load them with `pytest_plugins = ["slack_fake"]`);
# conftest.py's autouse fixture already clears SLACK_*, FINNEWS_* and OPENAI_API_KEY. ---


@pytest.fixture(scope="session")
def core(tmp_path_factory: pytest.TempPathFactory) -> Finnews:
    """One core shared by the Slack tests, which only read it."""
    return open_core(tmp_path_factory.mktemp("slack-core"))


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    """The fake Web API, closed after the test."""
    server = FakeSlack()
    yield server
    server.close()


@dataclass
class Running:
    """An app wired to the fake, with its ledger; `url` is set when it serves HTTP."""

    app: App
    ledger: Ledger
    fake: FakeSlack
    url: str = ""

    def dispatch(self, body: dict[str, Any]) -> BoltResponse:
        """Hand the app a Socket Mode payload, as the Socket Mode handler does."""
        return self.app.dispatch(BoltRequest(body=body, mode="socket_mode"))

    def event(self, event: dict[str, Any], event_id: str, **kw: Any) -> tuple[int, str]:
        """A signed Events API request over HTTP."""
        return signed_post(self.url + "/slack/events", json.dumps(envelope(event, event_id)), **kw)

    def form(self, fields: dict[str, str], **kw: Any) -> tuple[int, str]:
        """A signed form request (slash command or `payload=` action) over HTTP."""
        return signed_post(self.url + "/slack/events", urlencode(fields), form=True, **kw)

    def click(self, payload: dict[str, Any]) -> tuple[int, str]:
        """A signed button click over HTTP."""
        return self.form({"payload": json.dumps(payload)})


@pytest.fixture
def start(core: Finnews, fake: FakeSlack, tmp_path: Path) -> Iterator[Callable[..., Running]]:
    """Build the app (by default one worker: lazy work runs in arrival order); HTTP if asked."""
    servers, executors = [], []

    def build(
        http: bool = False, finnews: Finnews | None = None, workers: int = 1, **settings: Any
    ) -> Running:
        config = Settings(
            _env_file=None,
            data_dir=tmp_path,
            embedder="hashing",
            slack_bot_token=TOKEN,
            slack_signing_secret=SECRET,
            slack_api_url=fake.api_url,
            **settings,
        )
        ledger = open_ledger(open_database(config))
        executor = ThreadPoolExecutor(workers)
        executors.append(executor)
        app = create_app(config, finnews or core, ledger, backoff=0.01, executor=executor)
        running = Running(app, ledger, fake)
        if http:
            server = http_server(routes({EVENTS_PATH: slack_wsgi(app, SECRET)}), "127.0.0.1", 0)
            threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
            servers.append(server)
            running.url = f"http://127.0.0.1:{server.server_port}"
        return running

    yield build
    for executor in executors:  # finish the lazy work before the fake goes away
        executor.shutdown(wait=True)
    for server in servers:
        server.shutdown()
        server.server_close()
