"""The forest layers of the one map: areas coloured by the day's fire danger, and recent fire points."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from yingji.core.maplayers import FeatureCollection
from yingji.forest import selectors

# QX/T 77-2007 level colours, as monitoring's bands name them.
LEVEL_COLOURS = {1: "#16a34a", 2: "#2563eb", 3: "#eab308", 4: "#f97316", 5: "#dc2626"}
NO_DATA_COLOUR = "#6b7280"


def areas_layer(user: Any) -> FeatureCollection:
    features = []
    for row in selectors.area_overview(user=user):
        area, danger = row["area"], row["danger"]
        features.append(
            {
                "type": "Feature",
                "id": area.pk,
                "geometry": area.geometry,
                "properties": {
                    "id": area.pk,
                    "name": area.name,
                    "code": area.code,
                    "level": danger.level if danger else None,
                    "level_name": danger.level_name if danger else "",
                    "colour": LEVEL_COLOURS.get(danger.level, NO_DATA_COLOUR) if danger else NO_DATA_COLOUR,
                    "patrols_required": row["patrols_required"],
                    "patrols_today": row["patrols_today"],
                    "url": f"/forest/areas/{area.pk}/",
                    "illustrative": area.illustrative,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def fires_layer(user: Any) -> FeatureCollection:
    since = timezone.now() - timedelta(days=30)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": fire.pk,
                "geometry": {"type": "Point", "coordinates": [fire.lon, fire.lat]},
                "properties": {
                    "id": fire.pk,
                    "status": fire.get_status_display(),
                    "status_code": fire.status,
                    "area": fire.area.name if fire.area else "",
                    "reported_at": fire.reported_at.isoformat(),
                },
            }
            for fire in selectors.fire_list(user=user).filter(reported_at__gte=since)
        ],
    }


LAYERS = {"forest_areas": areas_layer, "forest_fires": fires_layer}
