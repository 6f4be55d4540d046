"""The `finnews` command line."""
