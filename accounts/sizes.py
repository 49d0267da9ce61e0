"""Office size bands: the one place their thresholds live.

A band is what "offices like mine", the size filter and bylines compare and show, never
the population itself (an estimate, and for a small town close to identifying). The
thresholds follow the networks the product serves: PLEJ is open to jurisdictions of
250,000 people or more."""

from .models import SizeBand

# The smallest population of each band, largest first.
_LOWER_BOUNDS = (
    (1_000_000, SizeBand.LARGEST),
    (250_000, SizeBand.VERY_LARGE),
    (50_000, SizeBand.LARGE),
    (10_000, SizeBand.MEDIUM),
    (0, SizeBand.SMALL),
)


def band_of(population: int | None) -> str:
    """The `SizeBand` value of an office serving ``population`` people; "" when unknown."""
    if population is None:
        return ""
    return next(band for lower, band in _LOWER_BOUNDS if population >= lower)
