"""Excel in and out of enterprise profiles, with the resource registries' sheet machinery (resources.excel)."""

from typing import Any

from yingji.core.models import User
from yingji.resources.excel import XLSX_CONTENT_TYPE, Column, Sheet, export_xlsx, import_xlsx
from yingji.resources.selectors import org_lookup
from yingji.risk import selectors, services
from yingji.risk.models import IndustrySection, RiskFlag, Scale

MAX_IMPORT_BYTES = 10 * 1024 * 1024

__all__ = ["ENTERPRISES", "MAX_IMPORT_BYTES", "XLSX_CONTENT_TYPE", "export_xlsx", "import_xlsx"]


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
