"""Live news: fetching pages and feeds, and remembering what was read."""
