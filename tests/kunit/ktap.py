#!/usr/bin/env python3
"""ktap.py FILE: turn KUnit's KTAP output (the kernel log of a test module's
load, or a debugfs results file) into one line per leaf test:
"ok kunit/<suite>/[<case>/]<name>" or "not ok ...". A parameterised case
counts once per parameter. Each suite's "# Totals: ... total:T" line must
match the number of leaves found in it, and a file without any result
fails: a suite that did not run, or ran unseen, never passes silently."""
import re
import sys

RESULT = re.compile(r"^(\s*)(ok|not ok) \d+ (?:- )?(.*?)(?:\s+#\s*(SKIP.*))?\s*$")
SUBTEST = re.compile(r"^(\s*)# Subtest: (\S+)")
TOTALS = re.compile(r"^\s*# Totals: pass:\d+ fail:\d+ skip:\d+ total:(\d+)")


def main(path):
    stack = []      # (indent, name) of the subtests open above a line
    below = {}      # indent -> results seen deeper since the last one here
    leaves = 0
    status = 0
    found = 0
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        m = SUBTEST.match(line)
        if m:
            indent = len(m.group(1))
            while stack and stack[-1][0] >= indent:
                stack.pop()
            stack.append((indent, m.group(2)))
            continue
        m = TOTALS.match(line)
        if m:
            suite = stack[0][1] if stack else "unknown"
            if int(m.group(1)) != leaves:
                print("not ok kunit/%s/all-cases-reported (%s reported, %d seen)"
                      % (suite, m.group(1), leaves))
                status = 1
            leaves = 0
            continue
        m = RESULT.match(line)
        if not m:
            continue
        indent, ok, name, skip = len(m.group(1)), m.group(2) == "ok", m.group(3), m.group(4)
        parent = any(n for i, n in below.items() if i > indent)
        for i in list(below):
            if i > indent:
                below[i] = 0
        below[indent] = below.get(indent, 0) + 1
        if parent:
            continue
        path_names = [n for i, n in stack if i < indent or (i == indent and n != name)]
        full = "/".join(path_names + [name]).replace(" ", "-")
        print(("ok" if ok else "not ok") + " kunit/" + full + (" # SKIP" if skip else ""))
        status |= not ok
        leaves += 1
        found += 1
    if not found:
        print("not ok kunit/results (no KUnit results in %s)" % path)
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
