"""Pages of forest fire prevention: the overview map, an area's page, drawing and importing areas, and the
phone page a ranger records a patrol on. Thin: selectors and services do the work."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.core.access import get_scoped_or_404, scoped
from yingji.core.errors import ValidationFailed
from yingji.core.models import OrgKind, OrgUnit
from yingji.core.requests import AuthedRequest
from yingji.core.web import run_service
from yingji.forest import selectors, services
from yingji.forest.danger import HIGH_DANGER_LEVEL, PATROLS_BY_LEVEL, patrols_required
from yingji.forest.forms import (
    AreaForm,
    ChainForm,
    EndForm,
    FindingForm,
    FireForm,
    ImportForm,
    PointForm,
    RouteForm,
    StartForm,
)
from yingji.forest.maplayers import LEVEL_COLOURS, NO_DATA_COLOUR
from yingji.forest.models import CHAIN_ORDER, Finding, ForestArea, Patrol


def _units(request: AuthedRequest) -> QuerySet[OrgUnit]:
    kinds = [OrgKind.DISTRICT, OrgKind.STREET, OrgKind.COMMUNITY]
    return scoped(OrgUnit.objects.filter(kind__in=kinds, active=True), request.user, org_field="").order_by("path")


def _legend() -> list[tuple[str, str]]:
    names = {
        1: _("Level 1 low"),
        2: _("Level 2 fairly low"),
        3: _("Level 3 fairly high"),
        4: _("Level 4 high"),
        5: _("Level 5 extreme"),
    }
    return [(LEVEL_COLOURS[level], names[level]) for level in range(1, 6)] + [(NO_DATA_COLOUR, _("No station reading"))]


def index(request: AuthedRequest) -> HttpResponse:
    """All areas in scope on the map, coloured by today's fire danger, with the patrols asked and done."""
    day = selectors.danger_day()
    return render(
        request,
        "forest/index.html",
        {
            "rows": selectors.area_overview(user=request.user, day=day),
            "day": day,
            "legend": _legend(),
            "high": HIGH_DANGER_LEVEL,
            "patrols_by_level": sorted(PATROLS_BY_LEVEL.items()),
            "notices": selectors.notice_list(user=request.user)[:10],
            "missed": selectors.missed_list(user=request.user)[:10],
            "fires": selectors.fire_list(user=request.user)[:10],
            "may_add": request.user.has_perm("forest.add_forestarea"),
            "may_patrol": request.user.has_perm("forest.add_patrol"),
        },
    )


def area_create(request: AuthedRequest) -> HttpResponse:
    if not request.user.has_perm("forest.add_forestarea"):
        raise PermissionDenied
    form = AreaForm(request.POST or None, units=_units(request))
    if request.method == "POST" and form.is_valid():
        outcome = run_service(
            request,
            form,
            lambda: services.forest_area_create(by=request.user, **form.cleaned_data),
            success=_("Forest area registered."),
        )
        if outcome.value is not None:
            return redirect("forest:area", outcome.value.pk)
    return render(request, "forest/area_form.html", {"form": form})


def area_import(request: AuthedRequest) -> HttpResponse:
    if not request.user.has_perm("forest.add_forestarea"):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, units=_units(request))
    errors: dict[str, list[str]] = {}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > services.MAX_IMPORT_BYTES:
            form.add_error("file", _("The file is larger than 20 MB."))
        else:
            data = upload.read()

            def attempt() -> list[ForestArea]:
                try:
                    return services.forest_areas_import_file(
                        by=request.user,
                        org=form.cleaned_data["org"],
                        data=data,
                        code_prefix=form.cleaned_data["code_prefix"],
                    )
                except ValidationFailed as exc:
                    # Every refused record is listed, not only the first the form's message names.
                    errors.update((k, v) for k, v in exc.errors.items() if k not in form.fields)
                    raise

            outcome = run_service(request, form, attempt)
            if outcome:
                messages.success(request, _("%(n)d forest areas imported.") % {"n": len(outcome.value or [])})
                return redirect("forest:index")
    return render(request, "forest/area_import.html", {"form": form, "errors": list(errors.items())})


def route_create(request: AuthedRequest, area_id: int) -> HttpResponse:
    """Draw a patrol route through an area."""
    area = selectors.area_get(user=request.user, area_id=area_id)
    if not request.user.has_perm("forest.add_patrolroute"):
        raise PermissionDenied
    form = RouteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = run_service(
            request,
            form,
            lambda: services.patrol_route_create(by=request.user, area=area, **form.cleaned_data),
            success=_("Patrol route added."),
        )
        if outcome:
            return redirect("forest:area", area.pk)
    context = {
        "title": _("New patrol route"),
        "form": form,
        "area": area,
        "mode": "line",
        "field": "id_path",
        "hint": _("Click the map along the route, from its start to its end."),
        "context": {"type": "Feature", "geometry": area.geometry, "properties": {"name": area.name}},
    }
    return render(request, "forest/draw_form.html", context)


def fire_report(request: AuthedRequest) -> HttpResponse:
    """Report a fire seen from a lookout or phoned in (rangers on patrol report from the patrol page)."""
    if not request.user.has_perm("forest.add_firepoint"):
        raise PermissionDenied
    form = FireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = run_service(
            request,
            form,
            lambda: services.fire_point_report(by=request.user, **form.cleaned_data),
            success=_("Fire point reported; the responsible chain is told."),
        )
        if outcome:
            return redirect("forest:index")
    context = {
        "title": _("Report a fire point"),
        "form": form,
        "mode": "point",
        "hint": _("Click the map where the fire is, or use your location."),
    }
    return render(request, "forest/draw_form.html", context)


def area_detail(request: AuthedRequest, area_id: int) -> HttpResponse:
    area = selectors.area_get(user=request.user, area_id=area_id)
    chain_form = ChainForm(request.POST or None)
    may_edit = request.user.has_perm("forest.add_chainmember")
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if chain_form.is_valid():
            outcome = run_service(
                request,
                chain_form,
                lambda: services.chain_member_add(by=request.user, area=area, **chain_form.cleaned_data),
                success=_("Added to the responsible chain."),
            )
            if outcome:
                return redirect("forest:area", area.pk)
    day = selectors.danger_day()
    danger = selectors.area_dangers(areas=[area], day=day)[area.pk]
    patrols = selectors.patrol_list(user=request.user, area=area.pk)[:20]
    tracks = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [[p.lon, p.lat] for p in patrol.points.all()]},
                "properties": {"started": f"{timezone.localtime(patrol.started_at):%m-%d %H:%M}"},
            }
            for patrol in Patrol.objects.filter(pk__in=[p.pk for p in patrols[:5]]).prefetch_related("points")
            if patrol.points_count > 1
        ],
    }
    routes = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": r.path, "properties": {"name": r.name}}
            for r in area.routes.filter(active=True)
        ],
    }
    return render(
        request,
        "forest/area_detail.html",
        {
            "area": area,
            "chain": sorted(
                (m for m in area.chain.all() if m.active), key=lambda m: (CHAIN_ORDER.get(m.level, 99), m.name)
            ),
            "chain_form": chain_form,
            "may_edit": may_edit,
            "day": day,
            "danger": danger,
            "colour": LEVEL_COLOURS.get(danger.level, NO_DATA_COLOUR) if danger else NO_DATA_COLOUR,
            "patrols_required": patrols_required(danger.level if danger else None, area.patrols_per_day),
            "patrols_today": selectors.patrols_done(day=timezone.localdate(), area_ids=[area.pk]).get(area.pk, 0),
            "patrols": patrols,
            "notices": selectors.notice_list(user=request.user, area=area.pk)[:10],
            "missed": selectors.missed_list(user=request.user, area=area.pk)[:10],
            "nearby": selectors.nearby_resources(user=request.user, area=area),
            "feature": {"type": "Feature", "geometry": area.geometry, "properties": {"name": area.name}},
            "tracks": tracks,
            "routes": routes,
            "legend": _legend(),
        },
    )


def patrol(request: AuthedRequest) -> HttpResponse:
    """The ranger's phone page: start a patrol, record positions and findings (with a photo), end it."""
    if not request.user.has_perm("forest.add_patrol"):
        raise PermissionDenied
    active = selectors.patrol_active_for(user=request.user)
    areas = selectors.area_list(user=request.user)
    start_form = StartForm(areas=areas, initial={"area": request.GET.get("area")})
    point_form, finding_form, end_form, fire_form = PointForm(), FindingForm(), EndForm(), FireForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "start" and active is None:
            start_form = StartForm(request.POST, areas=areas)
            if start_form.is_valid() and run_service(
                request,
                start_form,
                lambda: services.patrol_start(by=request.user, **start_form.cleaned_data),
                success=_("Patrol started."),
            ):
                return redirect("forest:patrol")
        elif active is not None and action == "point":
            point_form = PointForm(request.POST)
            if point_form.is_valid() and run_service(
                request,
                point_form,
                lambda: services.patrol_add_points(by=request.user, patrol=active, points=[point_form.cleaned_data]),
                success=_("Position recorded."),
            ):
                return redirect("forest:patrol")
        elif active is not None and action == "finding":
            finding_form = FindingForm(request.POST, request.FILES)
            if finding_form.is_valid():
                data = dict(finding_form.cleaned_data)
                photo = data.pop("photo")
                if photo is not None and photo.size > services.PHOTO_MAX_BYTES:
                    finding_form.add_error("photo", _("The photo is larger than 10 MB."))
                elif run_service(
                    request,
                    finding_form,
                    lambda: services.finding_add(
                        by=request.user, patrol=active, photo=photo.read() if photo else None, **data
                    ),
                    success=_("Finding recorded."),
                ):
                    return redirect("forest:patrol")
        elif active is not None and action == "fire":
            fire_form = FireForm(request.POST)
            if fire_form.is_valid() and run_service(
                request,
                fire_form,
                lambda: services.fire_point_report(by=request.user, patrol=active, **fire_form.cleaned_data),
                success=_("Fire point reported; the responsible chain is told."),
            ):
                return redirect("forest:patrol")
        elif active is not None and action == "end":
            end_form = EndForm(request.POST)
            if end_form.is_valid() and run_service(
                request,
                end_form,
                lambda: services.patrol_end(by=request.user, patrol=active, note=end_form.cleaned_data["note"] or None),
                success=_("Patrol ended."),
            ):
                return redirect("forest:patrol")
    recent = selectors.patrol_list(user=request.user, ranger=request.user.pk)[:5]
    return render(
        request,
        "forest/patrol.html",
        {
            "active": active,
            "points": list(active.points.order_by("-at")[:5]) if active else [],
            "findings": list(active.findings.all()) if active else [],
            "start_form": start_form,
            "point_form": point_form,
            "finding_form": finding_form,
            "end_form": end_form,
            "fire_form": fire_form,
            "recent": recent,
        },
    )


def finding_photo(request: AuthedRequest, finding_id: int) -> FileResponse:
    """A finding's photo, to those who may see its patrol."""
    finding = get_scoped_or_404(
        Finding.objects.select_related("patrol"), request.user, pk=finding_id, org_field="patrol__org"
    )
    if not finding.photo:
        raise Http404
    path = services.PHOTOS.file(finding.photo)
    if path is None:
        raise Http404
    response = FileResponse(path.open("rb"), content_type=finding.photo_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
