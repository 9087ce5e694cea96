#!/usr/bin/env python3
"""The statistics benchmark's other side (bench/stats_bench.sh): the figures
motcua's counters answer, computed by SQL GROUP BY over the dossier table, in
SQLite (the file) and in PostgreSQL (through psql), each timed, and checked
against motcua's own answer for the same unit and period.

usage: stats_groupby.py URL TOKEN SQLITE_FILE [POSTGRES_URL]
Prints one line per query and engine: the unit, the period, the milliseconds
SQL took, motcua's milliseconds for the same question (over HTTP, the mean of
20), the ratio, and whether the figures are equal.
"""
import json
import sqlite3
import subprocess
import sys
import time
import urllib.request

url, token, sqlite_file = sys.argv[1:4]
pg_url = sys.argv[4] if len(sys.argv) > 4 else None


def get(path):
    req = urllib.request.Request(url + path, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req) as r:
        return json.load(r)


units = get("/api/v1/units?include_retired=true")["items"]
children = {}
for u in units:
    children.setdefault(u["parent_id"], []).append(u["id"])


def subtree(unit):
    out, todo = [], [unit]
    while todo:
        u = todo.pop()
        out.append(u)
        todo.extend(children.get(u, []))
    return out


by_code = {u["agency_code"]: u for u in units}
province = next(u for u in units if u["kind"] == "province" and u["valid_to"] is None)
centre = next(u for u in units if u["kind"] == "center" and u["valid_to"] is None)
commune = next(u for u in units if u["name"] == "Xã Mẫu 1") if any(u["name"] == "Xã Mẫu 1" for u in units) else \
    next(u for u in units if u["kind"] == "commune" and u["valid_to"] is None)
old_district = next((u for u in units if u["kind"] == "district" and u["name"] == "Huyện Mẫu 1"), None)
queries = [(province, "2025"), (province, "bc-2026-11"), (centre, "2026-Q3"), (commune, "2026-11"),
           (commune, "bc-2026"), (province, "2026-12-01")]
if old_district:
    queries.append((old_district, "2024"))

# Vietnam dates of the stored UTC times; the same definitions as
# core/stats/counters.hpp (decided = finished and not withdrawn, status 7).
SQL = """
SELECT receiving_unit_id,
  SUM(CASE WHEN rd BETWEEN :a AND :b THEN 1 ELSE 0 END),
  SUM(CASE WHEN rd BETWEEN :a AND :b AND channel = 2 THEN 1 ELSE 0 END),
  SUM(CASE WHEN fd BETWEEN :a AND :b AND national_status <> 7 THEN 1 ELSE 0 END),
  SUM(CASE WHEN fd BETWEEN :a AND :b AND national_status <> 7 AND timeliness = 'early' THEN 1 ELSE 0 END),
  SUM(CASE WHEN fd BETWEEN :a AND :b AND national_status <> 7 AND timeliness = 'on_time' THEN 1 ELSE 0 END),
  SUM(CASE WHEN fd BETWEEN :a AND :b AND national_status <> 7 AND timeliness = 'late' THEN 1 ELSE 0 END),
  SUM(CASE WHEN ret BETWEEN :a AND :b THEN 1 ELSE 0 END),
  SUM(CASE WHEN fd BETWEEN :a AND :b AND national_status = 7 THEN 1 ELSE 0 END),
  SUM(CASE WHEN rd < :a AND (fd IS NULL OR fd >= :a) THEN 1 ELSE 0 END),
  SUM(CASE WHEN rd <= :z AND (fd IS NULL OR fd > :z) THEN 1 ELSE 0 END),
  SUM(CASE WHEN rd <= :z AND (fd IS NULL OR fd > :z) AND dd <= :z THEN 1 ELSE 0 END)
FROM (SELECT receiving_unit_id, channel, national_status, timeliness, {rd} AS rd, {fd} AS fd, {ret} AS ret, {dd} AS dd
      FROM dossiers WHERE receiving_unit_id IN ({units})) AS d
GROUP BY receiving_unit_id
"""
NAMES = ["received", "received_online", "decided", "decided_early", "decided_on_time", "decided_late",
         "returned", "withdrawn", "carried_over", "open", "overdue"]


def sqlite_sql(units):
    day = lambda col: f"date({col}, '+7 hours')"
    return SQL.format(rd=day("submitted_at"), fd=day("finished_at"), ret=day("returned_at"),
                      dd=day("COALESCE(apology_due_at, due_at)"), units=",".join(map(str, units)))


def pg_sql(units, a, b, z):
    day = lambda col: f"(({col})::timestamptz AT TIME ZONE 'Asia/Ho_Chi_Minh')::date"
    sql = SQL.format(rd=day("submitted_at"), fd=day("finished_at"), ret=day("returned_at"),
                     dd=day("COALESCE(apology_due_at, due_at)"), units=",".join(map(str, units)))
    return sql.replace(":a", f"DATE '{a}'").replace(":b", f"DATE '{b}'").replace(":z", f"DATE '{z}'")


def add(rows):
    total = [0] * len(NAMES)
    for r in rows:
        for i, v in enumerate(r[1:]):
            total[i] += int(v or 0)
    return dict(zip(NAMES, total))


def motcua_figures(unit, period):
    path = f"/api/v1/statistics?unit={unit['id']}&period={period}"
    got = get(path)
    start = time.perf_counter()
    for _ in range(20):
        get(path)
    ms = (time.perf_counter() - start) * 1000 / 20
    t = got["totals"]
    mine = {k: t[k] for k in NAMES if k in t}
    mine["open"] = t["in_progress"] + t["overdue"]
    return got["period"], mine, ms


db = sqlite3.connect(sqlite_file)
print(f"{'unit':<52} {'period':<11} {'engine':<10} {'SQL ms':>9} {'motcua ms':>9} {'ratio':>8}  figures")
for unit, period in queries:
    p, mine, motcua_ms = motcua_figures(unit, period)
    ids = subtree(unit["id"])
    a, b, z = p["first_day"], p["last_day"], p["as_of"]
    start = time.perf_counter()
    rows = db.execute(sqlite_sql(ids), {"a": a, "b": b, "z": z}).fetchall()
    ms = (time.perf_counter() - start) * 1000
    theirs = add(rows)
    same = "equal" if theirs == mine else f"DIFFER sql={theirs} motcua={mine}"
    print(f"{unit['name'][:52]:<52} {period:<11} {'SQLite':<10} {ms:9.0f} {motcua_ms:9.2f} {ms / motcua_ms:8.0f}  {same}",
          flush=True)
    if pg_url:
        sql = pg_sql(ids, a, b, z)
        start = time.perf_counter()
        out = subprocess.run(["psql", pg_url, "-AtF", "\t", "-c", sql], check=True, capture_output=True, text=True).stdout
        ms = (time.perf_counter() - start) * 1000
        theirs = add([line.split("\t") for line in out.splitlines() if line])
        same = "equal" if theirs == mine else f"DIFFER sql={theirs} motcua={mine}"
        print(f"{'':<52} {'':<11} {'PostgreSQL':<10} {ms:9.0f} {motcua_ms:9.2f} {ms / motcua_ms:8.0f}  {same}",
              flush=True)
