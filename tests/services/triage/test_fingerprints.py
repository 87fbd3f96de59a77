"""Fingerprints for campaign detection: normalising, shingles, MinHash band keys, Jaccard."""

from __future__ import annotations

import random
import subprocess
import sys
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from noticeboard.services.demo.campaigns import campaign_copies
from noticeboard.services.triage import fingerprints as fp

LETTER = (
    "我们认为第十条关于未成年人网络保护的规定还不够具体，建议明确网络平台的责任。"
    "平台应当对未成年人用户设置使用时段和时长的限制，并向监护人提供必要的管理工具。"
    "现实中已经出现了大量问题，违法成本太低，受害者很难维权。"
)
texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200)


def test_normalise_drops_case_width_space_and_punctuation() -> None:
    assert fp.normalise("Hello, World! ＡＢＣ　１２３ 「你好」\n\t—x") == "helloworldabc123你好x"
    assert fp.normalise("！！！。。。  ...") == ""


def test_punctuation_and_layout_do_not_change_the_fingerprint() -> None:
    ascii_copy = LETTER.replace("，", ",").replace("。", ".\n")
    assert fp.fingerprint(LETTER).band_keys == fp.fingerprint(ascii_copy).band_keys
    assert fp.text_jaccard(LETTER, ascii_copy) == 1.0


def test_empty_and_punctuation_only_texts_have_no_shingles_and_no_keys() -> None:
    for text in ("", "   ", "！？。，", None):
        print_ = fp.fingerprint(text)
        assert len(print_) == 0
        assert not print_.clusterable


def test_short_texts_are_never_clusterable() -> None:
    for text in ("同意", "agree", "我支持这个草案，希望尽快通过。", "I agree with this draft."):
        print_ = fp.fingerprint(text)
        assert len(print_) > 0
        assert not print_.clusterable
    assert fp.fingerprint(LETTER).clusterable
    assert fp.fingerprint(" ".join(["Children need clear protection online."] * 3)).clusterable


def test_band_keys_are_signed_64_bit_and_one_per_band() -> None:
    keys = fp.fingerprint(LETTER).band_keys
    assert len(keys) == fp.BANDS
    assert all(-(2**63) <= k < 2**63 for k in keys)
    assert len(set(keys)) == fp.BANDS  # the band index is hashed in


def test_copies_score_high_and_other_letters_low() -> None:
    rng = random.Random(3)
    copies = campaign_copies(LETTER, 30, rng)
    scores = [fp.text_jaccard(LETTER, c) for c in copies]
    assert sorted(scores)[len(scores) // 2] > 0.6
    other = "建议第十条增加学校的保护责任，学校应当建立学生欺凌防控工作制度，对教职员工开展培训。"
    assert fp.text_jaccard(LETTER, other) < 0.1


def test_same_letter_needs_similarity_and_enough_shared_shingles() -> None:
    letter = fp.fingerprint(LETTER).shingles
    assert fp.same_letter(letter, letter) == 1.0
    short = fp.fingerprint("建议明确网络平台的责任。").shingles
    assert fp.same_letter(short, short) == 0.0  # identical, but too little to say
    assert fp.same_letter(letter, fp.fingerprint("").shingles) == 0.0


def test_a_100000_character_text_is_fingerprinted_quickly() -> None:
    rng = random.Random(1)
    huge = "".join(chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(100_000))
    fp.fingerprint("预热" * 30)
    started = time.perf_counter()
    print_ = fp.fingerprint(huge)
    assert time.perf_counter() - started < 5
    assert len(print_) > 99_000
    assert print_.clusterable


def test_band_keys_are_the_same_in_another_process() -> None:
    here = fp.fingerprint(LETTER).band_keys
    code = (
        "from noticeboard.services.triage.fingerprints import fingerprint;"
        f"print(list(fingerprint({LETTER!r}).band_keys))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == str(list(here))


@settings(max_examples=60, deadline=None)
@given(texts, texts)
def test_jaccard_is_symmetric_and_bounded(left: str, right: str) -> None:
    forward, backward = fp.text_jaccard(left, right), fp.text_jaccard(right, left)
    assert forward == backward
    assert 0.0 <= forward <= 1.0


@settings(max_examples=60, deadline=None)
@given(texts)
def test_identical_texts_score_one_unless_empty(text: str) -> None:
    expected = 1.0 if fp.normalise(text) else 0.0
    assert fp.text_jaccard(text, text) == expected


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from([LETTER, LETTER[::-1], LETTER * 2, "同意", ""]), max_size=6))
def test_band_keys_do_not_depend_on_the_batch_or_its_order(batch: list[str]) -> None:
    alone = {text: fp.fingerprint(text).band_keys for text in batch}
    together = fp.fingerprints(list(reversed(batch)))
    assert [p.band_keys for p in together] == [alone[t] for t in reversed(batch)]
