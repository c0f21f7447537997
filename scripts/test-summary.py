#!/usr/bin/python3
# test-summary.py -- count the individual tests inside meson's test log: Check's
# "Checks: N, Failures: F, Errors: E", pytest's "N passed, M failed, K skipped", the fuzz
# replay's "N passed, M failed". Prints "<label>: P passed, F failed, S skipped".
# Usage: test-summary.py LABEL BUILD_DIR [BUILD_DIR ...]
# SPDX-License-Identifier: BSD-3-Clause
import json
import re
import sys

label, dirs = sys.argv[1], sys.argv[2:]
passed = failed = skipped = 0
for d in dirs:
    try:
        lines = open(d + "/meson-logs/testlog.json").read().splitlines()
    except OSError:
        continue
    for line in lines:
        t = json.loads(line)
        out = t.get("stdout") or ""
        m = re.search(r"Checks: (\d+), Failures: (\d+), Errors: (\d+)", out)
        if m:
            n, f, e = map(int, m.groups())
            passed += n - f - e
            failed += f + e
            continue
        tail = out.strip().splitlines()[-3:] if out.strip() else []
        counted = False
        for l in reversed(tail):
            if re.search(r"\d+ (passed|failed)", l):
                for num, kind in re.findall(r"(\d+) (passed|failed|skipped|errors?)", l):
                    num = int(num)
                    if kind == "passed":
                        passed += num
                    elif kind == "skipped":
                        skipped += num
                    else:
                        failed += num
                counted = True
                break
        if not counted:
            # A test binary without a recognised summary counts as one test.
            if t.get("result") == "OK":
                passed += 1
            else:
                failed += 1
print("%s: %d passed, %d failed, %d skipped" % (label, passed, failed, skipped))
