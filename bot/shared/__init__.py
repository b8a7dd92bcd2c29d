"""What both server processes import, each into its own memory: settings, the knowledge
and its places, topics and occupations, the crisis words and the written language. Light
on purpose: the action server imports these and nothing of Rasa or the model libraries."""
