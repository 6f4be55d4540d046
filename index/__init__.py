"""Sources, chunking, embedding, the Chroma store and retrieval for finnews."""
