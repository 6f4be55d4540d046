"""Replies as Discord messages: article text made inert, Discord's limits kept (pure functions;
`too_big` is the fake Discord's own check of what Discord refuses)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from discord_fake import too_big

from bot.chat.port import Reply
from bot.chat.replies import HELP, WRITING
from bot.discord.embeds import DESCRIPTION_LIMIT, size
from bot.discord.markdown import clip, escape, notice_markdown, question_text
from bot.discord.render import render
from bot.reports.deal_list import DealList, DealQuery, DealRow
from bot.reports.summary import Brief, Summary
from index.records import Answer, Citation, Sentence

CITATION = Citation(
    1,
    "a1",
    "Corvanta prices notes",
    "The Ledger Post",
    "https://ledgerpost.example/corvanta",
    datetime(2026, 10, 7, tzinfo=UTC),
)


def descriptions(message: dict) -> str:
    return "\n".join(e.get("description", "") for e in message["embeds"])


def test_article_text_cannot_ping_format_or_forge_links():
    hostile = (
        "@everyone look <@123456789012345678> **now** [click](https://evil.example) "
        "||spoiler|| `code` > quote # heading <#1300000000000000001> @here"
    )
    answer = Answer("q", (Sentence(hostile, (1,)),), (CITATION,))
    message = render(Reply(answer, "id1"))
    text = message["embeds"][0]["description"]
    assert "@\u200beveryone" in text and "@\u200bhere" in text
    for raw in ("**now**", "[click](", "||spoiler||", "`code`"):
        assert raw not in text
    assert not re.search(r"(?<!\\)[<>`#]", text)  # every bracket and sign escaped
    assert message["allowed_mentions"] == {"parse": []}  # and Discord itself pings no one
    assert text.startswith("@\u200beveryone look \\<@123456789012345678\\> \\*\\*now\\*\\*")


def test_answer_shows_cited_sentences_linked_sources_and_buttons():
    answer = Answer("q", (Sentence("Corvanta raised $450 million.", (1,)),), (CITATION,))
    message = render(Reply(answer, "0123456789abcdef", shareable=True))
    prose, sources = message["embeds"]
    assert prose["description"] == "Corvanta raised $450 million [1]."
    assert sources["title"] == "Sources"
    assert sources["description"] == (
        "\\[1\\] [Corvanta prices notes](https://ledgerpost.example/"
        "corvanta) — The Ledger Post, 2026\\-10\\-07"
    )
    [row] = message["components"]
    assert [b["custom_id"] for b in row["components"]] == [
        "finnews:up:0123456789abcdef",
        "finnews:down:0123456789abcdef",
        "finnews:share:0123456789abcdef",
    ]
    assert "content" not in message and too_big(message) is None


def test_a_shared_answer_names_who_shared_it_without_the_share_button():
    answer = Answer("q", (Sentence("Corvanta raised $450 million.", (1,)),), (CITATION,))
    message = render(Reply(answer, "id1", shared_by="1400000000000000001"))
    assert message["content"] == "Shared by <@1400000000000000001>"
    assert [b["label"] for b in message["components"][0]["components"]] == [
        "Helpful",
        "Not helpful",
    ]
    assert "content" not in render(Reply(answer, "id1", shared_by="<@everyone>"))


def test_a_10000_character_answer_with_40_sources_fits_in_one_message():
    words = " ".join(f"Tranche {n} priced at par with a 5% coupon." for n in range(240))
    sources = tuple(
        Citation(n, f"a{n}", f"Headline {n} " + "x" * 250, "Outlet", f"https://x.example/{n}", None)
        for n in range(1, 41)
    )
    answer = Answer("q", (Sentence(words[:10_000], (1, 2)),), sources)
    message = render(Reply(answer, "id1", shareable=True))
    assert too_big(message) is None
    prose, listed = message["embeds"]
    assert len(prose["description"]) <= DESCRIPTION_LIMIT and size(message["embeds"]) <= 6000
    assert prose["description"].endswith(" … (trimmed to fit in Discord)")
    assert listed["description"].splitlines()[0].startswith("\\[1\\] [Headline 1 xxx")
    assert listed["description"].splitlines()[-1].startswith("… and ")


def test_an_answer_still_being_written_is_marked_and_has_no_buttons():
    partial = Answer("q", (Sentence("Corvanta raised $450 million.", (1,)),), (CITATION,))
    message = render(Reply(partial, writing=True))
    assert message["embeds"][0]["description"].endswith(WRITING)
    assert message["components"] == []


def test_notices_use_discord_bold_and_fit_in_2000_characters():
    assert notice_markdown("*12 articles* (3 passages)") == "**12 articles** (3 passages)"
    assert notice_markdown(escape("*not bold*")) == "\\*not bold\\*"
    message = render(Reply(HELP + " word" * 500))
    assert message["content"].startswith("**finnews** answers questions")
    assert len(message["content"]) <= 2000 and message["allowed_mentions"] == {"parse": []}


def test_a_question_loses_the_bots_mention_and_keeps_the_others_as_names():
    text = "<@111> did <@!222> see <#333> and <@&444>? <:tada:555> <@&999>"
    assert (
        question_text(text, "111", {"222": "alice", "333": "deals", "444": "analysts"}, ("999",))
        == "did @alice see #deals and @analysts? :tada:"
    )


def test_clipping_never_separates_a_backslash_from_what_it_escapes():
    text = "word " * 10 + "\\*" * 40
    for limit in range(20, 90):
        cut = clip(text, limit, "…")
        assert len(cut) <= limit
        body = cut.removesuffix("…")
        assert (len(body) - len(body.rstrip("\\"))) % 2 == 0


def test_a_long_summary_keeps_whole_stories_and_the_sources_they_cite():
    citations = tuple(
        Citation(n, f"a{n}", f"Headline {n}", "Outlet", f"https://x.example/{n}", None)
        for n in range(1, 31)
    )
    briefs = tuple(
        Brief(f"Bond: Company {n}", (Sentence("A sentence about it. " * 20, (n,)),))
        for n in range(1, 31)
    )
    message = render(Reply(Summary("Company", "all dates", briefs, citations)))
    assert too_big(message) is None
    body, sources = message["embeds"]
    shown = body["description"].count("**Bond: Company")
    assert 3 < shown < 30
    assert sources["description"].count("\n") + 1 == shown  # only the sources it cites


def test_a_long_deal_list_keeps_to_one_embed_and_counts_the_rest():
    rows = tuple(
        DealRow(
            n,
            "2026-10-01",
            f"@everyone Co {n}",
            "loan",
            "USD 5 million",
            "T" * 300,
            f"https://example.com/{n}",
            None,
        )
        for n in range(1, 101)
    )
    message = render(Reply(DealList(DealQuery("Co"), rows, 300)))
    [embed] = message["embeds"]
    assert len(embed["description"]) <= DESCRIPTION_LIMIT and not too_big(message)
    lines = embed["description"].split("\n")
    hidden = 300 - (len(lines) - 1)
    assert lines[-1] == f"… and {hidden} more; `finnews deals` in a terminal lists them all."
    assert "@everyone" not in embed["description"] and message["allowed_mentions"] == {"parse": []}
