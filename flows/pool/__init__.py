"""The parser worker pool: pages parsed and searched for entities in worker processes, each under limits."""
