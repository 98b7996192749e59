"""Reading forest areas from an ESRI Shapefile (ESRI Shapefile Technical Description, July 1998): a ZIP archive
holding the `.shp` (geometry), `.shx` (index) and `.dbf` (attributes) of one layer, with its `.prj` (coordinate
system, OGC WKT) and `.cpg` (attribute encoding) when present. pyshp reads the files; this module turns each
record into a GeoJSON Feature and says, in words a user can act on, why a file cannot be used.

Coordinates must be longitude/latitude on WGS 84 (EPSG:4326), as the platform stores them; CGCS2000 (China Geodetic
Coordinate System 2000) agrees with WGS 84 to centimetres and is taken as it is. A projected system
(Gauss-Krüger, UTM, Web Mercator) or another datum (Beijing 1954, Xi'an 1980) is refused with its name: export the
layer in WGS 84 first. A file without a `.prj` is read as WGS 84; the polygon checks then refuse metres or swapped
axes, which fall outside the district. GCJ-02 (the offset of web maps in China) cannot be recognised from a file:
a layer traced on such a map must be converted to WGS 84 before import.
"""

import codecs
import io
import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import shapefile
from django.utils.translation import gettext as _

# A ZIP is read into memory: these bound what one upload may unpack to.
MAX_ARCHIVE_MEMBERS = 50
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
POLYGON_SHAPES = (shapefile.POLYGON, shapefile.POLYGONZ, shapefile.POLYGONM)
REQUIRED = (".shp", ".shx", ".dbf")
# Datums read as WGS 84 (CGCS2000's ellipsoid differs from WGS 84's by 0.1 mm at the poles).
WGS84_DATUMS = ("WGS_1984", "WGS84", "WGS 84", "WORLD_GEODETIC_SYSTEM_1984", "CHINA_2000", "CGCS2000", "CGCS_2000")
# Attribute names, as .dbf files spell them (at most 10 characters, often upper case or pinyin initials).
NAME_FIELDS = ("name", "名称", "林区名称", "mc", "lqmc")
CODE_FIELDS = ("code", "编号", "编码", "林区编号", "bh", "dm")


class ShapefileError(ValueError):
    """A shapefile that cannot be used, with the file-level field (`file`) the message belongs to."""


class _Undecodable(Exception):
    """The .dbf's text is not in the encoding tried."""


@dataclass(frozen=True)
class Layer:
    """A shapefile's records as GeoJSON Features (properties `name` and `code` where found) and how it was read."""

    features: list[dict[str, Any]]
    encoding: str
    crs: str


def is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def read_zip(data: bytes) -> Layer:
    """The layer of a zipped shapefile (exactly one `.shp` with its `.shx` and `.dbf` beside it)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        raise ShapefileError(_("The file is not a ZIP archive.")) from None
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if len(members) > MAX_ARCHIVE_MEMBERS:
            raise ShapefileError(_("The archive holds more than %(n)d files.") % {"n": MAX_ARCHIVE_MEMBERS})
        if sum(info.file_size for info in members) > MAX_UNPACKED_BYTES:
            raise ShapefileError(
                _("The archive unpacks to more than %(mb)d MB.") % {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)}
            )
        layers = [info for info in members if info.filename.lower().endswith(".shp")]
        if not layers:
            raise ShapefileError(_("The archive holds no .shp file."))
        if len(layers) > 1:
            names = ", ".join(PurePosixPath(info.filename).name for info in layers[:5])
            raise ShapefileError(
                _("The archive holds several layers (%(names)s); put one in each file.") % {"names": names}
            )
        stem = layers[0].filename[:-4].lower()
        parts: dict[str, bytes] = {}
        for info in members:
            suffix = PurePosixPath(info.filename).suffix.lower()
            if info.filename[: -len(suffix) or None].lower() == stem and suffix in (*REQUIRED, ".prj", ".cpg"):
                try:
                    parts[suffix] = archive.read(info)
                except (zipfile.BadZipFile, OSError, RuntimeError, EOFError):
                    raise ShapefileError(_("The archive is damaged.")) from None
    return read_parts(parts)


def read_parts(parts: dict[str, bytes]) -> Layer:
    """The layer of a shapefile given as its files' contents by suffix (`.shp`, `.shx`, `.dbf`, `.prj`, `.cpg`)."""
    missing = [suffix for suffix in REQUIRED if suffix not in parts]
    if missing:
        raise ShapefileError(
            _("The shapefile lacks its %(parts)s file (a shapefile is .shp, .shx and .dbf together).")
            % {"parts": ", ".join(missing)}
        )
    crs = check_prj(parts.get(".prj", b"").decode("utf-8", "replace"))
    declared = parts.get(".cpg", b"").decode("ascii", "replace").strip()
    if declared:
        try:
            encoding = codecs.lookup(_cpg_codec(declared)).name
        except LookupError:
            raise ShapefileError(_("The .cpg file names an unknown encoding: %(e)s.") % {"e": declared[:40]}) from None
        try:
            return Layer(_features(parts, encoding), encoding, crs)
        except _Undecodable:
            raise ShapefileError(
                _("The attributes cannot be read in the encoding the .cpg file names (%(e)s).") % {"e": declared[:40]}
            ) from None
    # Chinese GIS software writes GBK attributes and often no .cpg; GB 18030 reads GBK and more.
    for encoding in ("utf-8", "gb18030"):
        try:
            return Layer(_features(parts, encoding), encoding, crs)
        except _Undecodable:
            continue
    raise ShapefileError(_("The attributes are neither UTF-8 nor GBK text; add a .cpg file naming their encoding."))


def _cpg_codec(declared: str) -> str:
    """A .cpg's word as a Python codec name (ArcGIS writes code page numbers: 936 is GBK, 65001 UTF-8)."""
    numbers = {"936": "gbk", "65001": "utf-8", "1252": "cp1252", "950": "big5", "54936": "gb18030"}
    return numbers.get(declared, declared)


def check_prj(wkt: str) -> str:
    """The coordinate system a .prj declares, if it is WGS 84 (or CGCS2000) longitude/latitude, else ShapefileError.
    An empty .prj (or none) is read as WGS 84."""
    text = wkt.strip()
    if not text:
        return "WGS 84"
    name = _wkt_name(text)
    if text.upper().startswith(("PROJCS", "PROJCRS")):
        raise ShapefileError(
            _(
                "The shapefile uses a projected coordinate system (%(name)s); export it in WGS 84 longitude/latitude "
                "(EPSG:4326) first."
            )
            % {"name": name}
        )
    if not text.upper().startswith(("GEOGCS", "GEOGCRS", "GEODCRS")):
        raise ShapefileError(_("The .prj file is not a coordinate system description (OGC WKT)."))
    datum = re.search(r'DATUM\s*\[\s*"([^"]*)"', text, flags=re.IGNORECASE)
    datum_name = (datum.group(1) if datum else name).upper().replace("D_", "", 1)
    if not any(word in datum_name for word in WGS84_DATUMS):
        raise ShapefileError(
            _(
                "The shapefile's datum is %(name)s, not WGS 84; convert it to WGS 84 longitude/latitude (EPSG:4326) "
                "first."
            )
            % {"name": datum.group(1) if datum else name}
        )
    return name


def _wkt_name(text: str) -> str:
    found = re.match(r'\s*\w+\s*\[\s*"([^"]*)"', text)
    return found.group(1)[:80] if found else text[:40]


def _features(parts: dict[str, bytes], encoding: str) -> list[dict[str, Any]]:
    try:
        reader = shapefile.Reader(
            shp=io.BytesIO(parts[".shp"]),
            shx=io.BytesIO(parts[".shx"]),
            dbf=io.BytesIO(parts[".dbf"]),
            encoding=encoding,
        )
    except (shapefile.ShapefileException, struct.error, ValueError, IndexError, EOFError):
        raise ShapefileError(_("The shapefile cannot be read: its .shp, .shx or .dbf file is damaged.")) from None
    with reader:
        if reader.shapeType not in POLYGON_SHAPES:
            raise ShapefileError(
                _("The shapefile holds %(kind)s shapes; forest areas are polygons.") % {"kind": reader.shapeTypeName}
            )
        fields = [field.name for field in reader.fields[1:]]
        name_field = _pick(fields, NAME_FIELDS)
        code_field = _pick(fields, CODE_FIELDS)
        features = []
        try:
            for item in reader.iterShapeRecords():
                record = item.record.as_dict()
                properties: dict[str, Any] = {
                    "name": _text(record.get(name_field)) if name_field else "",
                    "code": _text(record.get(code_field)) if code_field else "",
                }
                geometry = None if item.shape.shapeType == shapefile.NULL else _plane(item.shape.__geo_interface__)
                features.append({"type": "Feature", "geometry": geometry, "properties": properties})
        except (shapefile.dbfFileException, UnicodeDecodeError):
            raise _Undecodable from None
        except (shapefile.ShapefileException, struct.error, ValueError, IndexError, EOFError):
            raise ShapefileError(_("The shapefile cannot be read: its .shp, .shx or .dbf file is damaged.")) from None
    if not features:
        raise ShapefileError(_("The shapefile has no records."))
    return features


def _plane(geometry: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON geometry with [lon, lat] lists only (a POLYGONZ/M shape's heights and measures dropped)."""

    def flat(value: Any) -> Any:
        if value and isinstance(value[0], int | float):
            return [value[0], value[1]]
        return [flat(item) for item in value]

    return {"type": geometry["type"], "coordinates": flat(geometry["coordinates"])}


def _pick(fields: list[str], wanted: tuple[str, ...]) -> str | None:
    lowered = {name.lower(): name for name in fields}
    return next((lowered[w] for w in wanted if w in lowered), None)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
