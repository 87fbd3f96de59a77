"""Campaign copies: one letter sent many times, each copy a little different, as mass
letter campaigns arrive (another signature, greeting or closing, the punctuation of
another keyboard, a sentence dropped or added, a typo or two). The ground truth of the
clustering benchmark and the campaigns of the demo data.

Pure Python and seeded: the same input and ``random.Random`` give the same copies.
"""

from __future__ import annotations

import random
import re

_ZH = {
    "greeting": ["", "您好！", "尊敬的领导：", "尊敬的立法机关：", "各位委员：", "你们好，"],
    "closing": ["", "此致敬礼！", "谢谢！", "望采纳。", "恳请考虑。", "以上意见，供参考。"],
    "signature": ["一位家长", "退休教师", "社区居民", "志愿者", "小区业主", "一名学生家长"],
    "surnames": "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗",
    "given": "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华",
    "extra": [
        "我们身边已经发生过类似的事情。",
        "希望立法机关认真听取群众的声音。",
        "这关系到千家万户的切身利益。",
        "我和家人都非常关心这个问题。",
        "请务必重视我们的意见。",
    ],
}
_EN = {
    "greeting": ["", "Dear Committee,", "To whom it may concern,", "Dear Sir or Madam,", "Hello,"],
    "closing": ["", "Sincerely,", "Thank you.", "Regards,", "Respectfully submitted,"],
    "signature": ["a parent", "a retired teacher", "a local resident", "a volunteer"],
    "first": ["Alex", "Sam", "Jordan", "Taylor", "Morgan", "Casey", "Jamie", "Robin", "Chris"],
    "last": ["Smith", "Lee", "Brown", "Garcia", "Miller", "Davis", "Wilson", "Moore", "Clark"],
    "extra": [
        "Our neighbours have seen this happen already.",
        "Please listen to the people this law affects.",
        "This matters to every family in our town.",
        "I ask you to take this letter seriously.",
    ],
}
# Chinese and ASCII punctuation, as two keyboards type the same letter.
_SWAPS = {"，": ",", "。": ".", "：": ":", "；": ";", "！": "!", "？": "?", "“": '"', "”": '"'}
_SENTENCE = re.compile(r"[^。！？.!?]+[。！？.!?]?")
# Characters typed for another (neighbouring keys, homophones) in typos.
_ZH_TYPOS = "的得地在再做作已以那哪他她它及即"
_EN_TYPOS = "abcdefghijklmnopqrstuvwxyz"


def _sentences(text: str) -> list[str]:
    return [s for s in (m.group(0) for m in _SENTENCE.finditer(text)) if s.strip()]


def _name(rng: random.Random, language: str) -> str:
    if language == "zh":
        words = _ZH
        given = "".join(rng.choice(words["given"]) for _ in range(rng.randint(1, 2)))
        return rng.choice(words["surnames"]) + given
    return f"{rng.choice(_EN['first'])} {rng.choice(_EN['last'])}"


def _signature(rng: random.Random, language: str) -> str:
    words = _ZH if language == "zh" else _EN
    name = _name(rng, language)
    style = rng.randrange(4)
    if style == 0:
        return name
    if style == 1:
        return f"{rng.choice(words['signature'])}{'' if language == 'zh' else ', '}{name}"
    if style == 2:
        return f"{name} {rng.randint(2026, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return (
        f"{name}（{rng.choice(words['signature'])}）"
        if language == "zh"
        else f"{name}, {rng.choice(words['signature'])}"
    )


def _typo(text: str, rng: random.Random, language: str) -> str:
    if len(text) < 10:
        return text
    at = rng.randrange(len(text))
    pool = _ZH_TYPOS if language == "zh" else _EN_TYPOS
    kind = rng.randrange(3)
    if kind == 0:  # a character typed for another
        return text[:at] + rng.choice(pool) + text[at + 1 :]
    if kind == 1:  # a character left out
        return text[:at] + text[at + 1 :]
    return text[:at] + text[at] + text[at:]  # a character typed twice


def _swap_punctuation(text: str, rng: random.Random) -> str:
    forward = rng.random() < 0.5
    table = _SWAPS if forward else {v: k for k, v in _SWAPS.items() if v not in "\"'"}
    chosen = {k: v for k, v in table.items() if rng.random() < 0.8}
    return "".join(chosen.get(ch, ch) for ch in text)


def vary(base_text: str, rng: random.Random, *, language: str = "zh") -> str:
    """One copy of the letter: its body with a few variations, framed by its sender."""
    words = _ZH if language == "zh" else _EN
    sentences = _sentences(base_text) or [base_text]
    if len(sentences) > 3 and rng.random() < 0.3:  # a sentence dropped
        del sentences[rng.randrange(1, len(sentences))]
    if rng.random() < 0.3:  # a sentence of the sender's own added
        sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(words["extra"]))
    body = ("" if language == "zh" else " ").join(s.strip() for s in sentences)
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        body = _typo(body, rng, language)
    if rng.random() < 0.4:
        body = _swap_punctuation(body, rng)
    if rng.random() < 0.3:  # the letter retyped with other line breaks and spacing
        body = body.replace("。", "。\n") if language == "zh" else body.replace(". ", ".\n")
    joiner = "" if language == "zh" else " "
    greeting = rng.choice(words["greeting"])
    closing = rng.choice(words["closing"])
    parts = [greeting, body, closing, _signature(rng, language)]
    return joiner.join(p for p in parts if p).strip()


def campaign_copies(
    base_text: str, count: int, rng: random.Random, *, language: str = "zh"
) -> list[str]:
    """``count`` copies of one letter, each with its own combination of variations."""
    return [vary(base_text, rng, language=language) for _ in range(count)]


_ZH_LETTER = {
    "open": ["我们强烈呼吁", "我们一致认为", "作为关心此事的公民，我们建议", "我们联名提出"],
    "topic": [
        "未成年人沉迷网络游戏",
        "校园周边食品安全",
        "外贸企业出口退税",
        "农村留守儿童监护",
        "网络直播打赏",
        "学生课业负担",
        "进口食品标签",
        "社区养老服务",
        "个人信息保护",
        "野生动物交易",
        "电动车充电安全",
        "农药残留检测",
        "校外培训收费",
        "预付卡消费",
    ],
    "ask": [
        "应当由{who}承担主要责任",
        "必须设立明确的处罚标准",
        "需要建立统一的投诉渠道",
        "应该每年向社会公开检查结果",
        "应当规定更长的保存期限",
        "必须禁止以任何形式变相收费",
        "需要给予基层更多的执法权限",
        "应当设置专门的监督机构",
    ],
    "who": ["地方政府", "平台企业", "学校", "生产经营者", "行业协会", "监护人"],
    "why": [
        "现实中已经出现了大量问题",
        "目前的规定过于原则",
        "群众反映非常强烈",
        "各地执行标准很不统一",
        "违法成本太低",
        "受害者很难维权",
    ],
}


def campaign_letters(count: int, rng: random.Random, *, quote: str = "") -> list[str]:
    """``count`` distinct Chinese base letters (each 4 to 6 sentences), optionally all
    quoting the same article wording, as rival campaigns on one article do."""
    words = _ZH_LETTER
    letters = []
    for _ in range(count):
        topic = rng.choice(words["topic"])
        sentences = [f"{rng.choice(words['open'])}修改关于{topic}的规定。"]
        if quote:
            sentences.append(f"草案中“{quote}”的表述需要进一步完善。")
        for _ in range(rng.randint(3, 5)):
            ask = rng.choice(words["ask"]).format(who=rng.choice(words["who"]))
            sentences.append(f"{rng.choice(words['why'])}，因此{topic}方面{ask}。")
        sentences.append(f"编号{rng.randint(1000, 9999)}号倡议希望得到回应。")
        letters.append("".join(sentences))
    return letters
