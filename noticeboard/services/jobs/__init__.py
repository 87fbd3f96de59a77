"""Long work as jobs: a row per job in the database, carried to a worker by the queue."""
