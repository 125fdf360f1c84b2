"""Document pairing: precision, recall and speed when the input does not say which garbled
document belongs to which clean one.

Scenarios (each with distractors on both sides: 10% of garbled documents have no clean
partner, 10% of clean documents have no garbled one, and both sides are shuffled):

- BBC articles (../shared/corpora/bbc_news_greene2006.jsonl, 2,225 articles) garbled with
  the recipes typo, ocr and mixed at two or three levels, plus the real MT-garbled seed
  pair (builder/resources/sample) mixed in.
- MLQE-PE machine translation (../shared/real_pairs/mlqe_pe_xx_en.jsonl): ten consecutive
  sentences of one language pair make a pseudo-document, MT output against post-edit.
- Scale (about 18,500 documents a side): every BBC paragraph as a document, garbled with
  mixed@0.3, plus every MLQE-PE sentence as a one-sentence document. Harder too: a
  paragraph or a sentence has few shingles and gives the aligner little to go on.

The BBC set holds exact and near-duplicate articles (about 160 pairs with Jaccard >= 0.8
over character 5-grams). Pairing a garbled article with a duplicate of its original is
right, so a pair counts as correct when the clean document is the original or a near
duplicate of it (Jaccard >= 0.5); ``strict_precision`` counts the original only.

Also: a retrieval-only comparison of shingle types and LSH settings (candidate recall: the share of
garbled documents whose original is among the candidates sent to verification),
precision/recall at several ``min_score`` values (the verified candidates of one run
assigned again at each threshold), and the verifier's alignment compared: its fixed bar
against the build's own adaptive aligner, on the MT and scale scenarios (both score with
``builder.align.relatedness.document_score``).

Results: benchmarks/results/pairing.json. Skipped with a message if ../shared is missing.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace

import numpy as np
import scipy.sparse as sp

from benchmarks.common import SHARED, write_result
from builder.align import AlignerParams
from builder.core.resources import SAMPLE_DIR
from builder.noise import load_recipe
from builder.pairing.documents import (
    PairingParams,
    PairResult,
    assign,
    drop_common,
    pair_documents,
    retrieve,
    shingle_codes,
)
from builder.profile.pairs import detokenizer
from builder.text.segment import Segmenter

BBC = SHARED / "corpora" / "bbc_news_greene2006.jsonl"
MLQE = SHARED / "real_pairs" / "mlqe_pe_xx_en.jsonl"
NEAR_DUPLICATE = 0.5  # Jaccard over character 5-grams above which two clean documents are the same article
THRESHOLDS = (0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8)
SETTINGS = [("typo", 0.08), ("typo", 0.3), ("ocr", 0.1), ("ocr", 0.3), ("mixed", 0.12), ("mixed", 0.3), ("mixed", 0.5)]
RETRIEVAL = [  # overrides of the default PairingParams compared for retrieval alone
    {},
    {"num_perm": 128, "lsh_bands": 64},
    {"shingle_size": 4},
    {"max_df": 0.2},
    {"max_df": 1.0},
    {"shingle": "word", "shingle_size": 1},
    {"shingle": "word", "shingle_size": 1, "num_perm": 128, "lsh_bands": 64},
    {"shingle": "word", "shingle_size": 2, "max_df": 0.2},
]


class Scenario:
    """Garbled and clean sides, shuffled, with the acceptable clean partners of each garbled document."""

    def __init__(
        self,
        name: str,
        garbled: list[str],
        clean: list[str],
        gold: list[set[int]],
        strict: list[int],
        source: list[int],
    ) -> None:
        self.name, self.garbled, self.clean = name, garbled, clean
        self.gold = gold  # per garbled doc: clean positions that are its original or a near duplicate of it
        self.strict = strict  # per garbled doc: its original's clean position, -1 if absent
        self.source = source  # per garbled doc: index of its source text; extra pairs are -1, -2, ...


def near_duplicate_clusters(texts: list[str], threshold: float = NEAR_DUPLICATE) -> np.ndarray:
    """Cluster id per text: connected components of pairs with exact 5-gram Jaccard >= threshold."""
    sets = [shingle_codes(t) for t in texts]
    vocab, cols = np.unique(np.concatenate(sets), return_inverse=True)
    indptr = np.cumsum([0] + [len(s) for s in sets])
    m = sp.csr_matrix((np.ones(len(cols), dtype=np.float32), cols, indptr), shape=(len(sets), len(vocab)))
    inter = (m @ m.T).tocoo()
    size = np.array([len(s) for s in sets], dtype=np.float64)
    jac = inter.data / np.maximum(size[inter.row] + size[inter.col] - inter.data, 1)
    keep = (jac >= threshold) & (inter.row != inter.col)
    graph = sp.csr_matrix((np.ones(keep.sum()), (inter.row[keep], inter.col[keep])), shape=(len(texts),) * 2)
    return sp.csgraph.connected_components(graph, directed=False)[1]


def build_scenario(
    name: str,
    clean: list[str],
    garbled_of: list[str],
    cluster: np.ndarray,
    seed: int = 0,
    distractors: float = 0.1,
    extra_pairs: list[tuple[str, str]] = (),
) -> Scenario:
    """``garbled_of[k]`` is the garbled version of ``clean[k]``; some lose their partner, both sides are shuffled."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(clean))
    cut = round(distractors * len(clean))
    garbled_only, clean_only = set(order[:cut].tolist()), set(order[cut : 2 * cut].tolist())
    g_src = [k for k in range(len(clean)) if k not in clean_only]
    c_src = [k for k in range(len(clean)) if k not in garbled_only]
    g_text = [garbled_of[k] for k in g_src] + [g for g, _ in extra_pairs]
    c_text = [clean[k] for k in c_src] + [c for _, c in extra_pairs]
    g_key = [int(cluster[k]) for k in g_src] + [-1 - e for e in range(len(extra_pairs))]
    c_key = [int(cluster[k]) for k in c_src] + [-1 - e for e in range(len(extra_pairs))]
    g_id = [*g_src, *(-1 - e for e in range(len(extra_pairs)))]
    c_id = [*c_src, *(-1 - e for e in range(len(extra_pairs)))]
    gp, cp = rng.permutation(len(g_text)), rng.permutation(len(c_text))
    by_key = defaultdict(set)
    for pos, k in enumerate(cp):
        by_key[c_key[k]].add(pos)
    c_pos_of_id = {c_id[k]: pos for pos, k in enumerate(cp)}
    return Scenario(
        name,
        [g_text[k] for k in gp],
        [c_text[k] for k in cp],
        [set(by_key.get(g_key[k], ())) for k in gp],
        [c_pos_of_id.get(g_id[k], -1) for k in gp],
        [g_id[k] for k in gp],
    )


def score(sc: Scenario, pairs: list[tuple[int, int, float]], min_score: float) -> dict:
    kept = [(i, j) for i, j, s in pairs if s >= min_score]
    correct = sum(j in sc.gold[i] for i, j in kept)
    strict = sum(sc.strict[i] == j for i, j in kept)
    findable = sum(bool(g) for g in sc.gold)
    return {
        "precision": round(correct / len(kept), 4) if kept else 1.0,
        "recall": round(correct / findable, 4) if findable else 1.0,
        "strict_precision": round(strict / len(kept), 4) if kept else 1.0,
        "pairs": len(kept),
        "wrong": len(kept) - correct,
    }


def run(sc: Scenario, params: PairingParams) -> tuple[dict, PairResult]:
    t = time.perf_counter()
    res = pair_documents(sc.garbled, sc.clean, params)
    dt = time.perf_counter() - t
    docs = len(sc.garbled) + len(sc.clean)
    final = score(sc, res.pairs, params.min_score)
    reasons = Counter(r for _, r in res.unmatched_garbled)
    out = {
        "scenario": sc.name,
        "garbled_docs": len(sc.garbled),
        "clean_docs": len(sc.clean),
        "garbled_with_partner": sum(bool(g) for g in sc.gold),
        **final,
        "recall_ceiling": recall_ceiling(sc),
        **score_spread(sc, res),
        "seconds": round(dt, 2),
        "docs_per_second": round(docs / dt, 1),
        "unmatched_reasons": dict(sorted(reasons.items())),
        "by_min_score": {str(t): score(sc, assign(res.verified, t)[0], t) for t in THRESHOLDS},
        "stats": res.stats,
    }
    return out, res


def recall_ceiling(sc: Scenario) -> float:
    """The best recall a one-to-one pairing can reach: a garbled article and a garbled
    near-duplicate of it may have only one clean partner between them."""
    rows = [(i, j) for i, gold in enumerate(sc.gold) for j in gold]
    findable = sum(bool(g) for g in sc.gold)
    if not rows:
        return 1.0
    i, j = np.array(rows).T
    graph = sp.csr_matrix((np.ones(len(rows)), (i, j)), shape=(len(sc.garbled), len(sc.clean)))
    matched = sp.csgraph.maximum_bipartite_matching(graph, perm_type="column")
    return round(int((matched >= 0).sum()) / findable, 4)


def score_spread(sc: Scenario, res: PairResult) -> dict:
    """Verification scores of true pairs against the best score of garbled documents with no partner:
    the gap that ``min_score`` must fall in."""
    true = [s for i, cands in enumerate(res.verified) for j, s in cands if j in sc.gold[i]]
    alone = [max((s for _, s in cands), default=0.0) for i, cands in enumerate(res.verified) if not sc.gold[i]]

    def q(xs: list[float], p: float) -> float | None:
        return round(float(np.quantile(xs, p)), 3) if xs else None

    return {
        "true_pair_score": {"p1": q(true, 0.01), "p5": q(true, 0.05), "p50": q(true, 0.5)},
        "no_partner_best_score": {"p50": q(alone, 0.5), "p95": q(alone, 0.95), "max": q(alone, 1.0)},
    }


def candidate_recall(sc: Scenario, params: PairingParams) -> dict:
    """Retrieval alone: how often the original (or a duplicate) is among the verified candidates."""
    t = time.perf_counter()
    g = [shingle_codes(x, params.shingle, params.shingle_size) for x in sc.garbled]
    c = [shingle_codes(x, params.shingle, params.shingle_size) for x in sc.clean]
    filtered = drop_common(g + c, params.max_df, params.min_df_cut)
    cands, stats = retrieve(filtered[: len(g)], filtered[len(g) :], params)
    dt = time.perf_counter() - t
    findable = [i for i, gold in enumerate(sc.gold) if gold]
    hit = sum(any(j in sc.gold[i] for j, _ in cands[i]) for i in findable)
    return {
        "candidate_recall": round(hit / len(findable), 4),
        "verified_per_doc": round(sum(len(x) for x in cands) / len(cands), 2),
        "lsh_candidates_per_doc": round(stats["lsh_candidates"] / len(cands), 1),
        "scans": stats["scans"],
        "seconds": round(dt, 2),
    }


def mlqe_documents(per_doc: int = 10) -> tuple[list[str], list[str], list[str]]:
    detokenize = detokenizer()
    rows = defaultdict(list)
    with open(MLQE, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            rows[r["src_lang"], r["split"]].append(r)
    garbled, clean, lang = [], [], []
    for (src_lang, _), rs in sorted(rows.items()):
        for s in range(0, len(rs) - per_doc + 1, per_doc):
            garbled.append(" ".join(detokenize(r["noisy"]) for r in rs[s : s + per_doc]))
            clean.append(" ".join(detokenize(r["clean"]) for r in rs[s : s + per_doc]))
            lang.append(src_lang)
    return garbled, clean, lang


def garble_all(texts: list[str], ids: list[str], recipe: str, level: float) -> list[str]:
    seg, r = Segmenter(), load_recipe(recipe).with_level(level)
    return [r.garble(t, [(s.start, s.end) for s in seg.split(t)], 0, i)[0] for t, i in zip(texts, ids, strict=True)]


def main(
    settings: list[tuple[str, float]] | None = None, params: PairingParams | None = None, scale: bool = True
) -> dict:
    if not BBC.exists():
        print(f"pairing benchmark skipped: {BBC} not found")
        return {"skipped": f"{BBC} not found"}
    params = params or PairingParams()
    docs = [json.loads(line) for line in BBC.read_text(encoding="utf-8").splitlines()]
    clean, ids = [d["text"] for d in docs], [d["id"] for d in docs]
    cluster = near_duplicate_clusters(clean)
    sizes = Counter(cluster.tolist())
    seed_pair = (
        (SAMPLE_DIR / "garbled.txt").read_text(encoding="utf-8"),
        (SAMPLE_DIR / "restored.txt").read_text(encoding="utf-8"),
    )
    results: dict = {
        "params": {
            **{k: v for k, v in vars(params).items() if k not in ("aligner", "progress")},
            "aligner_threshold": params.aligner.threshold,
        },
        "corpus": "bbc_news_greene2006 (2,225 articles)",
        "near_duplicates": {
            "threshold_jaccard_char5": NEAR_DUPLICATE,
            "articles_in_duplicate_clusters": sum(n for n in sizes.values() if n > 1),
            "clusters": sum(1 for n in sizes.values() if n > 1),
            "exact_duplicate_texts": len(clean) - len(set(clean)),
        },
        "distractors": "10% of garbled docs without a clean partner, 10% of clean docs without a garbled one",
        "runs": [],
    }
    by_setting = {}
    for recipe, level in settings or SETTINGS:
        garbled = garble_all(clean, ids, recipe, level)
        sc = build_scenario(f"bbc {recipe}@{level}", clean, garbled, cluster, extra_pairs=[seed_pair])
        by_setting[recipe, level] = sc
        r, res = run(sc, params)
        seed_row = sc.source.index(-1)
        r["seed_pair_score"] = next((round(s, 4) for i, j, s in res.pairs if i == seed_row and j == sc.strict[i]), None)
        results["runs"].append(r)
        print(_line(r), flush=True)

    mlqe_sc, compared = None, []
    if MLQE.exists():
        mg, mc, lang = mlqe_documents()
        mlqe_sc = build_scenario("mlqe-pe mt 10-sentence docs", mc, mg, np.arange(len(mc)))
        r, res = run(mlqe_sc, params)
        r["by_part"] = _by_part(mlqe_sc, res, lang)
        results["runs"].append(r)
        compared.append((mlqe_sc, r))
        print(_line(r), flush=True)

    if scale:
        r, scale_sc = _scale_run(docs, params)
        results["runs"].append(r)
        compared.append((scale_sc, r))
        print(_line(r), flush=True)

    results["verifier_comparison"] = verifier_comparison(compared, params)

    # Retrieval only: which shingles and LSH settings find the original.
    comparison = []
    for overrides in RETRIEVAL:
        p = replace(params, **overrides)
        row = {"overrides": overrides or "defaults"}
        for key in [("typo", 0.3), ("mixed", 0.5)]:
            if key in by_setting:
                row[f"bbc {key[0]}@{key[1]}"] = candidate_recall(by_setting[key], p)
        if mlqe_sc is not None:
            row["mlqe"] = candidate_recall(mlqe_sc, p)
        comparison.append(row)
        print(row, flush=True)
    results["retrieval_comparison"] = comparison
    path = write_result("pairing", results)
    print(f"written {path}")
    return results


#: What the verifier comparison keeps of a run.
COMPARED = ("precision", "recall", "pairs", "wrong", "docs_per_second", "true_pair_score", "no_partner_best_score")


def verifier_comparison(runs: list[tuple[Scenario, dict]], params: PairingParams) -> dict[str, dict]:
    """The verifier's fixed-bar alignment (the run already made) against the build's adaptive
    aligner on the same scenario; both score with the same function."""
    out = {}
    for sc, fixed in runs:
        r, _ = run(sc, replace(params, aligner=AlignerParams()))
        print(f"verifier with the build's aligner: {_line(r)}", flush=True)
        out[sc.name] = {"fixed_bar": {k: fixed[k] for k in COMPARED}, "build_aligner": {k: r[k] for k in COMPARED}}
    return out


def _scale_run(docs: list[dict], params: PairingParams) -> tuple[dict, Scenario]:
    """Tens of thousands of documents a side: every BBC paragraph (garbled with mixed@0.3) and,
    when present, every MLQE-PE sentence as a one-sentence document."""
    texts, ids, part = [], [], []
    for d in docs:
        for k, para in enumerate(x for x in d["text"].split("\n\n") if x.strip()):
            texts.append(para)
            ids.append(f"{d['id']}-p{k}")
            part.append("bbc paragraph >= 150 chars" if len(para) >= 150 else "bbc paragraph < 150 chars")
    garbled = garble_all(texts, ids, "mixed", 0.3)
    if MLQE.exists():
        detokenize = detokenizer()
        with open(MLQE, encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh]
        texts += [detokenize(r["clean"]) for r in rows]
        garbled += [detokenize(r["noisy"]) for r in rows]
        part += ["mlqe-pe sentence"] * len(rows)
    sc = build_scenario(
        "scale: bbc paragraphs mixed@0.3 + mlqe-pe sentences", texts, garbled, near_duplicate_clusters(texts)
    )
    r, res = run(sc, params)
    r["by_part"] = _by_part(sc, res, part)
    return r, sc


def _by_part(sc: Scenario, res: PairResult, part: list[str]) -> dict[str, dict[str, float]]:
    """Recall and precision per kind of source document (MT language pair, paragraph length, ...)."""
    paired = {i: j for i, j, _ in res.pairs}
    hits, total, made, right = Counter(), Counter(), Counter(), Counter()
    for i, src in enumerate(sc.source):
        if sc.gold[i]:
            total[part[src]] += 1
            hits[part[src]] += paired.get(i) in sc.gold[i]
        if i in paired:
            made[part[src]] += 1
            right[part[src]] += paired[i] in sc.gold[i]
    return {
        k: {
            "recall": round(hits[k] / total[k], 4) if total[k] else 1.0,
            "precision": round(right[k] / made[k], 4) if made[k] else 1.0,
        }
        for k in sorted(total | made)
    }


def _line(r: dict) -> str:
    return (
        f"{r['scenario']}: precision {r['precision']} recall {r['recall']} ({r['pairs']} pairs, {r['wrong']} wrong)"
        f" {r['seconds']}s {r['docs_per_second']} docs/s reasons {r['unmatched_reasons']}"
    )


if __name__ == "__main__":
    main(scale="--no-scale" not in sys.argv[1:])
