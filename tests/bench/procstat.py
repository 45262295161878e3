"""CPU time and resident memory of a process and of its whole tree, read from /proc (Linux)."""

import os

_TICK_US = 1e6 / os.sysconf("SC_CLK_TCK")


def _stat_fields(pid):
    with open(f"/proc/{pid}/stat", "rb") as f:
        text = f.read().decode(errors="replace")
    # The command name (field 2) may hold spaces and parentheses; the rest follows its last ')'.
    return text[text.rindex(")") + 2:].split()


def cpu_us(pid):
    """utime + stime of pid (every thread), in microseconds; children excluded."""
    try:
        f = _stat_fields(pid)
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(f[11]) + int(f[12])) * _TICK_US


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def descendants(pid):
    """Every process below pid (not pid itself), found through the parent ids in /proc."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            ppid = int(_stat_fields(entry)[1])
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], list(children.get(pid, []))
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def tree_rss_kb(pid, include_self=True):
    """Sum of VmRSS over the tree. Pages shared between processes count once per process."""
    pids = descendants(pid) + ([pid] if include_self else [])
    return sum(rss_kb(p) for p in pids)


def tree_cpu_us(pid, include_self=True):
    pids = descendants(pid) + ([pid] if include_self else [])
    return sum(cpu_us(p) for p in pids)


def system_busy_us():
    """CPU time spent by the whole machine (every CPU, every process) since boot, not idle."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal ...: everything but idle and iowait.
    return (sum(fields[:8]) - fields[3] - fields[4]) * _TICK_US
