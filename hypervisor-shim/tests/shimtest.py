"""Helpers the shim's test scripts share: exit statuses and platform
constants read from the headers that own them, and result reporting."""
import os
import re

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def defines(path):
    """Every `#define NAME number` of a header, as a dict."""
    with open(os.path.join(TOP, path)) as f:
        text = f.read()
    return {m[1]: int(m[2], 0) for m in re.finditer(r"#define (\w+) \(?(-?(?:0x)?[0-9a-fA-F]+)\)?\s", text)}


EXIT = defines("hypervisor-shim/exit_status.h")
PLATFORM = defines("abi/include/vmi/vmi_platform.h")


def debug_exit_status(value):
    return ((value << 1) | 1) & 0xFF


class Results:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, ok, what, detail=""):
        if ok:
            self.passed += 1
            print(f"ok {what}")
        else:
            self.failed += 1
            print(f"not ok {what}" + (f": {detail}" if detail else ""))
        return ok

    def summary(self):
        print(f"{self.passed} passed, {self.failed} failed")
        return 1 if self.failed else 0
