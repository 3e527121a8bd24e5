"""The sweep benchmark (bench/sweep.py) and its helpers; not part of the package."""
