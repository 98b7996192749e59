"""Pages of the road networks: the list, a network with its map, and switching the active one."""

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingji.core.errors import YingjiError
from yingji.core.requests import AuthedRequest
from yingji.core.roles import is_system_admin
from yingji.core.web import page_of
from yingji.routing import selectors, services
from yingji.routing.forms import NetworkFilterForm


def network_list(request: AuthedRequest) -> HttpResponse:
    form = NetworkFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    networks = selectors.network_list(user=request.user, q=filters.get("q") or None, active=filters.get("active"))
    page, query = page_of(request, networks)
    return render(
        request,
        "routing/network_list.html",
        {"form": form, "page": page, "query": query, "can_activate": is_system_admin(request.user)},
    )


def network_detail(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = selectors.network_get(user=request.user, network_id=network_id)
    return render(
        request,
        "routing/network_detail.html",
        {"network": network, "can_activate": is_system_admin(request.user) and not network.active},
    )


def network_geojson(request: AuthedRequest, network_id: int) -> JsonResponse:
    network = selectors.network_get(user=request.user, network_id=network_id)
    return JsonResponse(selectors.network_geojson(network=network))


@require_POST
def network_activate(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = selectors.network_get(user=request.user, network_id=network_id)
    try:
        services.network_activate(by=request.user, network=network)
    except YingjiError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Routing now uses the road network “%(name)s”.") % {"name": network.name})
    return redirect("routing:network-detail", network_id=network.pk)
