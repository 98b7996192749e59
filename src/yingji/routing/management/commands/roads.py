from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yingji.core.errors import YingjiError
from yingji.core.management.commands._base import command_error
from yingji.routing.models import RoadNetwork
from yingji.routing.services import network_activate, network_import_osm


class Command(BaseCommand):
    help = (
        "Road network tools. `roads import FILE.osm.pbf [--name N] [--activate]` builds a network from the drivable "
        "roads of an OpenStreetMap extract; `roads list`; `roads activate ID` switches routing to a network."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, title="actions")
        importer = sub.add_parser("import", help="import an OpenStreetMap extract (.osm.pbf)")
        importer.add_argument("file", type=Path)
        importer.add_argument("--name", default="", help="default: the file name")
        importer.add_argument("--activate", action="store_true", help="route on the new network from now on")
        sub.add_parser("list", help="list road networks")
        activate = sub.add_parser("activate", help="route on network ID from now on")
        activate.add_argument("id", type=int)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            getattr(self, f"_{action}")(**options)
        except YingjiError as exc:
            raise command_error(exc) from None

    def _import(self, *, file: Path, name: str, activate: bool, **options: Any) -> None:
        network = network_import_osm(by=None, path=file.expanduser(), name=name, activate=activate)
        state = "active" if network.active else f"not active (`yingji roads activate {network.pk}`)"
        self.stdout.write(
            f"road network {network.pk} {network.name!r}: {network.node_count} nodes, "
            f"{network.edge_count} edges; {state}"
        )

    def _list(self, **options: Any) -> None:
        for network in RoadNetwork.objects.all():
            flags = [f for f, on in (("active", network.active), ("illustrative", network.illustrative)) if on]
            self.stdout.write(
                f"{network.pk:>4}  {network.name:<30} {network.node_count:>8} nodes {network.edge_count:>8} edges  "
                f"{network.imported_at:%Y-%m-%d %H:%M}  {' '.join(flags)}"
            )

    def _activate(self, *, id: int, **options: Any) -> None:
        network = RoadNetwork.objects.filter(pk=id).first()
        if network is None:
            raise CommandError(f"no road network {id}", returncode=2)
        network_activate(by=None, network=network)
        self.stdout.write(f"road network {network.pk} {network.name!r} is active")
