"""What to do under a warning (防御指南), per warning type and level, as data.

The rainstorm entries are the national defence guidance of the rainstorm signal in the annex of 中国气象局令第16号
《气象灾害预警信号发布与传播办法》 (2007), art. 2 ("名称、图标、标准和防御指南"), quoted verbatim. For other types the
platform has no verified national text yet: the page shows the issuer's own instruction and the general advice
below, which the bureau may replace by editing these tables (local variants exist; store them per region here).
"""

# (event type, level) → numbered items of the guidance.
GUIDES: dict[tuple[str, str], list[str]] = {
    ("rainstorm", "blue"): [
        "政府及相关部门按照职责做好防暴雨准备工作；",
        "学校、幼儿园采取适当措施，保证学生和幼儿安全；",
        "驾驶人员应当注意道路积水和交通阻塞，确保安全；",
        "检查城市、农田、鱼塘排水系统，做好排涝准备。",
    ],
    ("rainstorm", "yellow"): [
        "政府及相关部门按照职责做好防暴雨工作；",
        "交通管理部门应当根据路况在强降雨路段采取交通管制措施，在积水路段实行交通引导；",
        "切断低洼地带有危险的室外电源，暂停在空旷地方的户外作业，转移危险地带人员和危房居民到安全场所避雨；",
        "检查城市、农田、鱼塘排水系统，采取必要的排涝措施。",
    ],
    ("rainstorm", "orange"): [
        "政府及相关部门按照职责做好防暴雨应急工作；",
        "切断有危险的室外电源，暂停户外作业；",
        "处于危险地带的单位应当停课、停业，采取专门措施保护已到校学生、幼儿和其他上班人员的安全；",
        "做好城市、农田的排涝，注意防范可能引发的山洪、滑坡、泥石流等灾害。",
    ],
    ("rainstorm", "red"): [
        "政府及相关部门按照职责做好防暴雨应急和抢险工作；",
        "停止集会、停课、停业（除特殊行业外）；",
        "做好山洪、滑坡、泥石流等灾害的防御和抢险工作。",
    ],
}

# Advice for any type without a verified guide, by level (the bureau's own wording, not a national text).
GENERAL: dict[str, list[str]] = {
    "blue": ["关注预警信息和天气变化，做好防范准备。"],
    "yellow": ["关注预警信息，减少不必要的外出，远离危险地带。"],
    "orange": ["尽量留在安全场所，服从街道、社区的转移安排。", "需要帮助时拨打 119、110 或 120。"],
    "red": [
        "立即停止户外活动，按街道、社区的安排转移到就近避难场所。",
        "需要帮助时拨打 119、110 或 120。",
    ],
}


def guide_for(event_type: str, level: str) -> tuple[list[str], bool]:
    """The guidance items for a warning type and level, and whether they are the verified national text."""
    items = GUIDES.get((event_type, level))
    if items is not None:
        return items, True
    return GENERAL.get(level, []), False
