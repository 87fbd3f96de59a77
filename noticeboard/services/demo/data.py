"""What the demo loads: real outreach offices and public law texts shipped in the package.

Office names follow the national outreach offices named in public reporting; the
provincial and prefecture offices under them are plausible examples of the lower tiers.
"""

from __future__ import annotations

from dataclasses import dataclass

from noticeboard.models import LawStatus, OfficeTier


@dataclass(frozen=True)
class DemoOffice:
    slug: str
    name: str
    name_en: str
    tier: OfficeTier
    region: str
    parent: str | None = None


@dataclass(frozen=True)
class DemoVersion:
    sample: str  # path under noticeboard/samples/
    label: str
    published: str  # ISO date
    open_for_comment: bool = False


@dataclass(frozen=True)
class DemoLaw:
    slug: str
    title: str
    title_en: str
    summary: str
    status: LawStatus
    versions: tuple[DemoVersion, ...]


N, P, F = OfficeTier.NATIONAL, OfficeTier.PROVINCIAL, OfficeTier.PREFECTURE

OFFICES: tuple[DemoOffice, ...] = (
    DemoOffice("hongqiao", "虹桥街道基层立法联系点", "Hongqiao Subdistrict", N, "上海市长宁区"),
    DemoOffice("lintao", "临洮县基层立法联系点", "Lintao County", N, "甘肃省定西市"),
    DemoOffice("jingdezhen", "景德镇市人大常委会基层立法联系点", "Jingdezhen", N, "江西省"),
    DemoOffice("xiangyang", "襄阳市人大常委会基层立法联系点", "Xiangyang", N, "湖北省"),
    DemoOffice("kunshan", "昆山市人大常委会基层立法联系点", "Kunshan", N, "江苏省苏州市"),
    DemoOffice("yiwu", "义乌市人大常委会基层立法联系点", "Yiwu", N, "浙江省金华市"),
    DemoOffice("sanjiang", "三江侗族自治县基层立法联系点", "Sanjiang", N, "广西壮族自治区柳州市"),
    DemoOffice("jianghai", "江海区人大常委会基层立法联系点", "Jianghai", N, "广东省江门市"),
    DemoOffice("zhengding", "正定县人大常委会基层立法联系点", "Zhengding", N, "河北省石家庄市"),
    DemoOffice("hanzhong", "汉中市人大常委会基层立法联系点", "Hanzhong", N, "陕西省"),
    DemoOffice("hefei", "合肥市人大常委会基层立法联系点", "Hefei", N, "安徽省"),
    DemoOffice(
        "cupl",
        "中国政法大学基层立法联系点",
        "China University of Political Science and Law",
        N,
        "北京市",
    ),
    DemoOffice(
        "changning",
        "长宁区人大常委会立法联系点",
        "Changning District",
        P,
        "上海市长宁区",
        "hongqiao",
    ),
    DemoOffice(
        "gubei", "古北市民中心立法信息采集点", "Gubei Civic Centre", F, "上海市长宁区", "changning"
    ),
    DemoOffice("dingxi", "定西市人大常委会立法联系点", "Dingxi", P, "甘肃省定西市", "lintao"),
)

LAWS: tuple[DemoLaw, ...] = (
    DemoLaw(
        "foreign-trade-law",
        "中华人民共和国对外贸易法",
        "Foreign Trade Law",
        "对外贸易经营者备案登记取消，其后条文依次调整序号。",
        LawStatus.ADOPTED,
        (
            DemoVersion("cn/duiwai-maoyifa/2016.txt", "2016年修正文本", "2016-11-07"),
            DemoVersion("cn/duiwai-maoyifa/2022.txt", "2022年修正文本", "2022-12-30"),
        ),
    ),
    DemoLaw(
        "food-safety-law",
        "中华人民共和国食品安全法",
        "Food Safety Law",
        "食品生产经营、食品安全标准与监督管理的修订。",
        LawStatus.ADOPTED,
        (
            DemoVersion("cn/shipin-anquanfa/2015.txt", "2015年修订文本", "2015-04-24"),
            DemoVersion("cn/shipin-anquanfa/2021.txt", "2021年修正文本", "2021-04-29"),
        ),
    ),
    DemoLaw(
        "minors-protection-law",
        "中华人民共和国未成年人保护法",
        "Minors Protection Law",
        "家庭、学校、社会、网络、政府与司法保护；征求意见中。",
        LawStatus.CONSULTATION,
        (
            DemoVersion("cn/weichengnianren-baohufa/2020.txt", "2020年修订文本", "2020-10-17"),
            DemoVersion(
                "cn/weichengnianren-baohufa/2024.txt",
                "2024年修正草案",
                "2024-04-26",
                open_for_comment=True,
            ),
        ),
    ),
    DemoLaw(
        "vermont-constitution",
        "佛蒙特州宪法（英文示例）",
        "Constitution of the State of Vermont",
        "An English-language example: articles in Chapter I, sections in Chapter II.",
        LawStatus.ADOPTED,
        (
            DemoVersion("en/vermont-constitution-1964-2010/1964.txt", "1964 text", "1964-01-01"),
            DemoVersion("en/vermont-constitution-1964-2010/2010.txt", "2010 text", "2010-11-02"),
        ),
    ),
)

# One account per role, so a newcomer can try the staff side at once.
DEMO_USERS: tuple[tuple[str, str, str | None], ...] = (
    ("admin@demo.noticeboard.local", "admin", None),
    ("commission@demo.noticeboard.local", "commission", None),
    ("hongqiao@demo.noticeboard.local", "office", "hongqiao"),
)
