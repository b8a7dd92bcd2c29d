"""Handoff to human e-counsellors: cases, the queue, the desk and opening hours."""
