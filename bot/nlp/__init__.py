"""Norwegian language pieces: the nb spaCy pipeline, lemmas and written-language detection."""
