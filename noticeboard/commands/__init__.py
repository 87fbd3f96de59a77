"""Console commands of the `noticeboard` CLI, one module per concern."""
