#!/usr/bin/env python3
"""Sends the requests of demo/dev-tools.txt, in order, to a node and prints what each answer shows.

    python3 demo/run.py http://127.0.0.1:9200 [demo/dev-tools.txt]

The file is in Kibana Dev Tools (Console) format, so that what the demo does can be pasted there as it
is. Comment lines starting with "# @" are this runner's: "@title" and "@say" print text, "@bulk FILE
[INDEX]" sends all of FILE as the next request's body (the file shows a few lines of it), "@label NAME"
keeps the answer for a later "@show", and "@show KIND [LABEL]" prints the answer (hits, hybrid, intent,
blend, bulk, build, train, compare, stats, vector, none). Any answer that is not 2xx stops the demo.
Only the standard library is used.
"""
import json
import re
import sys
import urllib.error
import urllib.request

REQUEST_LINE = re.compile(r"^(GET|PUT|POST|DELETE|HEAD) (\S+)\s*$")


def parse(path):
    """The requests of a Console file: (directives, method, path, body or None), in order."""
    steps, directives = [], []
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("# @"):
            name, _, arg = line[3:].partition(" ")
            directives.append((name, arg.strip()))
        elif REQUEST_LINE.match(line):
            method, target = REQUEST_LINE.match(line).groups()
            body = []
            i += 1
            while i < len(lines) and lines[i].strip() and not lines[i].startswith("#") and not REQUEST_LINE.match(lines[i]):
                body.append(lines[i])
                i += 1
            steps.append((directives, method, target, "\n".join(body) + "\n" if body else None))
            directives = []
            continue
        i += 1
    return steps


def send(base, method, target, body):
    ndjson = "_bulk" in target
    data = body.encode("utf-8") if body is not None else None
    request = urllib.request.Request(base + "/" + target.lstrip("/"), data=data, method=method)
    request.add_header("Content-Type", "application/x-ndjson" if ndjson else "application/json")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read().decode("utf-8") or "{}")
    except urllib.error.HTTPError as e:
        sys.exit("demo: %s %s failed (HTTP %d):\n%s" % (method, target, e.code, e.read().decode("utf-8", "replace")[:2000]))


def bulk_body(file, index):
    """A JSON-lines catalogue as bulk actions (its "id" becomes the _id), or an NDJSON bulk file as it is."""
    text = open(file, encoding="utf-8").read()
    if not index:
        return text
    out = []
    for line in text.splitlines():
        if line.strip():
            doc = json.loads(line)
            out.append(json.dumps({"index": {"_index": index, "_id": doc.pop("id")}}))
            out.append(json.dumps(doc, ensure_ascii=False))
    return "\n".join(out) + "\n"


def source(hit, field, default=""):
    return hit.get("_source", {}).get(field, default)


def title(hit, width=58):
    t = source(hit, "title")
    return t if len(t) <= width else t[: width - 3] + "..."


def show_hits(r, _):
    for n, h in enumerate(r["hits"]["hits"], 1):
        print("   %d. %-58s $%7.2f   [%s]" % (n, title(h), source(h, "price", 0), h["_id"]))


def show_hybrid(r, _):
    print("   %-4s %-44s %8s | %8s %4s | %8s %4s" % ("rank", "title", "fused", "BM25", "rank", "cosine", "rank"))
    for h in r["hits"]["hits"]:
        b = h["fields"]["_semantic_hybrid"][0]
        side = lambda s, k: ("%8.3f %4d" % (b[s], b[k])) if b.get(k) else "%8s %4s" % ("-", "-")
        print("   %-4d %-44s %8.3f | %s | %s" % (b["rank"], title(h, 44), b["fused_score"], side("lexical_score", "lexical_rank"), side("semantic_score", "semantic_rank")))
    print("   (min_max normalises each side's scores to 0..1 over its top list; the fused score is their weighted sum)")


def show_intent(r, _):
    for n, h in enumerate(r["hits"]["hits"], 1):
        understood = [q.replace("semantic_intent.", "") for q in h.get("matched_queries", []) if q.startswith("semantic_intent.")]
        print("   %d. %-50s $%7.2f   understood: %s" % (n, title(h, 50), source(h, "price", 0), ", ".join(understood) or "-"))


def show_blend(r, before):
    was = [h["_id"] for h in before["hits"]["hits"]] if before else []
    print("   %-4s %-40s %6s | %-17s %-17s %-17s | top features" % ("rank", "title", "before", "first pass", "query~product", "personalization"))
    for n, h in enumerate(r["hits"]["hits"], 1):
        b = h["fields"]["_personalized_blend"][0]
        part = lambda k: "%5.2f x %-4g= %4.2f" % (b[k]["normalized"], b[k]["weight"], b[k]["normalized"] * b[k]["weight"]) if k in b else "-"
        features = b.get("personalization", {}).get("features", {})
        top = sorted(features.items(), key=lambda kv: -abs(kv[1]))[:2]
        rank_before = str(was.index(h["_id"]) + 1) if h["_id"] in was else "-"
        print("   %-4d %-40s %6s | %-17s %-17s %-17s | %s" % (n, title(h, 40), rank_before, part("query"), part("vector"), part("personalization"),
                                                             ", ".join("%s %.2f" % kv for kv in top)))


def show_bulk(r, _):
    items = r.get("items", [])
    failed = [i for i in items if "error" in next(iter(i.values()))]
    if failed:
        sys.exit("demo: %d of %d bulk items failed, first: %s" % (len(failed), len(items), json.dumps(next(iter(failed[0].values())))))
    print("   indexed %d documents in %d ms" % (len(items), r.get("took", 0)))


def show_vector(r, _):
    v = r["_source"]["product_vector"]
    print("   %s: a %d-dim vector [%s, ...], length %.3f" % (r["_source"]["title"], len(v), ", ".join("%.3f" % x for x in v[:3]),
                                                       sum(x * x for x in v) ** 0.5))


def show_build(r, _):
    print("   %d shoppers, %d events, in %d ms; click statistics written to %d products" % (
        r["users"], r["events"], r["took_ms"], r.get("products_with_click_lift", 0)))


def show_train(r, _):
    t = r["training"]
    print("   trained on %d shoppers' impressions, %d held out: AUC %.3f on their clicks (0.5 is chance)" % (
        t["users_train"], t["users_holdout"], t["auc"]))
    print("   learned weights: " + ", ".join("%s %+.2f" % (f["name"], f["weight"]) for f in r["features"]))


def show_compare(r, other):
    names = list(r["requests"].keys())
    print("   %-40s %8s %8s" % ("query", "BM25", "hybrid"))
    for q in names:
        print("   %-40s %8.3f %8.3f" % (q, other["requests"][q]["metrics"]["ndcg@10"], r["requests"][q]["metrics"]["ndcg@10"]))
    print("   %-40s %8.3f %8.3f   (judged@10: %.2f and %.2f)" % ("mean nDCG@10", other["metrics"]["ndcg@10"], r["metrics"]["ndcg@10"],
                                                              other["metrics"]["judged@10"], r["metrics"]["judged@10"]))
    print("   (ten queries written for the demo: an illustration, not a benchmark; benchmarks/README.md has those)")


def show_stats(r, _):
    for node in r["nodes"].values():
        for name, m in node.get("encoder", {}).items():
            print("   %s: %d texts encoded in %d batches (documents and queries); query cache: %d hits, %d misses" % (
                name, m.get("texts_encoded", 0), m.get("batches", 0), node.get("query_cache", {}).get("hits", 0),
                node.get("query_cache", {}).get("misses", 0)))


SHOW = {"hits": show_hits, "hybrid": show_hybrid, "intent": show_intent, "blend": show_blend, "bulk": show_bulk,
        "vector": show_vector, "build": show_build, "train": show_train, "compare": show_compare, "stats": show_stats}


def main():
    base = sys.argv[1].rstrip("/")
    steps = parse(sys.argv[2] if len(sys.argv) > 2 else "demo/dev-tools.txt")
    labels = {}
    for directives, method, target, body in steps:
        show, label = None, None
        for name, arg in directives:
            if name == "title":
                print("\n" + "=" * 100 + "\n" + arg + "\n" + "=" * 100)
            elif name == "say":
                print("\n-- " + arg)
            elif name == "bulk":
                file, _, index = arg.partition(" ")
                body = bulk_body(file, index.strip())
            elif name == "label":
                label = arg
            elif name == "show":
                show = arg.split()
        response = send(base, method, target, body)
        if label:
            labels[label] = response
        if show and show[0] != "none":
            SHOW[show[0]](response, labels.get(show[1]) if len(show) > 1 else None)
        elif not show:
            print("   %s %s: ok" % (method, target))


if __name__ == "__main__":
    main()
