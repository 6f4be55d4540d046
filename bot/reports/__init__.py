"""Summaries, the weekly digest and its schedule."""
