"""Prefect flows and tasks, the I/O adapters they use (local files, the web, WARC), and the CLI."""
