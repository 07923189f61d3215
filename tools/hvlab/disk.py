"""Disk images for passthrough: a small ext2 file system made from a dict of files."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


class DiskError(RuntimeError):
    pass


def _tool(name: str) -> str:
    """e2fsprogs' tools live in /sbin, which a user's PATH may lack."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if not found:
        raise DiskError(f"{name} is not installed (tools/deps.sh installs e2fsprogs)")
    return found


def make_ext2(out: Path, files: dict[str, str], size_kib: int = 4096) -> Path:
    """Writes an ext2 image of size_kib KiB holding `files` (path -> text) to out."""
    with tempfile.TemporaryDirectory(prefix="hvlab-disk-") as tmp:
        root = Path(tmp)
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        done = subprocess.run([_tool("mke2fs"), "-q", "-F", "-t", "ext2", "-d", str(root),
                               str(out), f"{size_kib}K"], capture_output=True, text=True,
                              timeout=60)
    if done.returncode != 0:
        raise DiskError(f"mke2fs could not make {out}: {done.stderr.strip()}")
    return out


def read_ext2_file(image: Path, name: str) -> str | None:
    """The text of /name in the image, or None when there is no such file."""
    done = subprocess.run([_tool("debugfs"), "-R", f"cat /{name}", str(image)],
                          capture_output=True, text=True, timeout=60)
    if done.returncode != 0 or "File not found" in done.stderr:
        return None
    return done.stdout
