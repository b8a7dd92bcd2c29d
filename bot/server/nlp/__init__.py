"""Norwegian language pieces in the model: the nb spaCy pipeline and lemmas, spelling, the
sentence embedding, the intent classifier and the crisis detector (the crisis words and
the written language, which the action server needs too, are in bot/shared/)."""
