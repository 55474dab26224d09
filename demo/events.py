#!/usr/bin/env python3
"""Writes demo/events.ndjson: the logged shopper events the demo trains on (deterministic, seed 7).

Shoppers of three tastes (sport, home audio, budget) search the demo catalogue's audio and gadget
products. Each search shows a result list (every shown product is logged as a "view" with the list's
impression_id and its position) and the shopper clicks the first product of their taste in it (one
search in six, a product at random). The shopper "alice" has a sporty taste: her three searches end in
clicks on running gear, and the demo shows her search before and after personalized_blend.
"""
import json
import random
import sys
from datetime import datetime, timedelta, timezone

SHOWN = {
    "headphones": ["d001", "d002", "d005", "d006", "d003", "d004", "d009"],
    "wireless earbuds": ["d004", "d003", "d001", "d006", "d005", "d007"],
    "speaker": ["d007", "d008", "d009", "d061", "d002", "d001"],
    "music on the go": ["d007", "d003", "d004", "d001", "d006", "d054"],
    "gift for a teenager": ["d005", "d053", "d054", "d007", "d050", "d004"],
}
TASTES = {
    "sport": ["d006", "d003", "d054", "d050", "d004"],
    "home_audio": ["d002", "d009", "d061", "d008", "d001"],
    "budget": ["d005", "d004", "d007", "d003", "d053"],
}


def main(path):
    rng = random.Random(7)
    t = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)
    lines = []

    def log(user, product, kind, impression=None, position=None, query=None):
        event = {"user_id": user, "product_id": product, "type": kind, "@timestamp": t.strftime("%Y-%m-%dT%H:%M:%SZ")}
        if impression is not None:
            event["impression_id"] = impression
        if position is not None:
            event["position"] = position
        if query is not None:
            event["query"] = query
        lines.append(json.dumps({"index": {}}))
        lines.append(json.dumps(event))

    def search(user, taste, query, n, clicked=None):
        nonlocal t
        impression = f"{user}-{n}"
        shown = SHOWN[query]
        for position, product in enumerate(shown):
            log(user, product, "view", impression, position, query)
        liked = [p for p in shown if p in TASTES[taste]]
        if clicked is None:
            clicked = rng.choice(shown) if rng.random() < 1 / 6 or not liked else liked[0]
        t += timedelta(seconds=20)
        log(user, clicked, "click", impression, shown.index(clicked), query)
        t += timedelta(minutes=7)
        return clicked

    for taste in TASTES:
        for u in range(8):
            user = f"{taste}-shopper-{u}"
            for n in range(6):
                search(user, taste, rng.choice(list(SHOWN)), n)
    # alice: sport earbuds, then a fitness watch, then she buys the earbuds
    search("alice", "sport", "music on the go", 0, clicked="d003")
    search("alice", "sport", "gift for a teenager", 1, clicked="d054")
    search("alice", "sport", "wireless earbuds", 2, clicked="d003")
    log("alice", "d003", "purchase")
    with open(path, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "demo/events.ndjson")
