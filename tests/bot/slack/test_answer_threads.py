"""How many answers the Slack app works out at once."""

from __future__ import annotations

import os

from bot.settings import Settings
from bot.slack.app import MODEL_THREADS, answer_threads


def test_extractive_answers_run_one_per_core(tmp_path):
    settings = Settings(data_dir=tmp_path, llm="extractive")
    assert answer_threads(settings) == max(2, os.cpu_count() or 2)


def test_model_answers_wait_on_http_so_more_run_at_once(tmp_path):
    settings = Settings(data_dir=tmp_path, llm="openai")
    assert answer_threads(settings) == MODEL_THREADS
