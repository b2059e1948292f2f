"""What the differential scripts beside this file (flags-vs-rg.py, input-vs-rg.py,
multiline-vs-rg.py) share; not run by `cargo test`."""


def untimed(out):
    """Drops what differs from run to run: times in --stats and --json."""
    lines = []
    for line in out.split(b"\n"):
        if b"seconds" in line:
            continue
        while b'"elapsed' in line:
            i = line.index(b'"elapsed')
            j = line.index(b"}", i) + 1
            line = line[:i] + line[j:]
        lines.append(line)
    return b"\n".join(lines)
