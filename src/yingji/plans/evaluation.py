"""The drill evaluation form: checklist items of AQ/T 9009-2015 annex A-2 (演练实施), each marked yes or no with a
reason. The standard gives no numeric score; the score of a drill is computed from the platform's logs instead
(scoring.py)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    code: str
    group: str
    text: str


WARNING = "预警与信息报告"
RESPONSE = "紧急响应"
COMMAND = "指挥协调"

ITEMS: tuple[Item, ...] = (
    Item("1.1", WARNING, "根据监测监控数据、事态紧急程度和发展势态或有关部门提供的预警信息进行预警"),
    Item("1.2", WARNING, "有明确的预警条件、方式和方法"),
    Item("1.3", WARNING, "对有关部门或现场人员提供的信息及时发布预警"),
    Item("1.4", WARNING, "预警在演练中有效"),
    Item("1.5", WARNING, "内部信息通报顺畅，报告对象正确"),
    Item("1.6", WARNING, "信息报告程序符合预案规定"),
    Item("1.7", WARNING, "在规定时间内向上级主管部门和地方人民政府报告事故信息，并持续更新"),
    Item("1.8", WARNING, "迅速向外部机构和周边居民通报"),
    Item("2.1", RESPONSE, "按照预案迅速判定事故严重程度和等级"),
    Item("2.2", RESPONSE, "启动相应级别的应急响应，通知、动员范围内的人员"),
    Item("2.3", RESPONSE, "应急响应由总指挥或其授权人员启动"),
    Item("2.4", RESPONSE, "响应迅速，动员有效"),
    Item("2.5", RESPONSE, "能应对突袭抽查式演练"),
    Item("4.6", COMMAND, "关键指挥岗位有替补并轮换"),
    Item("4.7", COMMAND, "现场指挥部的方案合理，调集资源充足"),
    Item("4.8", COMMAND, "现场指挥部与政府或单位指挥中心信息畅通"),
)
