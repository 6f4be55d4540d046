"""Watchlists and the alerts they fire when new articles arrive: platform-neutral."""
