"""The interchangeable parts of generated opinions (``demo.requests``), in Chinese and
English: greetings, request frames, reasons, closings, a sentence about the sender,
general remarks, off-topic letters, additions no version makes, and loose synonyms.

Frames take ``{cite}`` (an article label, or nothing), ``{in_cite}`` (" in Article 5"),
``{a}`` (wording to replace or delete), ``{b}`` (wording wanted) and ``{w}`` (a paraphrase).
"""

from __future__ import annotations


def _parts(text: str) -> list[str]:
    return text.split("|")


# fmt: off
ZH = {
    "open": _parts("||||您好！|尊敬的立法机关：|各位领导：|本人是一名基层工作者，|作为家长，|"
        "我们社区讨论后认为，|经过认真学习草案，|看了征求意见稿，|我想提一点建议：|"
        "作为一名教师，|我们单位组织学习后，|关于这部法律，|我是退休干部，|作为律师，"),
    "replace": _parts("建议将{cite}“{a}”改为“{b}”。|{cite}中的“{a}”，建议修改为“{b}”。|"
        "我认为{cite}“{a}”应当改成“{b}”。|建议把{cite}的“{a}”替换为“{b}”。|"
        "{cite}“{a}”的表述不妥，建议调整为“{b}”。|请将{cite}里的“{a}”改成“{b}”。|"
        "{cite}“{a}”宜改为“{b}”。"),
    "add": _parts("建议在{cite}增加“{b}”。|{cite}应当补充“{b}”的内容。|希望{cite}增写“{b}”。|"
        "建议{cite}中加入“{b}”的规定。|我建议{cite}增设“{b}”。|{cite}应明确“{b}”。"),
    "delete": _parts("建议删除{cite}“{a}”。|{cite}中的“{a}”建议删去。|"
        "{cite}“{a}”一句应当删除。|建议将{cite}“{a}”删去。|请去掉{cite}的“{a}”这一表述。"),
    "loose": _parts("希望{cite}能写明{w}。|{cite}应该体现{w}的意思。|我觉得{cite}要突出{w}。|"
        "建议{cite}规定得更清楚一些，比如{w}。|{cite}最好明确{w}。|对{cite}，我的想法是{w}。|"
        "{cite}可以考虑{w}。"),
    "reason": _parts("||这样更符合实际情况。|基层执行起来更有依据。|这样规定更加明确。|"
        "避免各地理解不一致。|有利于保护群众的合法权益。|目前的写法容易产生歧义。|"
        "实践中这个问题很突出。|这是大家普遍关心的问题。|便于监督落实。|这样责任更清楚。|"
        "能够减少推诿扯皮。"),
    "close": _parts("|||谢谢！|以上建议，供参考。|望采纳。|此致敬礼。|请予考虑。|"
        "希望能被采纳。"),
    "general": _parts("这部法律很重要，我完全支持。|希望法律早日通过实施。|"
        "{cite}写得很好，支持。|建议加强宣传，让更多人了解{cite}。|希望配套规定尽快出台。|"
        "感谢给我们提意见的机会。|{cite}的内容我们都很赞同。"),
    "off": _parts("我家门口的路灯坏了很久，希望有人来修。|"
        "小区停车太难了，能不能多建一些车位。|请问社保卡补办需要带什么材料？|"
        "公交车班次太少，上下班很不方便。|菜市场的卫生条件需要改善。|"
        "希望增加社区的体育健身设施。|我们村的自来水经常停。|快递总是放在门口不送上楼。|"
        "建议延长图书馆的开放时间。|噪音扰民问题一直没有解决。"),
    "lack": _parts("建立专项补助资金|每年向社会公布执行情况|设立统一的投诉热线|"
        "开展第三方评估|对农村地区给予倾斜支持|建立信息共享平台|规定具体的办理时限|"
        "明确志愿者的权利义务|加强对执法人员的培训|鼓励社会力量参与监督"),
    "swap": _parts("及时|依法|切实|严格|统一|全面|有关|相关|主要|具体"),
    "me": _parts("我在{where}工作了{n}年，|我们{where}有{n}户家庭关心这件事，|"
        "去年我们{where}遇到过{n}起类似的事，|我做{who}已经{n}年了，|"
        "我们{where}的{n}位{who}讨论过，|我家在{where}，"),
    "seen": _parts("深有体会。|感触很深。|觉得有必要说一说。|希望引起重视。|很多人都有同感。|"
        "大家意见比较集中。"),
    "who": _parts("教师|家长|社区工作者|律师|医生|学生|退休干部|企业职工|村干部|志愿者"),
    "where": _parts("社区|学校|农村|街道|县城|工厂|医院|乡镇|小区|市场"),
}
EN = {
    "open": _parts("|||Dear Committee, |To whom it may concern: |As a resident, |"
        "I have read the draft. |Our group discussed this. |Hello. |As a teacher, |"
        "Speaking for our neighbourhood, "),
    "replace": _parts("I propose to replace \"{a}\" with \"{b}\"{in_cite}. |"
        "Change \"{a}\" to \"{b}\"{in_cite}. |"
        "Please amend{in_cite} so that \"{a}\" is replaced by \"{b}\". |"
        "\"{a}\"{in_cite} should read \"{b}\". |Replace \"{a}\" with \"{b}\"{in_cite}. "),
    "add": _parts("Please add \"{b}\"{in_cite}. |I suggest including \"{b}\"{in_cite}. |"
        "Insert \"{b}\"{in_cite}. |The text{in_cite} should add \"{b}\". "),
    "delete": _parts("Please delete \"{a}\"{in_cite}. |Remove the words \"{a}\"{in_cite}. |"
        "\"{a}\"{in_cite} should be deleted. |Strike \"{a}\"{in_cite}. "),
    "loose": _parts("The text{in_cite} should say {w}. |"
        "I would like the wording{in_cite} to be {w}. |"
        "It matters that{in_cite} we read {w}. |Could{in_cite} the text be {w}? "),
    "reason": _parts("||That is fairer. |The current text is outdated. |"
        "It would be clearer. |Many people here agree. |It reflects how things are today. "),
    "close": _parts("|||Thank you.|Regards.|Sincerely.|Thanks for listening."),
    "general": _parts("I support this constitution. |Keep up the good work. |"
        "{cite} is fine as it is. |Please publish the draft more widely. |"
        "Thank you for consulting us. "),
    "off": _parts("The potholes on Main Street need fixing. |Our bus runs only twice a day. |"
        "When does the library open on Sundays? |Snow removal was late again this year. |"
        "The park needs more benches. |Please answer my letter about parking. "),
    "lack": _parts("a right to clean water|term limits for senators|"
        "an independent ethics office|a right to privacy online|public funding of elections|"
        "a youth advisory council"),
    "swap": _parts("fully|duly|always|only|strictly|promptly"),
    "me": _parts("I have lived in {where} for {n} years and |"
        "{n} of us in {where} talked it over and |As a {who} for {n} years, I |"
        "Our {where} group of {n} {who}s "),
    "seen": _parts("feel strongly about this. |think it matters. |hope you listen. |"
        "agree on this point. "),
    "who": _parts("teacher|parent|farmer|nurse|lawyer|student|retiree|veteran|shop owner"),
    "where": _parts("Burlington|Montpelier|Rutland|Barre|Brattleboro|our town|the county"),
}
SYNONYMS = {
    "应当": "要", "建立": "建设", "加强": "强化", "人民政府": "政府", "部门": "机构",
    "各级": "各个层级的", "组织": "单位", "规定": "要求", "保障": "保证", "监督管理": "监管",
    "食品安全": "食品的安全", "shall": "must", "persons": "people", "person": "individual",
}
# fmt: on
MARKS = (("“", "”"), ("“", "”"), ("「", "」"), ('"', '"'))
