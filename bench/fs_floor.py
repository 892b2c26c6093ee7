#!/usr/bin/env python3
"""The kernel's own cost of making a site's files: a floor under any build of them.

Usage: fs_floor.py BUILT_SITE NEW_DIR

Lists the files of BUILT_SITE (a build's output) with their sizes, then, timed, makes
the same folders and files under NEW_DIR (which must not exist): one mkdir per folder,
then open, one write of that many bytes and close per file, as a generator does. The
bytes are zeros: writing them costs the kernel what writing the pages costs. Prints
`WALL USER SYS` in seconds; SYS is the floor (USER is this script's own loop). The
files are left for the caller to delete.
"""

import os
import sys
import time


def main() -> None:
    src, dst = sys.argv[1], sys.argv[2]
    files = []
    for root, _dirs, names in os.walk(src):
        rel = os.path.relpath(root, src)
        for name in names:
            size = os.path.getsize(os.path.join(root, name))
            files.append((os.path.normpath(os.path.join(dst, rel, name)), size))
    # Sorted, a folder comes before the folders inside it.
    folders = sorted({os.path.dirname(path) for path, _ in files} | {dst})
    zeros = memoryview(bytes(max((size for _, size in files), default=0)))

    before, start = os.times(), time.monotonic()
    for folder in folders:
        os.makedirs(folder, exist_ok=True)
    for path, size in files:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        written = 0
        while written < size:
            written += os.write(fd, zeros[written:size])
        os.close(fd)
    after, end = os.times(), time.monotonic()
    print(f"{end - start:.2f} {after.user - before.user:.2f} {after.system - before.system:.2f}")


if __name__ == "__main__":
    main()
