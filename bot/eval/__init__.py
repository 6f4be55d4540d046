"""Evaluation: MultiHop-RAG retrieval and answers, deal labels, the baseline."""
