"""The Prefect flows and their tasks, the pipeline they share, run reports and the CLI; subpackages:
``http`` (fetching), ``sources`` (where pages come from), ``pool`` (the parser worker processes)."""
