"""The product's own settings (`config.settings.base`: SQLite as `make run` configures it),
for a benchmark that measures the product as it ships (`search_index`), but without the
posting limits (`forum.limits`), which would refuse a benchmark's hundreds of posts a minute
by a few people."""

from config.settings.base import *  # noqa: F403

CANVASS_POSTING_LIMITS = None
