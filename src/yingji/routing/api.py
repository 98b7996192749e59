"""API of the road networks: list them, and switch routing to another one (system administrators)."""

from datetime import datetime

from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from yingji.core.api import Pages
from yingji.core.requests import ApiRequest
from yingji.routing import selectors, services
from yingji.routing.models import RoadNetwork

router = Router(tags=["routing"])


class NetworkOut(Schema):
    id: int
    name: str
    source: str
    imported_at: datetime
    illustrative: bool
    active: bool
    serves_district: bool
    node_count: int
    edge_count: int
    bounds: list[float] = Field(..., description="south, west, north, east")

    @staticmethod
    def resolve_bounds(network: RoadNetwork) -> list[float]:
        return [network.min_lat, network.min_lon, network.max_lat, network.max_lon]


class NetworkFilters(Schema):
    q: str | None = Field(None, max_length=100)
    active: bool | None = None


@router.get("/routing/networks", response=list[NetworkOut])
@paginate(Pages)
def networks_list(request: ApiRequest, filters: Query[NetworkFilters]) -> QuerySet[RoadNetwork]:
    """Road networks, the active one first; `illustrative` marks generated demo networks."""
    return selectors.network_list(user=request.auth, q=filters.q, active=filters.active)


@router.get("/routing/networks/{network_id}", response=NetworkOut)
def networks_get(request: ApiRequest, network_id: int) -> RoadNetwork:
    return selectors.network_get(user=request.auth, network_id=network_id)


@router.post("/routing/networks/{network_id}/activate", response=NetworkOut)
def networks_activate(request: ApiRequest, network_id: int) -> RoadNetwork:
    """Route on this network from now on (system administrators only)."""
    network = selectors.network_get(user=request.auth, network_id=network_id)
    return services.network_activate(by=request.auth, network=network)
