"""How well are opinions matched to the changes that answer them, and campaigns found?

For each real law pair from ``noticeboard/samples`` (default: the Minors Protection Law
2020 -> 2024, the Food Safety Law 2015 -> 2021 and the Vermont Constitution 1964 ->
2010), a throwaway database gets both versions (their comparison stored as the app
stores it) and opinions from ``services.demo.requests`` with their ground truth:
requests for a real change (quoted exactly citing the article, citing none, citing a
wrong one; loosely paraphrased), requests not adopted (wording the next version keeps,
wording it lacks), general remarks, off-topic letters, and campaigns (copies made by
``services.demo.campaigns``). The job's work then runs as the job runs it, batch by
batch with a commit after each: ``cluster_pending`` then ``match_pending``. Printed,
per law and over all:

- clustering pairwise precision and recall (``clustering_quality.measure_clustering``;
  truth: the campaign each copy came from);
- top-1 / top-3: over opinions whose truth names at least one change, the share whose
  best stored change (rank 1) / any of the best three is one of those changes. A request
  quoting an edit several changes make (a department renamed in 60 articles) without
  naming the right article is answered by each of them: its truth holds them all;
- false: over opinions whose truth is empty (not adopted, general, off-topic, and the
  campaigns of those), the share with a stored match of score >= 0.5 ("likely");
- P@20: for each change that at least 20 opinions' truth names, take the 20 opinions
  with the highest stored score for that change (ties by opinion id); the share of them
  whose truth names the change; averaged over those changes. (Changes with fewer true
  opinions cannot reach 1.0 on that definition; their precision over the top k, with k
  their number of true opinions, is printed separately as P@k.)

Also printed: generation, clustering and matching speed (opinions/s, wall clock), and
the seconds to cluster and match 1,000 opinions arriving after the rest.

    python benchmarks/triage_quality.py [--opinions 4000] [--engine sqlite|postgresql]
        [--laws minors,food,vermont] [--seed 3] [--campaigns 0.15]
"""

from __future__ import annotations

import argparse
import resource
import secrets
import sys
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from clustering_quality import cluster_all, measure_clustering, throwaway_app  # noqa: E402

from noticeboard.models import (  # noqa: E402
    Channel,
    Law,
    Opinion,
    OpinionMatch,
    VersionArticle,
    opinion_article,
)
from noticeboard.services.demo.requests import GeneratedOpinion, RequestGenerator  # noqa: E402
from noticeboard.services.laws.comparisons import stored_between  # noqa: E402
from noticeboard.services.laws.versions import add_version  # noqa: E402
from noticeboard.services.permissions import SYSTEM  # noqa: E402
from noticeboard.services.triage.matching import (  # noqa: E402
    article_refs,
    change_documents,
    match_pending,
)

SAMPLES = ROOT / "noticeboard" / "samples"
PAIRS = {
    "minors": ("cn/weichengnianren-baohufa/2020.txt", "cn/weichengnianren-baohufa/2024.txt"),
    "food": ("cn/shipin-anquanfa/2015.txt", "cn/shipin-anquanfa/2021.txt"),
    "trade": ("cn/duiwai-maoyifa/2016.txt", "cn/duiwai-maoyifa/2022.txt"),
    "vermont": ("en/vermont-constitution-1964-2010/1964.txt",
                "en/vermont-constitution-1964-2010/2010.txt"),
}  # fmt: skip
LIKELY = 0.5


def load_law(session: Session, name: str):  # type: ignore[no-untyped-def]
    law = Law(slug=f"q-{name}", title=name)
    session.add(law)
    session.flush()
    old_path, new_path = PAIRS[name]
    old = add_version(
        session, SYSTEM, law, label="old", source_text=(SAMPLES / old_path).read_text("utf-8")
    )
    new = add_version(
        session, SYSTEM, law, label="new", source_text=(SAMPLES / new_path).read_text("utf-8")
    )
    comparison = stored_between(session, old, new)
    assert comparison is not None
    session.commit()
    return law, old, new, comparison


def record(
    session: Session, law_id: int, version_id: int, made: list[GeneratedOpinion]
) -> list[int]:
    article_of = dict(
        session.execute(
            select(VersionArticle.key, VersionArticle.id).where(
                VersionArticle.version_id == version_id
            )
        ).all()
    )
    rows = [
        {"receipt_code": secrets.token_hex(5), "feed_token": secrets.token_hex(16),
         "law_id": law_id, "version_id": version_id, "channel": Channel.LETTER,
         "received_on": date(2026, 12, 1),
         "text": g.text}
        for g in made
    ]  # fmt: skip
    ids: list[int] = []
    for start in range(0, len(rows), 5000):
        returning = insert(Opinion).returning(Opinion.id, sort_by_parameter_order=True)
        ids.extend(session.scalars(returning, rows[start : start + 5000]))
    links = [
        {"opinion_id": i, "article_id": article_of[key]}
        for i, g in zip(ids, made, strict=True)
        for key in g.article_keys
        if key in article_of
    ]
    if links:
        session.execute(insert(opinion_article), links)
    session.commit()
    return ids


def match_all(session: Session, law_id: int, batch: int) -> int:
    done = 0
    while True:
        step = match_pending(session, law_id, limit=batch)
        session.commit()
        if not step.processed:
            return done
        done += step.processed


def measure(session: Session, ids: list[int], made: list[GeneratedOpinion]) -> dict[str, float]:
    truth = dict(zip(ids, (g.truth for g in made), strict=True))
    ranked: dict[int, list[tuple[int, int, float]]] = defaultdict(list)
    by_change: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        for opinion_id, change_id, rank, score in session.execute(
            select(
                OpinionMatch.opinion_id,
                OpinionMatch.change_id,
                OpinionMatch.rank,
                OpinionMatch.score,
            ).where(OpinionMatch.opinion_id.in_(chunk))
        ):
            ranked[opinion_id].append((rank, change_id, score))
            by_change[change_id].append((-score, opinion_id))
    asking = [i for i in ids if truth[i]]
    silent = [i for i in ids if not truth[i]]
    best = {i: [c for _, c, _ in sorted(ranked[i])] for i in ids}
    top1 = sum(1 for i in asking if best[i][:1] and best[i][0] in truth[i]) / max(1, len(asking))
    top3 = sum(1 for i in asking if set(best[i][:3]) & truth[i]) / max(1, len(asking))
    false = sum(1 for i in silent if any(s >= LIKELY for _, _, s in ranked[i])) / max(
        1, len(silent)
    )
    wanted = Counter(c for i in ids for c in truth[i])
    at20: list[float] = []
    at_k: list[float] = []
    for change_id, k in wanted.items():
        top = sorted(by_change[change_id])[: min(20, k)]
        share = sum(1 for _, i in top if change_id in truth[i]) / min(20, k)
        (at20 if k >= 20 else at_k).append(share)
    return {
        "asking": len(asking), "silent": len(silent), "top1": top1, "top3": top3, "false": false,
        "p20": sum(at20) / len(at20) if at20 else float("nan"), "p20_changes": len(at20),
        "pk": sum(at_k) / len(at_k) if at_k else float("nan"), "pk_changes": len(at_k),
    }  # fmt: skip


def run_law(session: Session, name: str, args: argparse.Namespace) -> dict[str, float]:
    law, old, new, comparison = load_law(session, name)
    generator = RequestGenerator(
        change_documents(session, comparison), article_refs(session, old.id),
        article_refs(session, new.id), seed=args.seed,
    )  # fmt: skip
    started = time.perf_counter()
    made = list(generator.stream(args.opinions, campaign_share=args.campaigns))
    generated = time.perf_counter() - started
    ids = record(session, law.id, old.id, made)
    started = time.perf_counter()
    cluster_all(session, law.id, args.batch)
    clustered = time.perf_counter() - started
    started = time.perf_counter()
    matched = match_all(session, law.id, args.batch)
    matching = time.perf_counter() - started
    labels = {i: (f"c{g.campaign}" if g.campaign else None) for i, g in zip(ids, made, strict=True)}
    precision, recall = measure_clustering(session, law.id, labels)
    figures = measure(session, ids, made)
    figures.update(precision=precision, recall=recall, opinions=len(ids))
    # Incremental: 1,000 new opinions arrive; cluster and match just them, as the job does.
    extra = list(generator.stream(1000))
    record(session, law.id, old.id, extra)
    started = time.perf_counter()
    cluster_all(session, law.id, args.batch)
    match_all(session, law.id, args.batch)
    figures["incremental"] = time.perf_counter() - started
    styles = Counter(g.style for g in made)
    print(f"\n== {name}: {len(ids)} opinions, {len(generator.edits)} requestable edits; "
          f"generated {len(ids) / generated:.0f}/s; clustered {len(ids) / clustered:.0f}/s; "
          f"matched {matched} at {matched / matching:.0f}/s")  # fmt: skip
    print("   styles:", dict(sorted(styles.items())))
    print(f"   1,000 new opinions clustered and matched in {figures['incremental']:.2f} s")
    _print(figures)
    return figures


def _print(f: dict[str, float]) -> None:
    print(f"   clustering pairwise precision {f['precision']:.4f} (target 0.99), "
          f"recall {f['recall']:.4f} (target 0.95)")  # fmt: skip
    print(f"   top-1 {f['top1']:.3f} (target 0.90), top-3 {f['top3']:.3f} (target 0.95) "
          f"over {f['asking']:.0f} real requests")  # fmt: skip
    print(
        f"   false 'likely' {f['false']:.3f} (target <= 0.10) "
        f"over {f['silent']:.0f} opinions asking nothing adopted"
    )
    print(f"   P@20 {f['p20']:.3f} (target 0.90) over {f['p20_changes']:.0f} changes; "
          f"P@k {f['pk']:.3f} over {f['pk_changes']:.0f} changes with < 20 true")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opinions", type=int, default=4000)
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--laws", default="minors,food,vermont")
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--campaigns", type=float, default=0.15)
    args = parser.parse_args()
    results = []
    with throwaway_app(args.engine) as engine, Session(engine) as session:
        for name in args.laws.split(","):
            results.append(run_law(session, name, args))
    total = sum(r["opinions"] for r in results)
    print(f"\n== all ({args.engine}, {total} opinions), weighted by opinions:")
    weighted = {
        key: sum(r[key] * r["opinions"] for r in results if r[key] == r[key]) / total
        for key in ("precision", "recall", "top1", "top3", "false", "p20", "pk")
    }
    counts = {
        key: sum(r[key] for r in results)
        for key in ("asking", "silent", "p20_changes", "pk_changes")
    }
    _print({**weighted, **counts})
    print(f"   peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
