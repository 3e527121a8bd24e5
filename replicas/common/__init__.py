"""Shared machinery of the replicas: scenario files, the clock, serving, faults."""
