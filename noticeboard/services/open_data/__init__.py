"""open_data."""
