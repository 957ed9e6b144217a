#!/usr/bin/env python3
"""Prints one line "N passed, M failed" from meson test logs.

Every TAP result counts (a GTest case is one test); a test program that
failed without TAP output, or was killed by its timeout, counts as one
failure; programs that are not TAP count by their own result. "--also P F"
adds the results of a step that writes no meson log.
"""
import json
import re
import sys

PASS = {"OK", "EXPECTEDFAIL"}
FAIL = {"FAIL", "UNEXPECTEDPASS", "TIMEOUT", "ERROR"}
TAP_LINE = re.compile(r"^(not ok|ok)\b(.*)$")

passed = failed = skipped = 0
# Named again at the end: CI keeps only the tail of what it printed.
failures = []
paths = sys.argv[1:]
if paths[:1] == ["--also"]:
    # Results of a step that writes no meson log (the fuzzing run).
    passed += int(paths[1])
    failed += int(paths[2])
    paths = paths[3:]
for path in paths:
    with open(path, encoding="utf-8") as log:
        for line in log:
            test = json.loads(line)
            if test["result"] == "EXPECTEDFAIL":
                # A test that must fail (should_fail): its own "not ok" lines are the point.
                passed += 1
                continue
            results = []
            for out_line in (test.get("stdout") or "").splitlines():
                match = TAP_LINE.match(out_line)
                if match:
                    results.append((match.group(1), match.group(2)))
            if results:
                for verdict, rest in results:
                    if "# SKIP" in rest.upper():
                        skipped += 1
                    elif verdict == "ok":
                        passed += 1
                    else:
                        failed += 1
                        failures.append((path, test, "not ok" + rest))
                if test["result"] in FAIL and all(v == "ok" for v, _ in results):
                    failed += 1  # crashed or timed out after its last result
                    failures.append((path, test, test["result"] + " after its last result"))
            elif test["result"] in PASS:
                passed += 1
            elif test["result"] in FAIL:
                failed += 1
                failures.append((path, test, test["result"]))
            else:
                skipped += 1

for path, test, what in failures:
    print(f"FAILED in {path}: {test['name']}: {what.strip()}")
    # The last words of the program, where a crash or an assertion says why.
    for stream in ("stdout", "stderr"):
        for line in (test.get(stream) or "").splitlines()[-12:]:
            print(f"    {stream}: {line[:300]}")
print(f"({skipped} skipped)")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
