"""The Rasa server process: the channels people and counsellors use, the desk, the NLU
components and policies in the model, conversation storage and our changes to Rasa 3.6."""
