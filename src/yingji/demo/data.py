"""Fixed data of the demo district 黄石港区 (Huangshigang, Huangshi, Hubei).

The district, its five streets and their codes are real (National Bureau of Statistics division codes,
2022 edition). The bureau's departments follow the usual layout of a district emergency-management
bureau. Community names, enterprise names and addresses are assembled from the name parts below and
are illustrative: no public list of Huangshigang's communities or enterprises exists.
"""

from dataclasses import dataclass

from yingji.core.models import Industry

DISTRICT_CODE = "420202"
DISTRICT_NAME = "黄石港区"
ADDRESS_PREFIX = "湖北省黄石市黄石港区"
PHONE_AREA_CODE = "0714"

BUREAU_CODE = "420202YJ"
BUREAU_NAME = "黄石港区应急管理局"

# (code, name); the codes are ours, the names the usual sections of a district bureau.
DEPARTMENTS: list[tuple[str, str]] = [
    ("420202YJ01", "办公室"),
    ("420202YJ02", "应急指挥中心（值班室）"),
    ("420202YJ03", "风险监测和综合减灾科"),
    ("420202YJ04", "安全生产基础科"),
    ("420202YJ05", "救援协调和预案管理科"),
    ("420202YJ06", "应急管理综合行政执法大队"),
]
DUTY_DEPARTMENT_CODE = "420202YJ02"
ENFORCEMENT_DEPARTMENT_CODE = "420202YJ06"


@dataclass(frozen=True)
class StreetData:
    code: str
    name: str
    communities: int
    # Where the street's illustrative area is centred, as fractions (x, y) of the main polygon's box;
    # None for the street made of the district's detached riverside parcels.
    anchor: tuple[float, float] | None
    riverside: bool


# The five real streets (NBS codes). Their areas are illustrative: no public boundary exists.
STREETS: list[StreetData] = [
    StreetData("420202005", "沈家营街道", 7, (0.2, 0.35), riverside=False),
    StreetData("420202006", "黄石港街道", 8, (0.7, 0.7), riverside=True),
    StreetData("420202007", "胜阳港街道", 7, (0.7, 0.3), riverside=True),
    StreetData("420202070", "花湖街道", 6, (0.35, 0.75), riverside=False),
    StreetData("420202400", "江北管理区", 4, None, riverside=True),
]
HOME_STREET_CODE = "420202006"  # 黄石港街道: the street officer's and the enterprise manager's

# Community names are one of these followed by 社区.
COMMUNITY_NAME_PARTS: list[str] = """
    磁湖 湖滨 江滨 桂花 青山 锦绣 紫阳 月亮山 天津 颐阳 交通 广场 陈家湾 王家里 红旗
    胜利 新港 光明 和平 建设 民主 文化 朝阳 太子湾 沿湖 南京 广州 杭州 延安 堤岸 码头
    新街 老街 双港 滨江 港湾 钟楼 青鱼 上马 金湖
""".split()

# Enterprise trade names (字号).
TRADE_NAMES: list[str] = """
    鑫源 华瑞 恒通 宏达 江城 楚天 荆楚 兴盛 长江 金鼎 瑞丰 东楚 鄂东 博远 天成 鸿运
    盛达 富民 永安 泰和 明珠 港城 晨光 万利 龙腾 隆昌 信达 佳和 嘉禾 开源 润丰 安泰
    众联 德顺 华新 汇通 远航 宏图 振兴 聚源
""".split()

# Name patterns per industry: {trade} takes a trade name, {road} the road of the address.
ENTERPRISE_PATTERNS: dict[str, list[str]] = {
    Industry.HAZARDOUS_CHEMICALS: [
        "黄石市{trade}化工贸易有限公司",
        "黄石{trade}化学试剂有限公司",
        "湖北{trade}危险化学品经营有限公司",
    ],
    Industry.GAS: ["中石化{road}加油站", "中石油{road}加油站", "{road}液化气站", "黄石{trade}燃气有限公司"],
    Industry.METALLURGY: [
        "黄石{trade}金属制品有限公司",
        "黄石{trade}铸造有限公司",
        "黄石{trade}模具钢材有限公司",
    ],
    Industry.BUILDING_MATERIALS: ["黄石{trade}建材有限公司", "黄石{trade}商品混凝土有限公司"],
    Industry.MACHINERY: ["黄石{trade}机械制造有限公司", "黄石{trade}锻压设备有限公司"],
    Industry.TEXTILES: ["黄石{trade}服饰有限公司", "黄石{trade}纺织有限公司"],
    Industry.FOOD: ["黄石{trade}食品有限公司", "黄石{trade}港饼厂"],
    Industry.PRINTING: ["黄石{trade}印务有限公司", "黄石{trade}包装材料有限公司"],
    Industry.CONSTRUCTION: ["黄石{trade}建筑工程有限公司", "湖北{trade}建设工程有限公司"],
    Industry.LOGISTICS: ["黄石港{trade}物流有限公司", "黄石{trade}仓储有限公司"],
    Industry.RETAIL: ["{trade}商场", "{trade}购物中心", "{trade}超市{road}店"],
    Industry.HOSPITALITY: ["{trade}酒店", "{trade}大酒店"],
    Industry.PORT: ["黄石港{trade}码头", "黄石{trade}港务有限公司", "黄石{trade}船务有限公司"],
    Industry.OTHER: ["黄石{trade}科技有限公司"],
}

# How many enterprises of each industry: the hazards the bureau supervises outnumber hotels and shops.
ENTERPRISE_COUNTS: dict[str, int] = {
    Industry.HAZARDOUS_CHEMICALS: 10,
    Industry.GAS: 8,
    Industry.METALLURGY: 8,
    Industry.BUILDING_MATERIALS: 6,
    Industry.MACHINERY: 5,
    Industry.LOGISTICS: 5,
    Industry.PORT: 4,
    Industry.CONSTRUCTION: 4,
    Industry.PRINTING: 3,
    Industry.FOOD: 3,
    Industry.RETAIL: 3,
    Industry.TEXTILES: 2,
    Industry.HOSPITALITY: 2,
    Industry.OTHER: 1,
}

# Roads of the old city, for addresses.
ROADS: list[str] = """
    磁湖路 黄石大道 武汉路 湖滨大道 天津路 颐阳路 交通路 沿湖路 广州路 南京路 江北大道
    杭州东路 桂林北路 青鱼路 花湖大道 延安路
""".split()

SURNAMES: list[str] = list("王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程柯")
GIVEN_NAMES: list[str] = """
    伟 敏 静 磊 洋 勇 军 杰 娟 涛 明 超 秀英 建华 志强 海燕 国庆 红梅 晓东 文斌
    俊 丽 鹏 辉 春燕 小平 建国 玉兰
""".split()


@dataclass(frozen=True)
class TeamData:
    code: str
    name: str
    # The parent's code; a street team sits inside its street's area.
    parent_code: str


TEAMS: list[TeamData] = [
    TeamData("T420202001", "黄石港区综合应急救援大队", DISTRICT_CODE),
    TeamData("T420202006001", "黄石港街道应急志愿服务队", "420202006"),
    TeamData("T420202400001", "江北管理区防汛抢险队", "420202400"),
]
DISTRICT_TEAM_CODE = "T420202001"
