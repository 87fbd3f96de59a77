"""Use cases. Each takes the session and the acting user, validates, changes state,
writes the audit row and flushes; the caller (request or command) commits once."""
