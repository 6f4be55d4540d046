"""Finding passages: dense and lexical search, fusion, reranking."""
