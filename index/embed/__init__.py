"""The embedders: all-MiniLM-L6-v2 through onnxruntime, and a test embedder."""
