"""Plain-text tools: sentences and money amounts."""
