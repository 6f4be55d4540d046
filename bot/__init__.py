"""Answers, summaries, digests and the chat and command-line adapters of finnews."""
