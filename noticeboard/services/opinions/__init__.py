"""opinions."""
