"""Understanding a message: who the person is, what they ask, which records answer it."""
