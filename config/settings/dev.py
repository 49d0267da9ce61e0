"""Local development: `make run`. Debug on; email printed to the console."""

from .base import *  # noqa: F403

DEBUG = True
