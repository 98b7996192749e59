"""Excel in and out of enterprise profiles, with the resource registries' sheet machinery (resources.excel) and the
kit's download and upload helpers (core.registry), for the API and the pages alike."""

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse

from yingji.core.audit import audit_export
from yingji.core.models import User
from yingji.core.registry import read_upload, xlsx_response
from yingji.core.xlsx import write_xlsx
from yingji.resources.excel import Column, ImportReport, Sheet, export_xlsx, import_xlsx
from yingji.resources.selectors import org_lookup
from yingji.risk import selectors, services
from yingji.risk.models import IndustrySection, RiskFlag, Scale


def _update(*, by: User, obj: Any, code: str, parent: Any, **values: Any) -> Any:
    # The code identifies the row and the street is kept where it is: moving an enterprise is an org-tree change.
    return services.enterprise_update(by=by, profile=obj, **values)


ENTERPRISES = Sheet(
    slug="enterprises",
    title="企业档案",
    columns=[
        Column("编码", "code", required=True, get=lambda p: p.org.code),
        Column("名称", "name", required=True, get=lambda p: p.org.name),
        Column("所属街道或社区", "parent", "org", required=True, get=lambda p: p.org.parent),
        Column("统一社会信用代码", "uscc"),
        Column("行业门类", "industry_section", "choice", choices=IndustrySection),
        Column("行业大类代码", "industry_division"),
        Column("规模", "scale", "choice", required=True, choices=Scale),
        Column("地址", "address", get=lambda p: p.org.address),
        Column("纬度", "lat", "float", get=lambda p: p.org.lat),
        Column("经度", "lon", "float", get=lambda p: p.org.lon),
        Column("法定代表人", "legal_representative"),
        Column("安全负责人", "safety_manager"),
        Column("安全负责人电话", "safety_phone"),
        Column("从业人数", "employees", "int"),
        Column("危险化学品", "hazardous_chemicals"),
        Column("高危企业", "high_risk", "bool"),
        Column("高危特征", "risk_flags", "choices", choices=RiskFlag),
        Column("应急组织", "has_emergency_org", "bool"),
        Column("专职应急人员数", "emergency_staff", "int"),
        Column("应急预案", "has_plan", "bool"),
        Column("年度演练", "has_drills", "bool"),
        Column("应急物资", "has_materials", "bool"),
    ],
    rows=lambda user: selectors.enterprise_list(user=user),
    find=lambda user, code: selectors.enterprise_by_code(user=user, code=code) if code else None,
    create=services.enterprise_create,
    update=_update,
    lookup_org=lambda user, value: org_lookup(user=user, value=value),
)


def enterprises_download(user: User) -> HttpResponse:
    """The enterprise profiles the user may see as an .xlsx download (the import's columns); the export is audited."""
    response = xlsx_response(export_xlsx(ENTERPRISES, user=user), slug=ENTERPRISES.slug, title=ENTERPRISES.title)
    audit_export(actor=user, what="risk.enterprises", filename=f"{ENTERPRISES.title}.xlsx")
    return response


def enterprises_template() -> HttpResponse:
    """An empty sheet with the import's headers, to fill in."""
    header = [column.header for column in ENTERPRISES.columns]
    data = write_xlsx(title=ENTERPRISES.title, header=header, rows=[])
    return xlsx_response(data, slug=f"{ENTERPRISES.slug}-template", title=f"{ENTERPRISES.title}模板")


def enterprises_upload(*, by: User, file: UploadedFile) -> ImportReport:
    """Create or update profiles from an uploaded .xlsx (by unit code), all rows or none; a file over 10 MB or any
    bad row is a ValidationFailed on `file` with one "第N行 字段: 原因" message per problem."""
    # read_upload asks ninja's UploadedFile but uses only .size and .read(), which every Django upload has.
    return import_xlsx(ENTERPRISES, user=by, data=read_upload(file))  # type: ignore[arg-type]
