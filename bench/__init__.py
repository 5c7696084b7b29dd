"""Benchmarks and the corpus scoring they share with the tests."""
