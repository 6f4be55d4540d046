"""The Discord adapter: the only package that imports discord and nacl.

It turns gateway events and signed HTTP interactions into `bot.chat` messages, commands and
votes, and the chat core's neutral replies into embeds and buttons, as `bot.slack` does for
Slack.
"""
