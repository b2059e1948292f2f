"""What the differential scripts beside this file (flags-vs-rg.py, input-vs-rg.py,
multiline-vs-rg.py) share; not run by `cargo test`."""
import re

# --stats' two time lines ("0.000043 seconds spent searching", "0.002893 seconds total"),
# at the start of a line or after a NUL (--null-data ends the output before them with NUL).
STATS_TIME = re.compile(rb"(^|\x00)\d+\.\d+ seconds( spent searching| total)$")


def untimed(out):
    """Drops what differs from run to run: times in --stats and --json."""
    lines = []
    for line in out.split(b"\n"):
        m = STATS_TIME.search(line)
        if m:
            line = line[: m.start()] + m.group(1)
            if not line:
                continue
        while b'"elapsed' in line:
            i = line.index(b'"elapsed')
            j = line.index(b"}", i) + 1
            line = line[:i] + line[j:]
        lines.append(line)
    return b"\n".join(lines)
