"""Importing forest areas from ESRI Shapefiles written with pyshp: zipped (page, API, service) and loose (.shp on the
command line); coordinate systems checked from the .prj; attribute encodings from the .cpg or guessed; all or nothing
with each bad record named."""

import io
import zipfile
from pathlib import Path

import pytest
import shapefile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from yingji.core.errors import NotAllowed, ValidationFailed
from yingji.forest import services
from yingji.forest.models import ForestArea
from yingji.forest.tests.test_pages import client_for

WGS84 = (
    'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],'
    'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]'
)
CGCS2000 = (
    'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",'
    'SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]'
)
BEIJING54 = (
    'GEOGCS["GCS_Beijing_1954",DATUM["D_Beijing_1954",SPHEROID["Krasovsky_1940",6378245.0,298.3]],'
    'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]'
)
GAUSS_KRUGER = (
    'PROJCS["CGCS2000_3_Degree_GK_CM_114E",' + CGCS2000 + ',PROJECTION["Gauss_Kruger"],'
    'PARAMETER["False_Easting",500000.0],PARAMETER["Central_Meridian",114.0],UNIT["Meter",1.0]]'
)


def ring(west: float, south: float, east: float, north: float) -> list[list[float]]:
    """A rectangle's outer ring, clockwise as the shapefile format wants outer rings."""
    return [[west, south], [west, north], [east, north], [east, south], [west, south]]


TUANCHENG = ring(115.015, 30.225, 115.035, 30.240)
HUANGJING = ring(115.055, 30.210, 115.075, 30.222)
BOWTIE = [[115.02, 30.23], [115.03, 30.24], [115.03, 30.23], [115.02, 30.24], [115.02, 30.23]]


def write_layer(
    folder: Path,
    records: list[tuple[list[list[list[float]]] | None, str, str]],
    *,
    prj: str | None = WGS84,
    encoding: str = "utf-8",
    cpg: str | None = "UTF-8",
    shape_type: int = shapefile.POLYGON,
) -> Path:
    """Write a polygon layer (rings, NAME, CODE per record; None rings for a null shape); returns the .shp path."""
    base = folder / "forest_areas"
    with shapefile.Writer(str(base), shapeType=shape_type, encoding=encoding) as writer:
        writer.field("NAME", "C", 60)
        writer.field("CODE", "C", 20)
        for rings, name, code in records:
            if rings is None:
                writer.null()
            elif shape_type == shapefile.POINT:
                writer.point(*rings[0][0])
            else:
                writer.poly(rings)
            writer.record(name, code)
    if prj is not None:
        base.with_suffix(".prj").write_text(prj)
    if cpg is not None:
        base.with_suffix(".cpg").write_text(cpg)
    return base.with_suffix(".shp")


def zipped(shp: Path, *, leave_out: tuple[str, ...] = (), folder: str = "林区/") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in shp.parent.glob(shp.stem + ".*"):
            if part.suffix not in leave_out:
                archive.write(part, folder + part.name)
    return buffer.getvalue()


def test_zipped_shapefile_creates_every_area_with_its_name_and_code(cast, tmp_path):
    shp = write_layer(tmp_path, [([TUANCHENG], "团城山林区", "SHP-1"), ([HUANGJING], "黄荆山林区", "")])
    areas = services.forest_areas_import_shapefile(by=cast.duty, org=cast.street_a, data=zipped(shp), code_prefix="T")
    assert [(a.code, a.name) for a in areas] == [("SHP-1", "团城山林区"), ("T001", "黄荆山林区")]
    first = ForestArea.objects.get(code="SHP-1")
    assert first.org == cast.street_a and first.geometry["type"] == "Polygon"
    assert sorted(first.geometry["coordinates"][0]) == sorted(TUANCHENG)
    # The same rectangle drawn as GeoJSON measures 300-340 ha (test_api_areas).
    assert 300 < first.area_ha < 340 and 30.225 < first.lat < 30.24


def test_gbk_attributes_without_a_cpg_are_read(cast, tmp_path):
    shp = write_layer(tmp_path, [([TUANCHENG], "团城山林区", "GBK-1")], encoding="gbk", cpg=None)
    (area,) = services.forest_areas_import_shapefile(by=cast.duty, org=cast.street_a, data=zipped(shp))
    assert area.name == "团城山林区"


def test_cpg_code_page_936_means_gbk(cast, tmp_path):
    shp = write_layer(tmp_path, [([TUANCHENG], "团城山林区", "GBK-2")], encoding="gbk", cpg="936")
    (area,) = services.forest_areas_import_shapefile(by=cast.duty, org=cast.street_a, data=zipped(shp))
    assert area.name == "团城山林区"


def test_cgcs2000_longitude_latitude_is_taken_as_wgs84(cast, tmp_path):
    shp = write_layer(tmp_path, [([TUANCHENG], "团城山林区", "C-1")], prj=CGCS2000)
    assert len(services.forest_areas_import_shapefile(by=cast.duty, org=cast.street_a, data=zipped(shp))) == 1


@pytest.mark.parametrize(
    ("prj", "words"),
    [(GAUSS_KRUGER, "CGCS2000_3_Degree_GK_CM_114E"), (BEIJING54, "D_Beijing_1954"), ("LOCAL_CS[x]", "WKT")],
)
def test_other_coordinate_systems_are_refused_by_name(cast, tmp_path, prj, words):
    shp = write_layer(tmp_path, [([TUANCHENG], "团城山林区", "P-1")], prj=prj)
    with pytest.raises(ValidationFailed) as refused:
        services.forest_areas_import_shapefile(by=cast.duty, org=cast.street_a, data=zipped(shp))
    assert list(refused.value.errors) == ["file"] and words in refused.value.errors["file"][0]
    assert not ForestArea.objects.exists()


def test_projected_metres_without_a_prj_fall_outside_the_district(cast, tmp_path):
    metres = ring(545_000, 3_345_000, 547_000, 3_347_000)
    shp = write_layer(tmp_path, [([metres], "米制坐标", "M-1")], prj=None)
    with pytest.raises(ValidationFailed) as refused:
        services.forest_areas_import_shapefile(by=cast.duty, org=cast.street_a, data=zipped(shp))
    assert "WGS84" in refused.value.errors["records[1].geometry"][0]


def test_one_bad_record_refuses_the_file_naming_each_record(cast, tmp_path):
    records = [([TUANCHENG], "团城山林区", "OK-1"), ([BOWTIE], "自相交", "BAD-2"), (None, "空", "BAD-3")]
    records.append(([HUANGJING], "", "BAD-4"))
    shp = write_layer(tmp_path, records)
    with pytest.raises(ValidationFailed) as refused:
        services.forest_areas_import_shapefile(by=cast.duty, org=cast.street_a, data=zipped(shp))
    errors = refused.value.errors
    assert sorted(errors) == ["records[2].geometry", "records[3].geometry", "records[4].name"]
    assert "Self-intersection" in errors["records[2].geometry"][0]  # shapely names the place, in any language
    assert not ForestArea.objects.exists()


@pytest.mark.parametrize(("leave_out", "words"), [((".dbf",), ".dbf"), ((".shx",), ".shx"), ((".shp",), ".shp")])
def test_a_missing_part_is_named(cast, tmp_path, leave_out, words):
    shp = write_layer(tmp_path, [([TUANCHENG], "团城山林区", "X-1")])
    with pytest.raises(ValidationFailed) as refused:
        services.forest_areas_import_shapefile(by=cast.duty, org=cast.street_a, data=zipped(shp, leave_out=leave_out))
    assert words in refused.value.errors["file"][0]


def test_point_layers_and_damaged_files_are_refused(cast, tmp_path):
    points = write_layer(tmp_path, [([[[115.02, 30.23]]], "瞭望塔", "PT-1")], shape_type=shapefile.POINT)
    with pytest.raises(ValidationFailed) as refused:
        services.forest_areas_import_shapefile(by=cast.duty, org=cast.street_a, data=zipped(points))
    assert "POINT" in refused.value.errors["file"][0]
    with pytest.raises(ValidationFailed) as refused:
        services.forest_areas_import_shapefile(by=cast.duty, org=cast.street_a, data=b"PK\x03\x04 not really")
    assert "ZIP" in refused.value.errors["file"][0]
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as archive:
        for suffix in (".shp", ".shx", ".dbf"):
            archive.writestr("a" + suffix, b"\x00" * 10)
    with pytest.raises(ValidationFailed) as refused:
        services.forest_areas_import_shapefile(by=cast.duty, org=cast.street_a, data=damaged.getvalue())
    # The message names the three files, in any language.
    assert all(part in refused.value.errors["file"][0] for part in (".shp", ".shx", ".dbf"))


def test_enterprise_manager_may_not_import(cast, tmp_path):
    shp = write_layer(tmp_path, [([TUANCHENG], "团城山林区", "E-1")])
    with pytest.raises(NotAllowed):
        services.forest_areas_import_shapefile(by=cast.enterprise_manager, org=cast.street_a, data=zipped(shp))


def test_page_upload_of_a_zipped_shapefile(cast, tmp_path):
    shp = write_layer(tmp_path, [([TUANCHENG], "团城山林区", "PG-1")])
    street = client_for(cast.street_officer)
    upload = SimpleUploadedFile("areas.zip", zipped(shp), content_type="application/zip")
    response = street.post("/forest/areas/import/", {"org": cast.street_a.pk, "code_prefix": "FA", "file": upload})
    assert response.status_code == 302
    assert ForestArea.objects.get().code == "PG-1"


def test_page_lists_every_refused_record(cast, tmp_path):
    shp = write_layer(tmp_path, [([BOWTIE], "自相交", "PG-2"), ([HUANGJING], "", "PG-3")])
    street = client_for(cast.street_officer)
    upload = SimpleUploadedFile("areas.zip", zipped(shp), content_type="application/zip")
    response = street.post("/forest/areas/import/", {"org": cast.street_a.pk, "code_prefix": "FA", "file": upload})
    text = response.content.decode()
    assert response.status_code == 200 and "records[1].geometry" in text and "records[2].name" in text
    assert not ForestArea.objects.exists()


def test_api_upload_answers_201_and_400_naming_the_record(cast, api, bearer, tmp_path):
    good = write_layer(tmp_path, [([TUANCHENG], "团城山林区", "API-1")])
    response = api.post(
        "/api/v1/forest-areas/import-file",
        {"org": cast.street_a.pk, "file": SimpleUploadedFile("a.zip", zipped(good))},
        headers=bearer(cast.street_officer),
    )
    assert response.status_code == 201, response.json()
    assert [a["code"] for a in response.json()] == ["API-1"]
    bad_folder = tmp_path / "bad"
    bad_folder.mkdir()
    bad = write_layer(bad_folder, [([BOWTIE], "自相交", "API-2")])
    response = api.post(
        "/api/v1/forest-areas/import-file",
        {"org": cast.street_a.pk, "file": SimpleUploadedFile("b.zip", zipped(bad))},
        headers=bearer(cast.street_officer),
    )
    assert response.status_code == 400 and list(response.json()["errors"]) == ["records[1].geometry"]


def test_cli_imports_a_loose_shp_and_a_zip(cast, tmp_path, capsys):
    shp = write_layer(tmp_path, [([TUANCHENG], "团城山林区", "CLI-1")])
    call_command("forest", "import-areas", str(shp), "--org", "T-A")
    assert "1 forest areas imported" in capsys.readouterr().out
    other = tmp_path / "zip"
    other.mkdir()
    archive = other / "areas.zip"
    archive.write_bytes(zipped(write_layer(other, [([HUANGJING], "黄荆山林区", "CLI-2")])))
    call_command("forest", "import-areas", str(archive), "--org", str(cast.street_b.pk))
    assert ForestArea.objects.get(code="CLI-2").org == cast.street_b


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["missing.zip", "--org", "T-A"], "no such file"),
        (["areas.zip", "--org", "NOPE"], "no unit"),
        (["areas.txt", "--org", "T-A"], ".zip"),
        (["bowtie.zip", "--org", "T-A"], "records[1].geometry"),
    ],
)
def test_cli_bad_input_exits_2_naming_the_problem(cast, tmp_path, monkeypatch, args, words):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "areas.zip").write_bytes(zipped(write_layer(tmp_path, [([TUANCHENG], "团城山林区", "C-9")])))
    (tmp_path / "areas.txt").write_text("x")
    bowtie = tmp_path / "bowtie"
    bowtie.mkdir()
    (tmp_path / "bowtie.zip").write_bytes(zipped(write_layer(bowtie, [([BOWTIE], "自相交", "C-8")])))
    with pytest.raises(CommandError) as failed:
        call_command("forest", "import-areas", *args)
    assert failed.value.returncode == 2 and words in str(failed.value)
    assert not ForestArea.objects.exists()
