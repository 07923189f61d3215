"""The launcher checks a scenario completely before QEMU starts, and says what is wrong."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TOOLS))

from hvlab.bundle import build_bundle, bundle_dts  # noqa: E402
from hvlab.scenario import (ScenarioError, check_images, load_scenario,  # noqa: E402
                            parse_size, scenario_from_dict)

GOOD_VM = {"name": "one", "kernel": "one.bin", "vcpus": 1,
           "memory": [{"base": 0x84000000, "size": "16M"}], "identity": True}


def scenario(tmp_path: Path, **vm_changes: object) -> dict:
    (tmp_path / "one.bin").write_bytes(b"\x13\x00\x00\x00" * 16)
    vm = dict(GOOD_VM, **vm_changes)
    return {"machine": {"memory": "256M"}, "vm": [vm]}


def load(tmp_path: Path, doc: dict):
    return scenario_from_dict(doc, tmp_path / "s.toml", "riscv64")


def test_sizes() -> None:
    assert parse_size("16M", "x") == 16 << 20
    assert parse_size("512K", "x") == 512 << 10
    assert parse_size(4096, "x") == 4096
    with pytest.raises(ScenarioError, match="is not a size"):
        parse_size("lots", "here")


def test_good_scenario_loads(tmp_path: Path) -> None:
    s = load(tmp_path, scenario(tmp_path))
    check_images(s)
    vm = s.vms[0]
    assert (vm.load, vm.entry, vm.vcpus, s.memory_mib) == (0x84000000, 0x84000000, 1, 256)


@pytest.mark.parametrize("changes,message", [
    ({"name": "no spaces allowed"}, r"vm\[0\]: name 'no spaces allowed' must be"),
    ({"vcpus": 0}, r"vm\[0\] \(one\): vcpus: expected an integer >= 1"),
    ({"vcpus": 99}, r"vcpus = 99, at most 8"),
    ({"memory": []}, r"memory must be a list"),
    ({"memory": [{"base": 0x84000001, "size": "16M"}]}, r"multiples of 4 KiB"),
    ({"memory": [{"base": 0x84000000, "size": "16M"}, {"base": 0x84800000, "size": "16M"}]},
     r"overlap"),
    ({"colour": "blue"}, r"unknown key\(s\) colour"),
    ({"identity": "yes"}, r"identity must be true or false"),
    ({"fault": "maybe"}, r'fault must be "stop" or "inject"'),
    ({"devices": [{"type": "gpu", "base": 0x10000000}]}, r"devices\[0\]: expected"),
    ({"devices": [{"type": "testdev", "base": 0x10010000, "size": 0x800}]},
     r"multiples of 4 KiB"),
    ({"devices": [{"type": "testdev", "base": 0x10010000, "size": 0x2000}]},
     r"a testdev is 0x1000 bytes"),
    ({"devices": [{"type": "testdev", "base": 0x84001000}]}, r"overlaps the VM's memory"),
    ({"devices": [{"type": "testdev", "base": 0x10010000},
                  {"type": "passthrough", "base": 0x10010000, "irq": 3}]},
     r"overlaps another device"),
    ({"devices": [{"type": "testdev", "base": 0x10000000 + i * 0x1000} for i in range(5)]},
     r"more than 4 devices"),
    ({"dtb": "yes"}, r"dtb must be true or false"),
    ({"devices": [{"type": "uart", "base": 0x10000000}]}, r"a uart is 0x1000 bytes with an irq"),
    ({"devices": [{"type": "uart", "base": 0x10000000, "irq": 97}]}, r"irq between 1 and 96"),
    ({"devices": [{"type": "uart", "base": 0x10000000, "irq": 10},
                  {"type": "uart", "base": 0x10001000, "irq": 11}]}, r"a VM has one uart"),
    ({"devices": [{"type": "uart", "base": 0x10000000, "irq": 8},
                  {"type": "passthrough", "base": 0x10008000, "irq": 8}]},
     r"irq 8 belongs to another device"),
    ({"identity": False, "devices": [{"type": "passthrough", "base": 0x10008000, "irq": 8}]},
     r"passthrough needs the VM's RAM identity-mapped .*DMA.*no IOMMU"),
    ({"vcpus": 2, "cpus": [0]}, r"cpus must list one CPU number .* per vCPU \(2\)"),
    ({"cpus": [-1]}, r"cpus must list one CPU number"),
    ({"cpus": [1]}, r"vm\[0\] \(one\): cpus names CPU 1, but the machine has 1 \(smp = 1\)"),
])
def test_bad_vm_is_named(tmp_path: Path, changes: dict, message: str) -> None:
    doc = scenario(tmp_path, **changes)
    with pytest.raises(ScenarioError, match=message):
        load(tmp_path, doc)


@pytest.mark.parametrize("changes,message", [
    ({"kernel": "missing.bin"}, r"kernel .*missing.bin does not exist"),
    ({"load": 0x84000000 + (16 << 20) - 8}, r"kernel one.bin .* does not fit in its memory"),
    ({"entry": 0x90000000}, r"entry 0x90000000 is outside the VM's memory"),
    ({"load": 0x70000000}, r"load address 0x70000000 is outside"),
])
def test_bad_image_is_named(tmp_path: Path, changes: dict, message: str) -> None:
    s = load(tmp_path, scenario(tmp_path, **changes))
    with pytest.raises(ScenarioError, match=r"vm\[0\] \(one\): " + message):
        check_images(s)


def test_affinity_goes_into_the_bundle(tmp_path: Path) -> None:
    doc = scenario(tmp_path, vcpus=3, cpus=[1, 0, 1])
    doc["machine"]["smp"] = 2
    s = load(tmp_path, doc)
    assert s.smp == 2 and s.vms[0].affinity == [1, 0, 1]
    assert "affinity = <1 0 1>;" in bundle_dts(s)
    del doc["vm"][0]["cpus"]
    assert "affinity =" not in bundle_dts(load(tmp_path, doc))
    doc["machine"]["smp"] = 9
    with pytest.raises(ScenarioError, match=r"smp = 9, at most 8 harts"):
        load(tmp_path, doc)


def test_identity_vms_may_not_share_memory(tmp_path: Path) -> None:
    doc = scenario(tmp_path)
    doc["vm"].append(dict(GOOD_VM, name="two"))
    with pytest.raises(ScenarioError, match="one and two claim the same host memory"):
        load(tmp_path, doc)


def test_a_device_has_one_owner(tmp_path: Path) -> None:
    doc = scenario(tmp_path, devices=[{"type": "passthrough", "base": 0x10008000, "irq": 8}])
    doc["vm"].append(dict(doc["vm"][0], name="two",
                          memory=[{"base": 0x86000000, "size": "16M"}]))
    with pytest.raises(ScenarioError, match="one and two are both given the host device at "
                                            "0x10008000"):
        load(tmp_path, doc)


def test_disks_must_exist(tmp_path: Path) -> None:
    doc = scenario(tmp_path)
    doc["machine"]["disks"] = ["nowhere.img"]
    with pytest.raises(ScenarioError, match=r"disks: .*nowhere.img does not exist"):
        load(tmp_path, doc)
    (tmp_path / "disk.img").write_bytes(bytes(4096))
    doc["machine"]["disks"] = ["disk.img"]
    assert load(tmp_path, doc).disks == [tmp_path / "disk.img"]


def test_toml_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.toml"
    bad.write_text("[[vm]\nname = ")
    with pytest.raises(ScenarioError, match="broken.toml"):
        load_scenario(bad, "riscv64")


def test_bundle_compiles(tmp_path: Path) -> None:
    s = load(tmp_path, scenario(tmp_path, bootargs='say "hi"'))
    dts = bundle_dts(s)
    assert 'compatible = "hvlab,bundle-v1"' in dts and "identity;" in dts
    out = build_bundle(s, tmp_path / "b.dtb")
    assert out.read_bytes()[:4] == b"\xd0\x0d\xfe\xed"
    assert 'bootargs = "say \\"hi\\""' in out.with_suffix(".dts").read_text()


def test_hvrun_refuses_before_qemu(tmp_path: Path) -> None:
    doc_path = tmp_path / "bad.toml"
    (tmp_path / "one.bin").write_bytes(b"\0" * 64)
    doc_path.write_text('[[vm]]\nname = "one"\nkernel = "one.bin"\nvcpus = 0\n'
                        'memory = [{ base = 0x84000000, size = "16M" }]\n')
    kernel = tmp_path / "hv.bin"
    kernel.write_bytes(b"\0" * 16)
    done = subprocess.run(["/usr/bin/python3", str(TOOLS / "hvrun.py"), "--kernel", str(kernel),
                           "--scenario", str(doc_path)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode != 0
    assert "bad.toml: vm[0] (one): vcpus" in done.stderr
    assert "qemu-system" not in done.stdout
