"""The real lists the demo is made of: sectors, county departments, the general catalogue's items read from the
广安区 and 中山市 lists in ``fixtures/data``, and the demo logins."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "data"
DEMO_PASSWORD = "spbz-demo-2026"

# Two-digit department codes of the general catalogue (Guangdong data shows 02 教育, 04 工业和信息化).
SECTORS = {
    "01": "发展改革",
    "02": "教育",
    "03": "科技",
    "04": "工业和信息化",
    "05": "民族宗教",
    "06": "公安",
    "07": "民政",
    "08": "司法行政",
    "09": "财政",
    "10": "人力资源社会保障",
    "11": "自然资源",
    "12": "生态环境",
    "13": "住房城乡建设",
    "14": "交通运输",
    "15": "水利",
    "16": "农业农村",
    "17": "商务",
    "18": "文化广电旅游",
    "19": "卫生健康",
    "20": "退役军人事务",
    "21": "应急管理",
    "22": "市场监管",
    "23": "医疗保障",
    "24": "林业",
    "25": "税务",
    "26": "气象",
    "27": "烟草专卖",
    "28": "残联",
    "29": "统计",
    "30": "政务服务数据管理",
    "31": "消防救援",
    "32": "城市管理综合执法",
    "34": "政府办公室",
}

# A county's implementing departments, by sector (names as county governments use them).
DEPARTMENTS = {
    "01": "发展和改革局",
    "02": "教育局",
    "03": "科学技术局",
    "04": "工业和信息化局",
    "06": "公安局",
    "07": "民政局",
    "08": "司法局",
    "09": "财政局",
    "10": "人力资源和社会保障局",
    "11": "自然资源局",
    "12": "生态环境分局",
    "13": "住房和城乡建设局",
    "14": "交通运输局",
    "15": "水利局",
    "16": "农业农村局",
    "17": "商务局",
    "18": "文化广电旅游体育局",
    "19": "卫生健康局",
    "20": "退役军人事务局",
    "21": "应急管理局",
    "22": "市场监督管理局",
    "23": "医疗保障局",
    "24": "林业局",
    "25": "税务局",
    "26": "气象局",
    "27": "烟草专卖局",
    "28": "残疾人联合会",
    "29": "统计局",
    "30": "政务服务数据管理局",
    "31": "消防救援大队",
    "32": "城市管理和综合执法局",
    "34": "人民政府办公室",
}

# 广安区 department names → sector.
SICHUAN_DEPARTMENT_SECTOR = {
    "区发改局": "01",
    "区教科体局": "02",
    "区经信局": "04",
    "区公安分局": "06",
    "区民政局": "07",
    "区司法局": "08",
    "区财政局": "09",
    "区人社局": "10",
    "区自然资源和规划局": "11",
    "区生态环境局": "12",
    "区住建局": "13",
    "区交通运输局": "14",
    "区水务局": "15",
    "区农业农村局": "16",
    "区商务局": "17",
    "区文广旅局": "18",
    "区卫健局": "19",
    "区退役军人事务局": "20",
    "区应急管理局": "21",
    "区市监局": "22",
    "区医疗保障局": "23",
    "区林业局": "24",
    "广安区税务局": "25",
    "区气象局": "26",
    "区烟草专卖局": "27",
    "区残联": "28",
    "区统计局": "29",
    "区行政审批局": "30",
    "区公管办": "30",
    "区消防大队": "31",
    "区综合执法局": "32",
    "区政府办": "34",
    "区委办": "34",
    "区委统战部": "34",
}

# Well-known founding provisions for a few items, so the catalogue shows what a complete entry looks like.
KNOWN_BASES = {
    "中外合作": [{"law": "《中华人民共和国中外合作办学条例》", "doc_number": "国务院令第372号", "article": "第十二条"}],
    "教师资格": [{"law": "《教师资格条例》", "doc_number": "国务院令第188号", "article": "第十三条"}],
    "无线电频率": [{"law": "《中华人民共和国无线电管理条例》", "doc_number": "国务院令第672号", "article": "第十四条"}],
}

DEMO_PROVINCES = {"440000": "广东省", "500000": "重庆市"}
DEMO_CITY = "441800"  # 清远市, whose office received the Guangdong notice
DEMO_EXTRA_COUNTIES = ["500236"]  # 奉节县


# Invented items get codes no province issues. Real names keep their real codes (the 中山市 entries); the demo's
# other items (名称 from 广安区's list, which has no Guangdong or Chongqing codes) are numbered from main item 800
# upwards within their type and department: real general catalogues number main items from 001 consecutively
# within a type and department, and the published lists stay far below 800 (the highest in ``fixtures/data`` is
# 016), so an invented item never takes a code a province gave to another item. 800–999 holds the largest block
# the demo needs (119 items of one type and department).
DEMO_MAIN_BASE = 800


def demo_main_code(province: str, entry: CatalogueEntry, taken: dict[tuple[str, str], int]) -> tuple[str, int]:
    """The next invented main-item code of ``entry``'s type and department (``taken`` counts them per province)."""
    key = (entry.item_type, entry.sector)
    main = DEMO_MAIN_BASE + taken.get(key, 0)
    if main > 999:
        raise ValueError(f"more than {1000 - DEMO_MAIN_BASE} invented main items of type {key[0]}, sector {key[1]}")
    taken[key] = taken.get(key, 0) + 1
    return f"{province[:2]}{entry.item_type}{entry.sector}{main:03d}{'00Y' if entry.subs else '000'}", main


def _type_code(raw: str) -> str:
    return f"{int(raw):02d}"


@dataclass
class CatalogueEntry:
    sector: str
    item_type: str
    name: str
    subs: list[str]
    levels: str
    code: str = ""
    sub_codes: tuple[str, ...] = ()


def real_catalogue_entries() -> list[CatalogueEntry]:
    """Main items with their sub items from the real lists: 中山市 entries keep their Guangdong codes, 广安区
    entries get codes from the catalogue. Public services go down to townships."""
    entries: dict[tuple[str, str, str], CatalogueEntry] = {}
    with (DATA_DIR / "items_gd_zhongshan_442000.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            parent_code, code = row["parent_catalog_id"], row["catalog_id"]
            key = ("zs", parent_code, "")
            name = row["parent_catalog_name"]
            entry = entries.setdefault(
                key, CatalogueEntry(parent_code[4:6], row["task_type_code"], name, [], "234", code=parent_code)
            )
            if parent_code.endswith("Y") and code not in entry.sub_codes:
                sub_name = row["task_name"].split("(")[0].strip()
                entry.subs.append(sub_name)
                entry.sub_codes = (*entry.sub_codes, code)
    seen_names = {e.name for e in entries.values()}
    with (DATA_DIR / "items_sc_guangan_511602.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            sector = SICHUAN_DEPARTMENT_SECTOR.get(row["department"])
            if not sector:
                continue
            item_type = _type_code(row["task_type_code"])
            main = row["main_item"].strip()
            name = row["item_name"].strip()
            levels = "345" if item_type == "20" else "34"
            if main:
                entry = entries.setdefault(("sc", sector, main), CatalogueEntry(sector, item_type, main, [], levels))
                if name not in entry.subs and name != main and entry.item_type == item_type:
                    entry.subs.append(name)
            elif name not in seen_names:
                entries.setdefault(("sc", sector, name), CatalogueEntry(sector, item_type, name, [], levels))
            seen_names.add(name)
    return list(entries.values())


def bases_for(name: str) -> list[dict]:
    for key, bases in KNOWN_BASES.items():
        if key in name:
            return bases
    return []


DEMO_LOGINS = [  # each as its workbench names it (``catalogue.access.role_titles``), with what it is for
    ("admin", "系统管理员 · 广东省编办（全部权限、后台管理）"),
    ("clerk", "录入员 · 清城区教育局"),
    ("depthead", "部门负责人 · 清城区教育局"),
    ("compliance", "合规性审查员 · 清城区编办（认领确认、合规性审查、发布）"),
    ("legality", "合法性审查员 · 清城区司法局"),
    ("supervisor", "督导 · 清远市编办（只读）"),
    ("province", "通用目录管理员 · 广东省编办（省编办的合规性审查员）"),
    ("fj_clerk", "录入员 · 奉节县市场监督管理局"),
    ("fj_compliance", "合规性审查员 · 奉节县编办"),
    ("window", "窗口受理员 · 清城区政务服务中心（A01 综合窗口叫号、受理、补正、不予受理）"),
    ("window_b", "窗口受理员 · 清城区政务服务中心（A02 窗口，A01 的B岗）"),
    ("approver", "审批人员 · 清城区教育局（审查、送达、办结；分管领导的B岗）"),
    ("center", "电子监察员 · 清城区政务服务中心（预警与督办、大厅管理、申诉审核）"),
    ("fj_window", "窗口受理员 · 奉节县政务服务中心"),
    ("fj_approver", "审批人员 · 奉节县司法局（及本县其他有办件的实施部门）"),
    ("fj_center", "电子监察员 · 奉节县政务服务中心"),
]
