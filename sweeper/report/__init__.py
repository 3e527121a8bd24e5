"""The HTML report: a pure function of the run result (render.py), in Chinese."""
