"""Veivalg: the service around Rasa (language pieces, storage, channels, CLI)."""
