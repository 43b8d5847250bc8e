#!/usr/bin/env python3
"""What flushing the WAL at every commit costs on this machine's disk: 1,000 one-row commits into a WAL-mode SQLite
database in the benchmarks' work folder (the disk the workspaces live on), with PRAGMA synchronous = FULL (what a
command uses) and NORMAL (what `linkstar serve` uses; README, Workspace: durability).
Usage: python3 Benchmarks/flush.py   (COMMITS=1000)"""
import os, sqlite3, time

work = os.environ.get("WORK", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build-bench"))
os.makedirs(work, exist_ok=True)
path = os.path.join(work, "flush.sqlite")
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(path + suffix):
        os.remove(path + suffix)
commits = int(os.environ.get("COMMITS", "1000"))
setup = sqlite3.connect(path, isolation_level=None)
setup.execute("PRAGMA journal_mode = WAL")
setup.execute("CREATE TABLE t (x INTEGER)")
setup.close()
for mode in ("FULL", "NORMAL"):
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute(f"PRAGMA synchronous = {mode}")
    start = time.perf_counter()
    for i in range(commits):
        connection.execute("BEGIN")
        connection.execute("INSERT INTO t VALUES (?)", (i,))
        connection.execute("COMMIT")
    elapsed = time.perf_counter() - start
    connection.close()
    print(f"synchronous = {mode}: {elapsed / commits * 1e6:.0f} µs a commit ({commits} one-row commits)")
