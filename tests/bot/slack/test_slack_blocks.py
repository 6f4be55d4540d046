"""Slack rendering: Block Kit, escaping, Slack's limits and text format."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.slack import blocks
from index.records import Answer, Citation, Sentence

WHEN = datetime(2026, 10, 7, tzinfo=UTC)


def cite(
    n: int,
    title: str = "Title",
    source: str | None = "Wire",
    url: str | None = "https://x.example/a",
) -> Citation:
    return Citation(n, f"a{n}", title, source, url, WHEN)


def all_text(shown: list[dict]) -> str:
    return "\n".join(b["text"]["text"] for b in shown if b["type"] == "section")


def test_article_text_cannot_ping_or_forge_links():
    answer = Answer(
        "q",
        (Sentence("Hey <!channel> & <https://evil.example|click> now.", (1,)),),
        (cite(1, title="<@U123> wins", source="A&B <Wire>"),),
    )
    text = all_text(blocks.answer_blocks(answer, "id"))
    assert "<!channel>" not in text and "<@U123>" not in text and "|click>" not in text
    assert "Hey &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt; now [1]." in text
    assert "|&lt;@U123&gt; wins>" in text and "A&amp;B &lt;Wire&gt;, 2026-10-07" in text
    assert "&lt;!channel&gt;" in blocks.fallback_text(answer)


def test_only_http_urls_become_links_and_cannot_break_out():
    assert blocks.link("javascript:alert(1)", "T") == "T"
    assert blocks.link(None, "a<b") == "a&lt;b"
    assert blocks.link("https://x.example/?a=1&b=<2>|x", "T") == (
        "<https://x.example/?a=1&amp;b=%3C2%3E%7Cx|T>"
    )


def test_answer_message_has_answer_sources_and_feedback_buttons():
    answer = Answer(
        "q", (Sentence("Acme raised $5 million.", (1, 2)),), (cite(1), cite(2, url=None))
    )
    shown = blocks.answer_blocks(answer, "abc")
    assert [b["type"] for b in shown] == ["section", "section", "actions"]
    assert shown[0]["text"]["text"] == "Acme raised $5 million [1][2]."
    assert shown[1]["text"]["text"] == (
        "*Sources*\n[1] <https://x.example/a|Title> — Wire, 2026-10-07\n"
        "[2] Title — Wire, 2026-10-07"
    )
    assert [(e["action_id"], e["value"]) for e in shown[2]["elements"]] == [
        ("finnews_vote_up", "abc"),
        ("finnews_vote_down", "abc"),
    ]
    private = blocks.answer_blocks(answer, "abc", shareable=True)
    assert private[2]["elements"][-1]["action_id"] == "finnews_share"


def test_refusal_lists_the_closest_articles():
    note = "The indexed articles do not answer this."
    answer = Answer("q", (), (cite(1),), refused=True, note=note)
    shown = blocks.answer_blocks(answer, "x")
    assert shown[0]["text"]["text"] == note
    assert shown[1]["text"]["text"].startswith("*Closest articles*\n[1] ")


def test_a_10000_character_answer_is_split_into_sections_without_loss():
    text = " ".join(f"Sentence {n} is about the convertible notes." for n in range(250))[:10_000]
    answer = Answer("q", (Sentence(text, ()),), (cite(1),))
    shown = blocks.answer_blocks(answer, "x")
    parts = [b["text"]["text"] for b in shown if b["type"] == "section"][:-1]
    assert len(shown) <= 50 and all(len(p) <= 3000 for p in parts)
    assert " ".join(parts) == text
    assert len(blocks.fallback_text(answer)) <= 3000


def test_a_huge_answer_is_trimmed_to_fifty_blocks_with_room_to_share():
    answer = Answer("q", (Sentence("word " * 60_000, ()),), tuple(cite(n) for n in range(1, 7)))
    shown = blocks.answer_blocks(answer, "x")
    assert len(shown) == 49  # one block left for "Shared by"
    assert shown[-3]["text"]["text"].endswith(blocks.TRIMMED)
    assert all(len(b["text"]["text"]) <= 3000 for b in shown if b["type"] == "section")
    assert len(blocks.shared(shown, "U0ALICE")) == 50


def test_split_never_cuts_an_escape_in_two():
    text = "x" * 2996 + "&amp;" + "y" * 100
    first, second = blocks.split_text(text, 3000)
    assert first == "x" * 2996 and second.startswith("&amp;")


def test_question_text_drops_the_bot_mention_and_slack_markup():
    raw = "<@U0BOT> what did <@U0BOB|bob> say about <https://a.example|this> &amp; <#C1|deals>?"
    assert blocks.question_text(raw, "U0BOT") == "what did bob say about this & deals?"


def test_shared_header_only_names_real_user_ids():
    assert blocks.shared([{"type": "divider"}], "<!channel>") == [{"type": "divider"}]
    assert blocks.shared([], "U0ALICE")[0]["elements"][0]["text"] == "Shared by <@U0ALICE>"
