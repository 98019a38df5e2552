"""Templates of the common kinds of conference: an agenda with MC scripts, the usual delegate
groups in protocol order, and the award forms. Data only; office/lifecycle.py makes them real.

Scripts may use the live figures the MC page fills in: {title}, {present}, {expected}, {absent}.
"""
from __future__ import annotations

import json
from functools import lru_cache

from conference.core.errors import N_
from .demo import DEMO_FILE

OPENING = ("Kính thưa quý vị đại biểu, thưa toàn thể hội nghị!\n"
           "Hôm nay, {title} được tổ chức trọng thể. Có mặt tại hội nghị {present}/{expected} đại biểu được triệu tập.")
FLAG = ("Kính thưa quý vị đại biểu, thưa toàn thể hội nghị!\n"
        "Để bắt đầu hội nghị, xin mời toàn thể quý vị đại biểu đứng dậy làm lễ chào cờ.\n"
        "Nghiêm! Chào cờ… chào! Quốc ca. Xin mời quý vị ngồi.")
WELCOME = ("Kính thưa hội nghị!\nXin trân trọng giới thiệu quý vị đại biểu về dự hội nghị hôm nay: …\n"
           "Thay mặt Ban Tổ chức, xin trân trọng cảm ơn sự hiện diện của quý vị đại biểu.")
CLOSING = ("Kính thưa quý vị đại biểu, thưa toàn thể hội nghị!\n"
           "Chương trình hội nghị đến đây đã hoàn thành. Xin mời toàn thể hội nghị đứng dậy làm lễ chào cờ bế mạc.\n"
           "Xin trân trọng cảm ơn và kính chúc quý vị đại biểu sức khỏe, hạnh phúc.")


def _item(title: str, minutes: int, script: str, kind: str = "normal") -> dict:
    return {"title": title, "planned_minutes": minutes, "kind": kind, "script": script}


GROUPS_WARD = [
    {"name": "Thường trực Đảng ủy", "color": "#c62828"},
    {"name": "Thường trực HĐND", "color": "#e65100"},
    {"name": "Lãnh đạo UBND", "color": "#1565c0"},
    {"name": "Thường trực Ủy ban MTTQ Việt Nam và các đoàn thể", "color": "#2e7d32"},
    {"name": "Trưởng các ban, ngành", "color": "#6a1b9a"},
    {"name": "Bí thư chi bộ, Tổ trưởng tổ dân phố", "color": "#00796b"},
]

YEAR_END = {
    "name": "tong-ket-nam",
    "title": N_("Hội nghị tổng kết năm"),  # the list of templates shows the title in the page's language
    "groups": GROUPS_WARD,
    "agenda": [
        _item("Chào cờ", 5, FLAG, "flag"),
        _item("Tuyên bố lý do, giới thiệu đại biểu", 5, WELCOME),
        _item("Khai mạc hội nghị", 10, OPENING + "\nXin trân trọng kính mời đồng chí Chủ tịch UBND phát biểu khai mạc."),
        _item("Báo cáo tổng kết tình hình kinh tế - xã hội năm và phương hướng, nhiệm vụ năm tới", 40,
              "Kính thưa hội nghị!\nXin kính mời đồng chí Phó Chủ tịch UBND trình bày báo cáo tổng kết năm."),
        _item("Báo cáo tham luận của các ban, ngành, tổ dân phố", 30,
              "Kính thưa hội nghị!\nTiếp theo chương trình, xin mời các đại biểu trình bày tham luận.", "talks"),
        _item("Thảo luận, đóng góp ý kiến", 30,
              "Kính thưa hội nghị!\nXin mời quý vị đại biểu thảo luận, đóng góp ý kiến vào báo cáo."),
        _item("Khen thưởng các tập thể, cá nhân có thành tích xuất sắc trong năm", 20,
              "Kính thưa hội nghị!\nXin mời đồng chí đại diện lãnh đạo công bố quyết định khen thưởng.", "awards"),
        _item("Phát biểu chỉ đạo của lãnh đạo cấp trên", 20,
              "Kính thưa hội nghị!\nXin trân trọng kính mời đồng chí lãnh đạo cấp trên phát biểu chỉ đạo hội nghị."),
        _item("Biểu quyết thông qua nhiệm vụ năm tới", 10,
              "Kính thưa hội nghị!\nXin mời hội nghị biểu quyết thông qua phương hướng, nhiệm vụ năm tới "
              "({present} đại biểu có mặt).", "vote"),
        _item("Tiếp thu ý kiến và bế mạc hội nghị", 10, CLOSING, "closing"),
    ],
    "award_forms": [{"name": "Giấy khen của Chủ tịch UBND", "rank": 50, "kind": "form"},
                    {"name": "Lao động tiên tiến", "rank": 30, "kind": "title"}],
}

CIVIL_SERVANTS = {
    "name": "can-bo-cong-chuc",
    "title": N_("Hội nghị cán bộ, công chức"),
    "groups": [
        {"name": "Thường trực Đảng ủy", "color": "#c62828"},
        {"name": "Lãnh đạo UBND", "color": "#1565c0"},
        {"name": "Ban Chấp hành Công đoàn cơ sở", "color": "#2e7d32"},
        {"name": "Cán bộ, công chức", "color": "#6a1b9a"},
        {"name": "Người hoạt động không chuyên trách", "color": "#00796b"},
    ],
    "agenda": [
        _item("Chào cờ", 5, FLAG, "flag"),
        _item("Tuyên bố lý do, giới thiệu đại biểu và bầu đoàn chủ tịch, thư ký", 10, WELCOME),
        _item("Khai mạc hội nghị", 10, OPENING + "\nXin kính mời đồng chí chủ trì phát biểu khai mạc."),
        _item("Báo cáo kết quả thực hiện nhiệm vụ năm và phương hướng năm tới", 30,
              "Kính thưa hội nghị!\nXin mời đồng chí Chủ tịch UBND trình bày báo cáo."),
        _item("Báo cáo công khai tài chính, kết quả thực hiện quy chế dân chủ ở cơ sở", 15,
              "Kính thưa hội nghị!\nXin mời đồng chí phụ trách tài chính trình bày báo cáo."),
        _item("Báo cáo của Ban Thanh tra nhân dân", 10,
              "Kính thưa hội nghị!\nXin mời đồng chí Trưởng Ban Thanh tra nhân dân trình bày báo cáo."),
        _item("Thảo luận, đóng góp ý kiến", 30,
              "Kính thưa hội nghị!\nXin mời cán bộ, công chức phát biểu ý kiến.", "talks"),
        _item("Phát biểu chỉ đạo", 15,
              "Kính thưa hội nghị!\nXin trân trọng kính mời đồng chí Bí thư Đảng ủy phát biểu chỉ đạo."),
        _item("Ký kết giao ước thi đua năm", 10,
              "Kính thưa hội nghị!\nXin mời đại diện chính quyền và công đoàn lên ký kết giao ước thi đua."),
        _item("Biểu quyết thông qua nghị quyết hội nghị", 10,
              "Kính thưa hội nghị!\nXin mời thư ký đọc dự thảo nghị quyết; hội nghị biểu quyết "
              "({present} người có mặt).", "vote"),
        _item("Bế mạc hội nghị", 5, CLOSING, "closing"),
    ],
    "award_forms": [{"name": "Giấy khen của Chủ tịch UBND", "rank": 50, "kind": "form"}],
}


@lru_cache(maxsize=1)
def _model_plan() -> dict:
    """Hội nghị điển hình tiên tiến: the founding plan's nine items and groups (the demo's), with
    no one's name in them: presenters and tham luận speakers are the new conference's to set."""
    demo = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    return {
        "name": "dien-hinh-tien-tien",
        "title": N_("Hội nghị điển hình tiên tiến"),
        "groups": demo["groups"],
        "agenda": [{key: item.get(key) for key in ("title", "planned_minutes", "kind", "script")}
                   for item in demo["agenda"]],
        "award_forms": demo["award_forms"],
    }


def templates() -> dict[str, dict]:
    """Every template by its name, in the order the office is offered them."""
    return {plan["name"]: plan for plan in (_model_plan(), YEAR_END, CIVIL_SERVANTS)}
