"""Inspection checklists by industry (检查表): the common items every enterprise is checked against, and the items
of its industry. Data, in Chinese as inspectors use them; a deployment edits this table."""

from yingji.core.models import Industry

COMMON = [
    "安全生产责任制及管理制度健全",
    "主要负责人、安全管理人员持证上岗",
    "从业人员安全教育培训记录齐全",
    "安全出口、疏散通道畅通，应急照明和疏散指示完好",
    "消防设施器材配置齐全、在有效期内",
    "应急预案已编制、备案并按期演练",
    "隐患排查治理台账完整",
]

BY_INDUSTRY: dict[str, list[str]] = {
    Industry.HAZARDOUS_CHEMICALS: [
        "重大危险源已辨识、评估、登记建档并备案",
        "储罐区防火堤完好，可燃有毒气体检测报警装置完好并定期检定",
        "危险化学品储存符合禁忌物料配置要求",
        "特殊作业（动火、受限空间等）审批手续齐全",
        "重点监管的危险化工工艺自动化控制系统正常投用",
    ],
    Industry.GAS: [
        "燃气管道、阀门、储罐无泄漏，定期检测",
        "可燃气体报警装置与紧急切断装置联锁有效",
        "充装人员持证上岗，充装记录完整",
    ],
    Industry.METALLURGY: [
        "熔融金属吊运设备符合冶金起重要求",
        "煤气区域设置固定式报警仪，作业携带便携式检测仪",
        "高温熔融金属区域无积水",
    ],
    Industry.BUILDING_MATERIALS: ["粉尘防爆措施落实，除尘系统完好", "有限空间作业审批与监护到位"],
    Industry.MACHINERY: ["机械转动部位防护罩完好", "特种设备定期检验合格", "粉尘涉爆场所除尘器正常运行"],
    Industry.LOGISTICS: ["仓库物品分类、分区储存，不超高堆放", "叉车等场内车辆定期检验、持证驾驶"],
    Industry.PORT: ["码头装卸设备定期检验", "危险货物作业审批手续齐全"],
    Industry.CONSTRUCTION: ["高处作业防护到位", "起重机械、脚手架验收合格", "临时用电符合规范"],
    Industry.RETAIL: ["人员密集场所疏散通道畅通", "电气线路无私拉乱接"],
    Industry.HOSPITALITY: ["厨房燃气报警装置完好", "油烟管道定期清洗"],
}


def checklist_for(industry: str) -> list[str]:
    """The checklist of an industry: the common items, then the industry's own."""
    return [*COMMON, *BY_INDUSTRY.get(industry, [])]
