"""The job queue's wiring: Huey on SQLite (the embedded default) or Redis, its one task,
and the worker processes that consume it. Services see only ``services.jobs.queue``."""
