"""The pass/fail bookkeeping the script self-tests share (scripts/tests/*_selftest.py).

    check = Checks()
    check(cond, "what was checked")   # prints "ok   ..." or "FAIL ..." and counts failures
    return check.summary()            # prints the tally; 0 if every check passed, else 1
"""


class Checks:
    def __init__(self):
        self.failures = 0

    def __call__(self, cond, what):
        print(("ok   " if cond else "FAIL ") + what)
        if not cond:
            self.failures += 1

    def summary(self):
        print(f"{self.failures} check(s) failed" if self.failures else "all checks passed")
        return 1 if self.failures else 0
