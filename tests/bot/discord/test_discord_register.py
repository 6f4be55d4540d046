"""Registering /finnews: at start (in a guild when one is configured) or with
`finnews discord register`, over REST alone."""

from __future__ import annotations

from discord_fake import BOT, TOKEN
from typer.testing import CliRunner

from bot.cli.main import app as cli
from bot.discord.commands import FINNEWS

pytest_plugins = ["discord_fake"]

GLOBAL = "PUT /applications/{application_id}/commands"
IN_GUILD = "PUT /applications/{application_id}/guilds/{guild_id}/commands"
GUILD = "1200000000000000777"
APPLICATION = "1100000000000000999"


def test_a_configured_guild_gets_the_command_at_start_instead_of_a_global_one(
    run_discord, discord_api
):
    run_discord(gateway=False, http=True, discord_guild_id=GUILD)
    [registered] = discord_api.of(IN_GUILD)
    assert registered.params == {"application_id": BOT, "guild_id": GUILD}
    assert registered.body == [FINNEWS] and not discord_api.of(GLOBAL)


def test_a_configured_application_id_is_the_one_registered_for(run_discord, discord_api):
    run_discord(gateway=False, http=True, discord_application_id=APPLICATION)
    [registered] = discord_api.of(GLOBAL)
    assert registered.params == {"application_id": APPLICATION}


def env(discord_api, tmp_path, **more: str) -> dict[str, str]:
    return {
        "FINNEWS_DATA_DIR": str(tmp_path),
        "FINNEWS_DISCORD_BOT_TOKEN": TOKEN,
        "FINNEWS_DISCORD_API_URL": discord_api.api_url,
        **more,
    }


def test_cli_registers_globally_without_the_gateway(discord_api, tmp_path):
    result = CliRunner().invoke(cli, ["discord", "register"], env=env(discord_api, tmp_path))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "registered /finnews (ask, summary, digest, deals, sources, add, watch, help) for "
        f"application {BOT} in every guild and DM"
    )
    [registered] = discord_api.of(GLOBAL)
    assert registered.body == [FINNEWS]
    assert not discord_api.of("GET /gateway/bot")


def test_cli_registers_in_the_configured_guild(discord_api, tmp_path):
    settings = env(
        discord_api,
        tmp_path,
        FINNEWS_DISCORD_GUILD_ID=GUILD,
        FINNEWS_DISCORD_APPLICATION_ID=APPLICATION,
    )
    result = CliRunner().invoke(cli, ["discord", "register"], env=settings)
    assert result.exit_code == 0, result.output
    assert result.output.endswith(f"for application {APPLICATION} in guild {GUILD}\n")
    [registered] = discord_api.of(IN_GUILD)
    assert registered.params == {"application_id": APPLICATION, "guild_id": GUILD}


def test_cli_says_what_discord_refused(discord_api, tmp_path):
    discord_api.fail(GLOBAL, 403)
    result = CliRunner().invoke(cli, ["discord", "register"], env=env(discord_api, tmp_path))
    assert result.exit_code != 0
    assert "Discord did not register /finnews: HTTP 403" in str(result.exception)


def test_the_command_keeps_to_discords_rules_for_names_and_descriptions():
    def options(o: dict) -> list[dict]:
        return [o, *(x for sub in o.get("options", []) for x in options(sub))]

    every = options(FINNEWS)
    assert all(1 <= len(o["description"]) <= 100 for o in every)
    assert all(o["name"] == o["name"].lower() and len(o["name"]) <= 32 for o in every)
    assert all(len(o.get("options", [])) <= 25 for o in every)
