"""The service's insights and its learning loop: what the bot handled alone, why people
were handed over, how long they waited, how satisfied they were (counts only), and the
messages it could not answer, for a lead to label as training data."""
