"""`finnews discord register`: set the chat platforms up without starting the bot."""

from __future__ import annotations

import typer

from bot.settings import Settings

discord_app = typer.Typer(no_args_is_help=True, help="Set up the Discord app.")


@discord_app.command("register")
def register() -> None:
    """Register /finnews with Discord over its REST API (no gateway connection): in
    FINNEWS_DISCORD_GUILD_ID's guild when set (shown at once), else globally."""
    from bot.discord.app import register_commands
    from bot.discord.commands import subcommands

    application_id, where = register_commands(Settings().discord)
    print(
        f"registered /finnews ({', '.join(subcommands())}) for application "
        f"{application_id} in {where}"
    )
