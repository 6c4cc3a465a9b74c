"""Helper library for the AI policy course."""
