"""sweeper: the morning sweep of an online pharmacy's seller back-ends."""

__version__ = "0.1.0"
