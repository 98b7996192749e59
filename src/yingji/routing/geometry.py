"""Distances on the earth and a local metric projection for snapping points to the road network."""

import numpy as np
from numpy.typing import ArrayLike

EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike) -> np.ndarray:
    """Great-circle distance in metres (scalars or arrays)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


class LocalProjection:
    """Equirectangular metres around a reference latitude: exact enough within a city for nearest-node search."""

    def __init__(self, lat0: float) -> None:
        self.kx = EARTH_RADIUS_M * np.cos(np.radians(lat0)) * np.pi / 180
        self.ky = EARTH_RADIUS_M * np.pi / 180

    def xy(self, lat: ArrayLike, lon: ArrayLike) -> np.ndarray:
        """An (n, 2) array of metres."""
        return np.column_stack([np.asarray(lon, dtype=float) * self.kx, np.asarray(lat, dtype=float) * self.ky])
