#!/usr/bin/env python3
"""hvgdb - attach gdb-multiarch to the QEMU that `make qemu-gdb` started."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hvlab.qemu import gdb_command  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--arch", default="riscv64")
    ap.add_argument("--elf", type=Path, required=True, help="the image with symbols")
    ap.add_argument("--port-file", type=Path, default=Path(".gdbport"))
    ap.add_argument("--batch", action="store_true", help="run the --ex commands and exit")
    ap.add_argument("--ex", action="append", default=[], help="a GDB command to run")
    args = ap.parse_args()

    if not args.port_file.is_file():
        sys.exit(f"hvgdb: {args.port_file} not found: start 'make qemu-gdb' first")
    port = int(args.port_file.read_text().strip())
    cmd = gdb_command(args.arch, args.elf, port, args.ex, batch=args.batch)
    print("hvgdb: " + " ".join(cmd), flush=True)
    os.execvp(cmd[0], cmd)


if __name__ == "__main__":
    sys.exit(main())
