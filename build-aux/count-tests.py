#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Counts test cases in meson's JSON test logs: every TAP "ok"/"not ok" line of
a TAP test, one case for any other test. Prints the failures (with the exit
status and the last lines the test printed when it crashed), then a last line
"N passed, N failed"."""
import json
import re
import sys

passed = failed = 0


def tail(test):
    """The exit status and last lines of a test that ended badly."""
    print(f"  exit status {test.get('returncode')}, {test.get('duration', 0):.1f} s")
    for stream in ("stdout", "stderr"):
        for line in (test.get(stream) or "").splitlines()[-12:]:
            print(f"  {stream}: {line}")


for log in sys.argv[1:]:
    try:
        lines = open(log, encoding="utf-8").read().splitlines()
    except OSError:
        print(f"{log}: missing (the build failed?)")
        failed += 1
        continue
    for line in lines:
        test = json.loads(line)
        setup = " (valgrind)" if "valgrind" in log else ""
        name = f"{log.split('/')[0]}{setup}:{test['name']}"
        if re.search(r"^1\.\.\d+$", test.get("stdout") or "", re.M):
            cases = re.findall(r"^(ok|not ok) \d+ (.*)$", test["stdout"], re.M)
            for verdict, case in cases:
                if verdict == "ok":
                    passed += 1
                else:
                    failed += 1
                    print(f"FAILED {name} {case}")
            if test["result"] != "OK" and not any(v == "not ok" for v, _ in cases):
                failed += 1
                print(f"FAILED {name}: {test['result']} (crashed or timed out)")
                tail(test)
        elif test["result"] in ("OK", "EXPECTEDFAIL"):
            passed += 1
        else:
            failed += 1
            print(f"FAILED {name}: {test['result']}")
            tail(test)
print(f"{passed} passed, {failed} failed")
