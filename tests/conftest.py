"""Shared fixtures: isolated settings, a small real index, the shared corpora, a Chroma server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Processes the tests start (the `finnews` script, helper scripts) import this checkout's code,
# not whichever checkout the virtualenv has installed in editable mode.
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared" / "data"
DATA = ROOT / "tests" / "data"  # the project's own test data


@pytest.fixture(autouse=True)
def _no_real_services(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reaches for a real Slack, LLM or a developer's own finnews settings."""
    for name in list(os.environ):
        if name.startswith(("SLACK_", "FINNEWS_")) or name == "OPENAI_API_KEY":
            monkeypatch.delenv(name)


@pytest.fixture
def settings(tmp_path: Path):
    """Settings for a fresh data directory, ignoring any .env file."""
    from bot.settings import Settings

    return Settings(_env_file=None, data_dir=tmp_path / "data", embedder="hashing")


@pytest.fixture
def hashing():
    """The fast deterministic embedder."""
    from index.embed.embedders import HashingEmbedder

    return HashingEmbedder()


@pytest.fixture
def finnews(settings, hashing):
    """An empty core over an embedded store."""
    from bot.core import open_finnews

    return open_finnews(settings, hashing)


@pytest.fixture
def sample_core(finnews):
    """A core with the project's own sample articles ingested."""
    from index.ingest.sources import load_paths

    report = finnews.ingest(load_paths([SAMPLES]))
    assert report.added > 0
    return finnews


@pytest.fixture
def shared_data() -> Path:
    """../shared/data, or a clean skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory):
    """A real `chroma run` on 127.0.0.1 on a free port, stopped after the session."""
    chroma = Path(sys.executable).parent / "chroma"
    if not chroma.exists():
        pytest.skip("the chroma command is not installed")
    port = free_port()
    folder = tmp_path_factory.mktemp("chroma-server")
    log = open(folder / "server.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            str(chroma),
            "run",
            "--path",
            str(folder / "db"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError((folder / "server.log").read_text()[-2000:]) from None
            time.sleep(0.2)
    yield "127.0.0.1", port
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL for the session (skipped with the reason when it cannot start)."""
    from postgres_server import start_postgres

    yield from start_postgres()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a fresh, empty database: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'state.sqlite3'}"
    return request.getfixturevalue("postgres").create()


@pytest.fixture
def database(database_url: str):
    """A fresh shared database, migrated, on each backend in turn."""
    from index.database import open_database

    db = open_database(database_url)
    yield db
    db.dispose()
