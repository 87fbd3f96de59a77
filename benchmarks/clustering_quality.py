"""How well and how fast are copies of one letter grouped into campaigns?

Builds a throwaway database (SQLite by default; PostgreSQL with --engine postgresql)
with one real law (the Minors Protection Law, 2020), records campaigns of 20 to 300
copies each (``services.demo.campaigns``: another signature, greeting or closing,
swapped punctuation, a sentence dropped or added, typos) and distinct opinions on the
same articles that quote the same wording (they must stay apart), plus the bad inputs:
empty, punctuation only, one-word opinions ("同意", "agree") sent by many, English
letters on a Chinese law and 100,000-character texts. Then runs ``cluster_pending`` to
completion, committing per batch as the job does, and prints pairwise precision and
recall over opinions, opinions per second and the peak memory.

``measure_clustering`` is what other quality benchmarks import.

    python benchmarks/clustering_quality.py [--campaigns 20] [--distinct 3000]
        [--engine sqlite|postgresql] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import secrets
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from noticeboard.models import Opinion, OpinionTriage  # noqa: E402
from noticeboard.services.demo.campaigns import campaign_copies  # noqa: E402

LAW_TEXT = ROOT / "noticeboard/samples/cn/weichengnianren-baohufa/2020.txt"
FILLER_TEXT = ROOT / "noticeboard/samples/cn/civilcode-2020.txt"
_ARTICLE = re.compile(r"^(第[〇零一二两三四五六七八九十百千]+条)\s+(.+)$", re.MULTILINE)
_CLAUSE = re.compile(r"[^，。；：、]{6,30}")
_SENTENCE = re.compile(r"[^。；]{12,80}[。；]")

FRAMES = [
    "建议将{cite}“{q}”修改得更具体一些。", "{cite}中“{q}”的规定过于原则，建议细化。",
    "我认为{cite}“{q}”这一表述应当保留。", "对{cite}“{q}”有不同意见。",
    "{cite}提到“{q}”，希望明确由哪个部门负责。", "关于{cite}“{q}”，建议增加罚则。",
]  # fmt: skip
OWN = [
    "我是一名{who}，", "我们{where}的情况是，", "从{who}的角度看，", "结合{where}的实际，",
]  # fmt: skip
WHO = ["教师", "家长", "社区工作者", "律师", "医生", "学生", "退休干部", "企业职工"]
WHERE = ["社区", "学校", "农村", "街道", "县城", "工厂", "医院"]
SHORT = ["同意", "支持", "赞成本法", "没有意见", "agree", "I support this.", "好", "。", ""]


def measure_clustering(
    session: Session, law_id: int, truth: dict[int, str | None]
) -> tuple[float, float]:
    """Pairwise precision and recall of the law's clusters against ``truth`` (opinion id
    -> campaign label, None for an opinion in no campaign), over the opinions in truth.

    Precision: of the pairs put in one cluster, the share that truth has in one
    campaign; recall: of the pairs truth has in one campaign, the share put together.
    Counted from cluster and label sizes, never by listing pairs."""
    found = dict(
        session.execute(
            select(OpinionTriage.opinion_id, OpinionTriage.cluster_id).where(
                OpinionTriage.law_id == law_id, OpinionTriage.cluster_id.is_not(None)
            )
        ).all()
    )
    both: Counter[tuple[int, str]] = Counter()
    clusters: Counter[int] = Counter()
    labels: Counter[str] = Counter(label for label in truth.values() if label is not None)
    for opinion_id, label in truth.items():
        cluster = found.get(opinion_id)
        if cluster is not None:
            clusters[cluster] += 1
            if label is not None:
                both[(cluster, label)] += 1

    def pairs(counts: Counter[Any]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    together, agreed, wanted = pairs(clusters), pairs(both), pairs(labels)
    precision = agreed / together if together else 1.0
    recall = agreed / wanted if wanted else 1.0
    return precision, recall


def _articles() -> list[tuple[str, str]]:
    return _ARTICLE.findall(LAW_TEXT.read_text(encoding="utf-8"))


def generated_opinions(
    rng: random.Random, campaigns: int, distinct: int
) -> Iterator[tuple[str, str | None]]:
    """(text, campaign label or None): campaigns on a few articles, distinct opinions
    quoting the same clauses of the same articles, and the bad inputs."""
    articles = [a for a in _articles() if len(_CLAUSE.findall(a[1])) >= 2]
    targets = rng.sample(articles, 8)
    filler = _SENTENCE.findall(FILLER_TEXT.read_text(encoding="utf-8"))
    quotes = {cite: _CLAUSE.findall(body) for cite, body in targets}

    def quoting(cite: str) -> str:
        return rng.choice(FRAMES).format(cite=cite, q=rng.choice(quotes[cite]))

    def own() -> str:
        return rng.choice(OWN).format(who=rng.choice(WHO), where=rng.choice(WHERE))

    made: list[tuple[str, str | None]] = []
    for number in range(campaigns):
        cite = rng.choice(targets)[0]
        language = "en" if number % 10 == 9 else "zh"
        if language == "zh":
            body = [quoting(cite), *rng.sample(filler, rng.randint(2, 4)), quoting(cite)]
            base = own() + "".join(body)
        else:
            base = " ".join(
                [*rng.sample(_ENGLISH, 5), f"We ask you to revise {cite} of the draft."]
            )
        size = rng.choice((20, 40, 80, 150, 300))
        made += [(t, f"c{number}") for t in campaign_copies(base, size, rng, language=language)]
    for _ in range(distinct):
        cite = rng.choice(targets)[0]
        roll = rng.random()
        if roll < 0.05:
            text = rng.choice(SHORT)
        elif roll < 0.08:
            text = " ".join(rng.sample(_ENGLISH, rng.randint(2, 4)))
        else:
            sentences = [quoting(cite) for _ in range(rng.randint(1, 2))]
            sentences += rng.sample(filler, rng.randint(1, 3))
            rng.shuffle(sentences)
            text = own() + "".join(sentences)
        made.append((text, None))
    made += [("！" * 50, None), ("   ", None)]
    made += [("".join(rng.sample(filler, 2)) * 600, None) for _ in range(2)]  # ~100k chars
    rng.shuffle(made)
    yield from made


_ENGLISH = [
    "Children spend too many hours online without any supervision.",
    "Schools need clear duties when a pupil is bullied.",
    "Parents should be told when an app collects data about their child.",
    "Local governments rarely inspect the shops near schools.",
    "The draft leaves too much to later regulations.",
    "Penalties for platforms are far too low to change behaviour.",
    "Rural families need more support than the draft offers.",
    "Independent inspectors should publish their findings every year.",
    "The complaint procedure must be simple enough for a child to use.",
    "Our community has asked for this change for many years.",
]


@contextmanager
def throwaway_app(engine: str) -> Iterator[Any]:
    from flask_migrate import upgrade

    from noticeboard import create_app
    from noticeboard.extensions import db

    with tempfile.TemporaryDirectory() as folder, _database(engine, folder) as url:
        app = create_app(
            {"DATABASE_URL": url, "INSTANCE_PATH": folder, "SECRET_KEY": secrets.token_hex(16)}
        )
        with app.app_context():
            upgrade(directory=app.extensions["migrate"].directory)
            yield db.engine
            db.engine.dispose()


@contextmanager
def _database(engine: str, folder: str) -> Iterator[str]:
    if engine == "sqlite":
        yield f"sqlite:///{folder}/clustering.sqlite3"
        return
    from harness import throwaway_database

    with throwaway_database("nb_clustering") as url:
        yield url


def record(session: Session, texts: list[str]) -> tuple[int, list[int]]:
    """A law, one version, and the opinions on it (bulk inserted); law id, opinion ids."""
    from noticeboard.models import Channel, Law
    from noticeboard.services.laws.versions import add_version
    from noticeboard.services.permissions import SYSTEM

    law = Law(slug="minors", title="未成年人保护法")
    session.add(law)
    session.flush()
    version = add_version(
        session, SYSTEM, law, label="2020", source_text=LAW_TEXT.read_text(encoding="utf-8")
    )
    rows = [
        {
            "receipt_code": secrets.token_hex(5),
            "feed_token": secrets.token_hex(16),
            "law_id": law.id,
            "version_id": version.id,
            "channel": Channel.LETTER,
            "received_on": date(2026, 12, 1),
            "text": text,
        }
        for text in texts
    ]
    for start in range(0, len(rows), 10_000):
        session.execute(insert(Opinion), rows[start : start + 10_000])
    session.commit()
    ids = session.scalars(select(Opinion.id).where(Opinion.law_id == law.id).order_by(Opinion.id))
    return law.id, list(ids)


def cluster_all(session: Session, law_id: int, batch: int) -> dict[str, int]:
    from noticeboard.services.triage.clustering import cluster_pending

    counts = {"processed": 0, "joined": 0, "clusters_created": 0}
    while True:
        done = cluster_pending(session, law_id, limit=batch)
        session.commit()
        if not done.processed:
            return counts
        counts["processed"] += done.processed
        counts["joined"] += done.joined
        counts["clusters_created"] += done.clusters_created


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--campaigns", type=int, default=20)
    parser.add_argument("--distinct", type=int, default=3000)
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--tune", default="", help="BANDS,ROWS,THRESHOLD,MIN_COMMON,SHINGLE")
    args = parser.parse_args()
    if args.tune:  # try other parameters (the stored keys of a real law would change)
        from noticeboard.services.triage import fingerprints

        bands, rows, threshold, common, shingle = args.tune.split(",")
        fingerprints.BANDS, fingerprints.ROWS = int(bands), int(rows)
        fingerprints.NUM_PERM = int(bands) * int(rows)
        fingerprints.THRESHOLD, fingerprints.MIN_COMMON = float(threshold), int(common)
        fingerprints.SHINGLE = int(shingle)
    rng = random.Random(args.seed)
    generated = list(generated_opinions(rng, args.campaigns, args.distinct))
    with throwaway_app(args.engine) as engine, Session(engine) as session:
        law_id, ids = record(session, [text for text, _ in generated])
        truth = {i: label for i, (_, label) in zip(ids, generated, strict=True)}
        started, cpu = time.perf_counter(), time.process_time()
        counts = cluster_all(session, law_id, args.batch)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        precision, recall = measure_clustering(session, law_id, truth)
    in_campaigns = sum(1 for label in truth.values() if label)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"engine: {args.engine}; opinions: {len(truth)} ({in_campaigns} in campaigns)")
    print(f"clusters made: {counts['clusters_created']}; opinions joined: {counts['joined']}")
    print(f"pairwise precision: {precision:.4f} (target 0.99)")
    print(f"pairwise recall:    {recall:.4f} (target 0.95)")
    print(f"clustering: {seconds:.1f} s, {counts['processed'] / seconds:.0f} opinions/s")
    print(f"  of which this process's CPU: {cpu:.1f} s (the rest: the database, or waiting)")
    print(f"peak memory of this process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
