"""Device-tree surgery for tests: decompile a blob, cut or change a node, compile it again."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

from .outcomes import InfraError


def _dtc(args: list[str], data: bytes) -> bytes:
    try:
        done = subprocess.run(["dtc", "-q", *args], input=data, capture_output=True,
                              timeout=60)
    except FileNotFoundError:
        raise InfraError("dtc is not installed (tools/deps.sh installs "
                         "device-tree-compiler)") from None
    if done.returncode != 0:
        raise InfraError(f"dtc {' '.join(args)} failed: {done.stderr.decode().strip()}")
    return done.stdout


def dtb_to_dts(dtb: Path) -> str:
    return _dtc(["-I", "dtb", "-O", "dts"], dtb.read_bytes()).decode()


def dts_to_dtb(dts: str, out: Path) -> Path:
    out.write_bytes(_dtc(["-I", "dts", "-O", "dtb"], dts.encode()))
    return out


def _node_span(dts: str, node: str) -> tuple[int, int]:
    """Start and end (after '};' and its newline) of the first node named `node`."""
    m = re.search(rf"^([ \t]*){re.escape(node)} {{\n", dts, re.M)
    if not m:
        raise InfraError(f"the device tree has no node '{node}'")
    indent = m.group(1)
    end = re.compile(rf"^{indent}}};\n", re.M).search(dts, m.end())
    if not end:
        raise InfraError(f"cannot find the end of node '{node}'")
    return m.start(), end.end()


def remove_node(dts: str, node: str) -> str:
    start, end = _node_span(dts, node)
    return dts[:start] + dts[end:]


def set_property(dts: str, node: str, prop: str, value: str) -> str:
    """Replaces `prop = ...;` inside `node` with `prop = value;`."""
    start, end = _node_span(dts, node)
    body, n = re.subn(rf"^([ \t]*){re.escape(prop)} = [^;]*;", rf"\g<1>{prop} = {value};",
                      dts[start:end], count=1, flags=re.M)
    if n != 1:
        raise InfraError(f"node '{node}' has no property '{prop}'")
    return dts[:start] + body + dts[end:]


def add_node(dts: str, node: str, properties: dict[str, str]) -> str:
    """Adds `node { prop = value; ... };` as the root's last child."""
    end = dts.rstrip().rfind("};")
    if end < 0:
        raise InfraError("the device tree has no root node")
    body = "".join(f"\t\t{prop} = {value};\n" for prop, value in properties.items())
    return dts[:end] + f"\t{node} {{\n{body}\t}};\n" + dts[end:]
