#!/usr/bin/env python3
"""bench/alter-snapshot.py IN OUT COUNT: a copy of snapshot IN with COUNT changes, for
timing `schemasync diff` of two large snapshots: a third of them new column comments, a
third new table comments, a third dropped tables, spread evenly over the catalog and
always the same ones (deterministic). Written in the snapshot's canonical layout (sorted
keys, two-space indentation, " : ")."""
import json
import sys

source, target, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(source, encoding="utf-8") as f:
    snapshot = json.load(f)
relations = [
    (schema, relation)
    for database in snapshot["catalog"]["databases"]
    for schema in database["schemas"]
    for relation in schema["relations"]
    if relation.get("kind") == "table" and relation.get("columns")
]
if len(relations) < count:
    sys.exit(f"alter-snapshot.py: only {len(relations)} tables, {count} changes asked")
step = len(relations) // count
chosen = [relations[i * step] for i in range(count)]
dropped = []
for i, (schema, relation) in enumerate(chosen):
    if i % 3 == 0:
        relation["columns"][-1]["comment"] = "bench: a changed column comment"
    elif i % 3 == 1:
        relation["comment"] = "bench: a changed table comment"
    else:
        dropped.append((schema, relation))
for schema, relation in dropped:
    schema["relations"].remove(relation)
with open(target, "w", encoding="utf-8") as f:
    json.dump(snapshot, f, indent=2, sort_keys=True, separators=(",", " : "), ensure_ascii=False)
    f.write("\n")
