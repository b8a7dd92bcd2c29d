"""Rasa input channels: how people reach Veivalg."""
