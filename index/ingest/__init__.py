"""From files and records to cleaned articles and chunks, into the store."""
