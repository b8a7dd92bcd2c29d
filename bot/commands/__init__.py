"""Commands ``make`` and operators run: start both servers (``serve``) or a cluster of
replicas (``cluster``), check the training data (``validate_data``) and the knowledge's
links (``knowledge_links``)."""
