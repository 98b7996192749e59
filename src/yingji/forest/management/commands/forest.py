"""`yingji forest import-areas FILE --org UNIT`: import forest areas from a zipped shapefile, a shapefile's .shp
(with its .shx and .dbf beside it) or a GeoJSON file, all or nothing. Bad input exits 2 naming the problem."""

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yingji.core.errors import YingjiError
from yingji.core.management.commands._base import command_error
from yingji.core.models import OrgUnit
from yingji.forest.services import MAX_IMPORT_BYTES, forest_areas_import, forest_areas_import_shapefile


class Command(BaseCommand):
    help = (
        "Forest fire prevention tools. `forest import-areas FILE --org UNIT [--code-prefix P]` imports forest areas "
        "from a zipped shapefile (.zip), a shapefile's .shp (its .shx, .dbf, .prj, .cpg beside it) or GeoJSON, "
        "in WGS 84 longitude/latitude; UNIT is the responsible unit's code or id."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, title="actions")
        importer = sub.add_parser("import-areas", help="import forest areas from a shapefile or GeoJSON")
        importer.add_argument("file", type=Path)
        importer.add_argument("--org", required=True, help="the responsible unit (street, community): code or id")
        importer.add_argument("--code-prefix", default="FA", help="codes for areas without one: PREFIX001, …")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            getattr(self, "_" + action.replace("-", "_"))(**options)
        except YingjiError as exc:
            raise command_error(exc) from None

    def _import_areas(self, *, file: Path, org: str, code_prefix: str, **options: Any) -> None:
        path = file.expanduser()
        suffix = path.suffix.lower()
        if not path.is_file():
            raise CommandError(f"{file}: no such file", returncode=2)
        unit = _unit(org)
        if suffix == ".shp":
            siblings = (".shp", ".shx", ".dbf", ".prj", ".cpg")
            parts = {s: _read(path.with_suffix(s)) for s in siblings if path.with_suffix(s).is_file()}
            areas = forest_areas_import_shapefile(by=None, org=unit, parts=parts, code_prefix=code_prefix)
        elif suffix == ".zip":
            areas = forest_areas_import_shapefile(by=None, org=unit, data=_read(path), code_prefix=code_prefix)
        elif suffix in (".geojson", ".json"):
            areas = forest_areas_import(by=None, org=unit, document=_read(path), code_prefix=code_prefix)
        else:
            raise CommandError(f"{file}: give a .zip (zipped shapefile), .shp, .geojson or .json file", returncode=2)
        for area in areas:
            self.stdout.write(f"{area.code}  {area.name}  {area.area_ha:.2f} ha")
        self.stdout.write(f"{len(areas)} forest areas imported for {unit.name}")


def _unit(value: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=value.strip()).first()
    if unit is None and value.strip().isdigit() and len(value.strip()) < 19:
        unit = OrgUnit.objects.filter(pk=int(value)).first()
    if unit is None:
        raise CommandError(f"no unit with code or id {value!r}", returncode=2)
    return unit


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise CommandError(f"{path}: larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB", returncode=2)
        return path.read_bytes()
    except OSError as exc:
        raise CommandError(f"{path}: cannot be read ({exc.strerror or exc})", returncode=2) from None
