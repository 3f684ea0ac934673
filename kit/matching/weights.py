"""The weights of the scoring criteria: how many points each is worth at most."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Weights:
    """Points each criterion is worth at most; built from configuration with ``from_mapping``."""

    occupation: float = 4.0
    teer: float = 0.5
    industry: float = 1.0
    language: float = 1.0
    french: float = 1.0
    goals: float = 1.5
    location: float = 0.5
    availability: float = 1.0
    experience: float = 0.5
    # Share of the occupation weight per deepest common level: broad, major, sub-major, minor, unit.
    noc_levels: tuple[float, float, float, float, float] = (0.2, 0.4, 0.6, 0.8, 1.0)
    availability_cap_hours: float = 4.0
    experience_scale_years: float = 5.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            values = value if isinstance(value, tuple) else (value,)
            if any(not math.isfinite(v) or v < 0 for v in values):
                raise ValueError(f"matching weight {f.name} must be a finite number >= 0")
        if len(self.noc_levels) != 5 or list(self.noc_levels) != sorted(self.noc_levels):
            raise ValueError("noc_levels needs five shares, broad to unit group, non-decreasing")
        if self.availability_cap_hours <= 0 or self.experience_scale_years <= 0:
            raise ValueError("availability_cap_hours and experience_scale_years must be > 0")

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> Weights:
        """Weights from a configuration mapping; an unknown key is an error (a typo)."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown matching weight(s): {', '.join(unknown)}")
        kwargs = {k: tuple(map(float, v)) if k == "noc_levels" else float(v)  # type: ignore[arg-type]
                  for k, v in values.items()}
        return cls(**kwargs)  # type: ignore[arg-type]

    def occupation_share(self, shared_levels: int) -> float:
        """The occupation term for codes sharing ``shared_levels`` levels (0 to 5)."""
        return self.noc_levels[shared_levels - 1] if shared_levels else 0.0

    def experience_term(self, years: float) -> float:
        """Saturating experience term in [0, 1)."""
        return 1.0 - math.exp(-max(years, 0.0) / self.experience_scale_years)
