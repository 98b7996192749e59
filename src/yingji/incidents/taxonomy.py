"""The seeded incident taxonomy; administrators extend it in the admin. Types graded under Order 493 are the
production-safety accidents (Order 493 art. 2 leaves out environmental pollution)."""

from django.db.models import Model

# (code, name, category, graded under Order 493)
TYPES = [
    ("fire", "火灾", "accident", True),
    ("hazchem_leak", "危险化学品泄漏", "accident", True),
    ("explosion", "爆炸", "accident", True),
    ("building_collapse", "建筑物坍塌", "accident", True),
    ("road_traffic", "道路交通事故", "accident", True),
    ("gas", "燃气事故", "accident", True),
    ("poisoning", "中毒和窒息", "accident", True),
    ("fall", "高处坠落", "accident", True),
    ("mechanical", "机械伤害", "accident", True),
    ("electrocution", "触电", "accident", True),
    ("water_transport", "水上交通事故", "accident", True),
    ("special_equipment", "特种设备事故", "accident", True),
    ("environmental", "环境污染事件", "accident", False),
    ("drowning", "溺水", "social_safety", False),
    ("flood", "洪涝", "natural_disaster", False),
    ("geological", "地质灾害", "natural_disaster", False),
    ("forest_fire", "森林火灾", "natural_disaster", False),
    ("storm", "风雹、暴雨", "natural_disaster", False),
    ("earthquake", "地震", "natural_disaster", False),
    ("epidemic", "传染病疫情", "public_health", False),
    ("food_poisoning", "食物中毒", "public_health", False),
    ("crowd", "人群聚集踩踏", "social_safety", False),
    ("other_accident", "其他事故", "accident", True),
]


def seed_types(model: type[Model]) -> int:
    """Add the seeded types missing from `model` (IncidentType, or its historical model in a migration); an
    administrator's edits of existing ones stay. Returns how many were added."""
    created = 0
    for sort, (code, name, category, order493) in enumerate(TYPES, start=1):
        _type, new = model._default_manager.get_or_create(
            code=code, defaults={"name": name, "category": category, "order493": order493, "sort": sort * 10}
        )
        created += new
    return created
