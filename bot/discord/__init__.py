"""The Discord adapter (to come): the only package that will import discord and nacl.

It will turn gateway events and signed HTTP interactions into `bot.chat` questions, and the
chat core's neutral replies into embeds and components, as `bot.slack` does for Slack.
"""
