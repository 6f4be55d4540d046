"""The financing-qa scoring rule, as its README states it."""

from __future__ import annotations

import json

from bot.eval.qa import Item, load_items, score, summary


def test_answerable_item_needs_an_unrefused_reply_containing_an_alias():
    item = Item("q1", "How much?", "amount", ("$3.2 billion", "US$3.2 billion"))
    assert score(item, "Alibaba: US$3,2 billion [1]".replace(",2", ".2"), False).right
    assert score(item, "It raised $3.2 Billion.", False).right
    assert not score(item, "It raised $3.2 billion.", True).right  # refused
    assert not score(item, "It raised $2 billion.", False).right


def test_unanswerable_item_counts_only_when_refused_or_gap_stated():
    item = Item("q2", "Who led?", "unanswerable", ())
    assert score(item, "The articles mention X but do not state who.", True).right
    assert not score(item, "Led by Accel [1].", False).right


def test_summary_reports_kinds_and_answerable_apart(tmp_path):
    path = tmp_path / "q.json"
    path.write_text(
        json.dumps(
            [
                {
                    "id": "a",
                    "question": "How much?",
                    "answer": "$5m",
                    "aliases": ["5m"],
                    "kind": "amount",
                },
                {
                    "id": "b",
                    "question": "Who?",
                    "answer": "not in sources",
                    "aliases": [],
                    "kind": "unanswerable",
                },
            ]
        )
    )
    items = load_items(path)
    rows = [score(items[0], "It raised $5m [1]", False), score(items[1], "Nobody", False)]
    tallies = summary(rows)
    assert tallies["amount"].right == 1 and tallies["answerable"].share == 1.0
    assert tallies["unanswerable (refused or gap)"].share == 0.0 and tallies["all"].total == 2
