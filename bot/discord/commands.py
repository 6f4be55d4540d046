"""The `/finnews` application command Discord shows users, registered at start."""

from __future__ import annotations

from typing import Any

from bot.discord.rest import Rest
from index.records import DEAL_KINDS

SUBCOMMAND, TEXT, INTEGER = 1, 3, 4  # option types
GUILD, BOT_DM = 0, 1  # where the command may be used (interaction contexts)


def _sub(
    name: str,
    description: str,
    option: tuple[str, str, bool] | None = None,
) -> dict[str, Any]:
    sub: dict[str, Any] = {"type": SUBCOMMAND, "name": name, "description": description}
    if option:
        sub["options"] = [_text(*option)]
    return sub


def _text(name: str, description: str, required: bool = False) -> dict[str, Any]:
    """A text option of a subcommand."""
    return {
        "type": TEXT,
        "name": name,
        "description": description,
        "required": required,
        "max_length": 1000,
    }


FINNEWS = {
    "type": 1,
    "name": "finnews",
    "description": "Company financing news from the indexed articles, with cited sources",
    "contexts": [GUILD, BOT_DM],
    "options": [
        _sub(
            "ask",
            "A private answer you can share in the channel",
            ("question", "What you want to know", True),
        ),
        _sub("summary", "A short briefing on a company or topic, deals first")
        | {
            "options": [
                _text("topic", "A company or topic", required=True),
                _text("period", "30d, 2026-10 or 2026-10-01..2026-10-31 (default: all)"),
            ]
        },
        _sub("digest", "The financing digest of the week (or the days) ending on a day")
        | {
            "options": [
                _text("until", "The last day covered, YYYY-MM-DD (default: yesterday)"),
                {
                    "type": INTEGER,
                    "name": "days",
                    "description": "How many days it covers (default: 7)",
                    "required": False,
                    "min_value": 1,
                    "max_value": 366,
                },
            ]
        },
        _sub("deals", "The financing deals read from the articles, newest first")
        | {
            "options": [
                _text("company", "Only this company"),
                {
                    "type": TEXT,
                    "name": "kind",
                    "description": "Only this kind of deal",
                    "required": False,
                    "choices": [{"name": k, "value": k} for k in DEAL_KINDS],
                },
                _text("since", "From this date, YYYY-MM-DD, or for the last 7d, 2w, 3m"),
            ]
        },
        _sub("sources", "What is indexed"),
        _sub("add", "Add an article to the index", ("url", "The article's address", True)),
        _sub("watch", "This channel's watchlist: new deals and stories are posted here")
        | {
            "options": [
                {
                    "type": TEXT,
                    "name": "action",
                    "description": "Add, list or remove a watch",
                    "required": True,
                    "choices": [{"name": v, "value": v} for v in ("add", "list", "remove")],
                },
                _text("name", "A company, a kind of deal or a topic (topic: green bonds)"),
            ]
        },
        _sub("help", "How to use finnews"),
    ],
}


def register(rest: Rest, application_id: str, guild_id: str | None = None) -> str:
    """Make `/finnews` the application's command, in one guild (shown at once) or globally (an
    overwrite: the same definition twice is one command); where it went. Raises RestError."""
    if guild_id:
        path = "/applications/{application_id}/guilds/{guild_id}/commands"
        rest.call("PUT", path, [FINNEWS], application_id=application_id, guild_id=guild_id)
        return f"guild {guild_id}"
    rest.call(
        "PUT", "/applications/{application_id}/commands", [FINNEWS], application_id=application_id
    )
    return "every guild and DM (a global command; Discord may take a while to show changes)"


def subcommands() -> list[str]:
    """The names of /finnews's subcommands."""
    return [o["name"] for o in FINNEWS["options"]]
