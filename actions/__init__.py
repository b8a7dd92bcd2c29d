"""Custom actions run by the Rasa action server (``python -m rasa_sdk --actions actions``).

Actions stay thin: they read the knowledge base and the person's written language, and
leave everything else to the modules in ``bot/``.
"""
