"""Blueprints: thin views that call services and commit once per request."""
