"""Reading passages into a cited answer: extractive or by a model, always verified."""
