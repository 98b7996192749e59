"""Demo content of the public portal: safety-knowledge articles, a news item and a notice, questions with
published answers (FAQ) and one waiting, and a public hazard report. Illustrative; idempotent (articles by title,
questions by text)."""

from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from yingji.core.models import OrgUnit, User
from yingji.portal import services
from yingji.portal.models import Article, Lead, Question

ARTICLES = [
    (
        "knowledge",
        "flood",
        "summer",
        "暴雨来了怎么办：居家和出行避险要点",
        "暴雨天气尽量留在室内，远离低洼地带、地下车库和下穿通道。",
        "关注黄石港区发布的暴雨预警，提前清理阳台、屋顶排水口。\n\n"
        "出行时不要涉水通过积水路段和下穿通道；车辆在积水中熄火，不要反复启动，尽快弃车到高处。\n\n"
        "家住低洼地带或危旧房屋的居民，接到社区转移通知后立即转移到就近避难场所。",
    ),
    (
        "knowledge",
        "earthquake",
        "all",
        "地震时的自救互救",
        "室内就近躲避，室外远离建筑物和电线杆。",
        "地震发生时，室内人员就近躲到坚固的桌子下或承重墙墙角，护住头部，不要乘坐电梯。\n\n"
        "震后有序撤离到开阔地带或应急避难场所，不要返回危房取物。",
    ),
    (
        "knowledge",
        "fire",
        "winter",
        "冬季家庭防火：电暖器和燃气安全",
        "电暖器远离可燃物，燃气用完关阀，发现泄漏不开关电器。",
        "电暖器、电热毯不要长时间无人看管使用，远离窗帘和被褥。\n\n"
        "闻到燃气味时，立即关闭燃气阀门，打开门窗通风，不要开关任何电器，到室外拨打燃气公司抢修电话或119。",
    ),
    (
        "knowledge",
        "first_aid",
        "all",
        "心肺复苏（CPR）的基本步骤",
        "判断意识和呼吸，呼救并取来AED，胸外按压每分钟100至120次。",
        "确认环境安全后，拍打双肩呼叫患者，观察有无呼吸。\n\n"
        "无反应、无正常呼吸时，立即拨打120并取来AED；在胸部正中按压，深度5至6厘米，频率每分钟100至120次。",
    ),
    (
        "news",
        "flood",
        "summer",
        "区应急管理局开展汛前应急避难场所检查（示例）",
        "检查了沿江片区的避难场所标识、物资和疏散通道。",
        "近日，区应急管理局会同各街道对辖区应急避难场所开展汛前检查，重点检查标识标牌、应急物资和疏散通道。",
    ),
    (
        "notice",
        "other",
        "all",
        "关于启用公众应急咨询专栏的通知",
        "居民可在线咨询应急避险问题，工作人员将在工作时间内答复。",
        "即日起，黄石港区应急信息公众平台开通应急咨询专栏和隐患随手拍。紧急情况请直接拨打119、110、120。",
    ),
]
QUESTIONS = [
    (
        "shelter",
        "离我家最近的应急避难场所在哪里？怎么查？",
        "在本平台“避难场所”页面，允许定位或输入社区名称，即可看到步行最近的开放避难场所、步行时间和路线。",
        "怎样查找最近的避难场所",
    ),
    (
        "warning",
        "暴雨黄色预警时学校会停课吗？",
        "暴雨黄色预警时学校、幼儿园采取适当措施保证学生和幼儿安全；橙色预警时处于危险地带的单位应当停课、停业。"
        "具体以教育部门通知为准。",
        "暴雨预警与停课",
    ),
    (
        "relief",
        "家里受灾了，怎么申请救助物资？",
        "请向所在社区居委会登记受灾情况，社区核实后由街道统一发放救灾物资，领取时需本人或家属签收。",
        "受灾后如何申请救助",
    ),
]


@transaction.atomic
def demo_load_portal(*, seed: int, out: Callable[[str], None]) -> dict[str, int]:
    """Add the demo articles, questions and hazard report that are missing."""
    created = {"articles": 0, "questions": 0, "leads": 0}
    admin, duty = User.objects.get(username="admin"), User.objects.get(username="duty")
    bureau = admin.org or OrgUnit.objects.get(code="420202")
    existing = set(Article.objects.values_list("title", flat=True))
    for kind, topic, season, title, summary, body in ARTICLES:
        if title in existing:
            continue
        article = services.article_create(
            by=duty, org=bureau, kind=kind, topic=topic, season=season, title=title, summary=summary, body=body
        )
        services.article_set_status(by=duty, article=article, status="published")
        created["articles"] += 1
    asked = set(Question.objects.values_list("text", flat=True))
    now = timezone.now()
    for i, (category, text, answer, title) in enumerate(QUESTIONS):
        if text in asked:
            continue
        question = services.question_ask(
            address=f"demo-{i}", category=category, text=text, now=now - timedelta(hours=30 - i * 7)
        )
        services.question_answer(by=duty, question=question, answer=answer, faq=True, faq_title=title)
        created["questions"] += 1
    waiting = "小区地下车库每次下大雨都积水，能不能安排检查？"
    if waiting not in asked:
        services.question_ask(address="demo-open", category="safety", text=waiting, now=now - timedelta(hours=2))
        created["questions"] += 1
    if not Lead.objects.exists():
        services.lead_report(
            address="demo-lead",
            kind="waterlogging",
            description="胜阳港路下穿通道积水约40厘米，有车辆涉水熄火。（示例）",
            place="胜阳港路下穿通道",
        )
        created["leads"] += 1
    return created
