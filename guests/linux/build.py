#!/usr/bin/python3
"""build.py - build the hvlab Linux guest: one riscv64 kernel Image with its initramfs inside.

    guests/linux/build.py [--arch riscv64] [--print-path] [--force] [--quiet]

What it builds, in a cache outside the tree,
    ${XDG_CACHE_HOME:-$HOME/.cache}/hvlab/linux/<arch>/<key>/Image
where <key> hashes everything the Image is made from: the Debian versions of linux-source-6.1
and of the busybox source, the cross compiler's version, config.fragment, busybox.fragment,
init.c and this file. A finished build is reused ("cached"); any change to those makes a new
key and a new build. Stages (see README.md):

    1. the Linux source: /usr/src/linux-source-6.1.tar.xz, extracted once into the cache
    2. the busybox source: `apt-get source` through a private apt configuration in the cache
       (deb-src of bookworm main), `dpkg-source -x`, once per version
    3. init: init.c, static, cross-compiled
    4. busybox: allnoconfig + busybox.fragment, static, cross-compiled
    5. the initramfs: a file list, the kernel's own usr/gen_init_cpio with a pinned mtime
    6. the kernel config: tinyconfig + config.fragment, olddefconfig, then checked
    7. the kernel: make Image, with the initramfs built in

Everything is built in <key>.tmp-<pid>/ beside the final directory and renamed into place only
when complete, so an interrupted or failed build leaves nothing that looks finished; the next
run removes the leftovers. Builds run under `nice -n 10` with `make -j2`. Progress goes to
stderr (one line per stage, plus the compilers' own "CC ..." lines, or with --quiet a
"still building" line every 30 s); with --print-path the Image's path is the one line on stdout.
Python 3 standard library only.
"""

import argparse
import contextlib
import fcntl
import hashlib
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ARCHES = {
    # arch: (kernel ARCH, cross compiler prefix, kernel image path in the build tree)
    "riscv64": ("riscv", "riscv64-linux-gnu-", "arch/riscv/boot/Image"),
}
LINUX_PKG = "linux-source-6.1"
LINUX_TARBALL = "/usr/src/linux-source-6.1.tar.xz"
LINUX_TOPDIR = "linux-source-6.1"  # the tarball's top directory
BUSYBOX_PKG = "busybox"
APT_MIRROR = "http://deb.debian.org/debian"
APT_SUITE = "bookworm"
APT_KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"
# Every file time in the initramfs, and the kernel's build timestamp: 2023-01-01 00:00:00 UTC.
PINNED_EPOCH = 1672531200
JOBS = 2
HEARTBEAT_S = 30
LOG_TAIL = 40
# The inputs hashed into the key, besides the versions.
KEY_FILES = ("config.fragment", "busybox.fragment", "init.c", "build.py")
# Tools each stage needs, checked up front: command -> Debian package that has it.
TOOLS = {
    "make": "make", "gcc": "gcc", "tar": "tar", "xz": "xz-utils", "flex": "flex",
    "bison": "bison", "bc": "bc", "perl": "perl", "apt-get": "apt",
    "dpkg-source": "dpkg-dev", "nice": "coreutils",
}
# Variables from the caller's environment that would change what make does.
SCRUB_ENV = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEFILES", "ARCH", "CROSS_COMPILE", "O",
             "KBUILD_OUTPUT", "KCONFIG_CONFIG", "KCONFIG_ALLCONFIG", "KCFLAGS", "KCPPFLAGS",
             "KAFLAGS", "CFLAGS", "CPPFLAGS", "LDFLAGS", "EXTRA_CFLAGS", "CC", "LD", "AR")


class BuildError(Exception):
    """A stage failed: message, and optionally the log whose tail explains it."""

    def __init__(self, message, log=None):
        super().__init__(message)
        self.log = log


class StaleIndex(Exception):
    """The private apt index names a busybox version the mirror no longer has."""


def say(msg):
    print(f"linux: {msg}", file=sys.stderr, flush=True)


def fmt_time(seconds):
    seconds = int(seconds + 0.5)
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


def build_env():
    env = {k: v for k, v in os.environ.items() if k not in SCRUB_ENV}
    env.update({
        "LC_ALL": "C",
        "SOURCE_DATE_EPOCH": str(PINNED_EPOCH),
        "KBUILD_BUILD_TIMESTAMP": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(PINNED_EPOCH)),
        "KBUILD_BUILD_USER": "hvlab",
        "KBUILD_BUILD_HOST": "hvlab",
        "KBUILD_BUILD_VERSION": "1",
        "KCONFIG_NOTIMESTAMP": "1",
    })
    return env


def run(cmd, log, cwd=None, show=None, stdin=None, label=None):
    """Run cmd, appending its output to the file log. Lines matching the regex show are echoed
    (indented); if nothing was echoed for HEARTBEAT_S seconds a "still building" line is.
    Raises BuildError with the log on a non-zero exit."""
    start = time.monotonic()
    with open(log, "ab") as out:
        out.write(("$ " + " ".join(cmd) + "\n").encode())
        out.flush()
        # its own process group, so that an interrupted build can stop make and its compilers
        proc = subprocess.Popen(cmd, cwd=cwd, env=build_env(), stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, start_new_session=True,
                                stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL)
        if stdin is not None:
            def feed():
                try:
                    proc.stdin.write(stdin)
                    proc.stdin.close()
                except OSError:
                    pass
            threading.Thread(target=feed, daemon=True).start()
        lines = queue.Queue()

        def pump():
            for raw in iter(proc.stdout.readline, b""):
                lines.put(raw)
            lines.put(None)

        threading.Thread(target=pump, daemon=True).start()
        last_shown = time.monotonic()
        try:
            while True:
                try:
                    raw = lines.get(timeout=1.0)
                except queue.Empty:
                    raw = b""
                if raw is None:
                    break
                if raw:
                    out.write(raw)
                    text = raw.decode(errors="replace").rstrip()
                    if show is not None and show.match(text):
                        print(f"linux:   {text.strip()}", file=sys.stderr, flush=True)
                        last_shown = time.monotonic()
                now = time.monotonic()
                if now - last_shown >= HEARTBEAT_S:
                    say(f"  still building{' ' + label if label else ''}, {int(now - start)} s")
                    last_shown = now
            rc = proc.wait()
        except BaseException:
            stop_group(proc)
            raise
    if rc != 0:
        raise BuildError(f"{' '.join(cmd[:6])}{' ...' if len(cmd) > 6 else ''} failed (exit {rc})", log)


def stop_group(proc):
    """Stop a child started by run() and everything it started (make, compilers)."""
    for sig, grace in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            pass


def on_termination(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def capture(cmd):
    """Output of a quick query command, or None when it fails or is missing."""
    try:
        res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             env=build_env(), check=False)
    except OSError:
        return None
    return res.stdout.decode().strip() if res.returncode == 0 else None


# ---------------------------------------------------------------- config fragments

def read_fragment(path):
    """The CONFIG_ settings of a fragment, in order: name -> value, 'n' for '# ... is not set'."""
    settings = {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            m = re.fullmatch(r"# (CONFIG_\w+) is not set", line)
            if m:
                settings[m.group(1)] = "n"
                continue
            if not line or line.startswith("#"):
                continue
            m = re.fullmatch(r"(CONFIG_\w+)=(.*)", line)
            if not m:
                raise BuildError(f"{path}:{n}: not a CONFIG_ line: {line}")
            settings[m.group(1)] = m.group(2)
    return settings


def config_line(name, value):
    return f"# {name} is not set\n" if value == "n" else f"{name}={value}\n"


def apply_fragment(config, settings, forget=None):
    """Rewrite the .config file config with settings; lines of symbols matching the regex
    forget are dropped too, so that oldconfig gives them their defaults."""
    kept = []
    with open(config) as f:
        for line in f:
            m = re.match(r"(?:# )?(CONFIG_\w+)[= ]", line)
            if m and (m.group(1) in settings or (forget and forget.fullmatch(m.group(1)))):
                continue
            kept.append(line)
    kept += [config_line(k, v) for k, v in settings.items()]
    with open(config, "w") as f:
        f.writelines(kept)


def check_fragment(config, settings, fragment):
    """Fail, naming them, if settings of the fragment did not survive into config."""
    got = {}
    with open(config) as f:
        for line in f:
            m = re.fullmatch(r"(CONFIG_\w+)=(.*)\n?", line)
            if m:
                got[m.group(1)] = m.group(2)
    bad = [f"  {k}: wanted {v}, got {got.get(k, 'n')}" for k, v in settings.items()
           if got.get(k, "n") != v]
    if bad:
        raise BuildError(f"{os.path.basename(fragment)}: settings lost to dependencies "
                         f"(fix the fragment; see {config}):\n" + "\n".join(bad))


# ---------------------------------------------------------------- sources

class Apt:
    """apt-get with a private deb-src configuration in the cache: never touches /etc/apt."""

    def __init__(self, root):
        self.root = root
        self.sources = os.path.join(root, "sources.list")
        self.lists = os.path.join(root, "lists")

    def opts(self):
        return ["-o", f"Dir::Etc::SourceList={self.sources}", "-o", "Dir::Etc::SourceParts=-",
                "-o", f"Dir::State::Lists={self.lists}",
                "-o", f"Dir::Cache={os.path.join(self.root, 'cache')}",
                "-o", "Dir::Cache::pkgcache=", "-o", "Dir::Cache::srcpkgcache=",
                "-o", "APT::Sandbox::User=root", "-q"]

    def has_index(self):
        return os.path.isdir(self.lists) and any("_source_Sources" in n for n in os.listdir(self.lists))

    def update(self, log):
        os.makedirs(os.path.join(self.lists, "partial"), exist_ok=True)
        os.makedirs(os.path.join(self.root, "cache", "archives", "partial"), exist_ok=True)
        with open(self.sources, "w") as f:
            f.write(f"deb-src [signed-by={APT_KEYRING}] {APT_MIRROR} {APT_SUITE} main\n")
        say(f"  apt-get update (private deb-src index of {APT_SUITE} main in {self.root})")
        run(["apt-get"] + self.opts() + ["update"], log)

    def source_version(self, pkg):
        out = capture(["apt-cache"] + self.opts() + ["showsrc", pkg]) or ""
        versions = re.findall(r"^Version: (\S+)$", out, re.M)
        best = None
        for v in versions:
            if best is None or subprocess.run(["dpkg", "--compare-versions", v, "gt", best]).returncode == 0:
                best = v
        return best


def linux_version():
    v = capture(["dpkg-query", "-W", "-f=${Version}", LINUX_PKG])
    if not v or not os.path.isfile(LINUX_TARBALL):
        raise BuildError(f"{LINUX_PKG} is not installed ({LINUX_TARBALL} missing): "
                         f"apt-get install {LINUX_PKG} (tools/deps.sh installs it)")
    return v


def busybox_version(apt, log):
    v = apt.source_version(BUSYBOX_PKG)
    if not v:
        raise BuildError(f"no {BUSYBOX_PKG} source in the private apt index {apt.lists}", log)
    return v


def scratch_dir(dest):
    """An empty directory beside dest to unpack into; renamed to dest once complete, so that
    an interrupted unpack never looks finished."""
    tmp = f"{dest}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    return tmp


def extract_linux(cache, version, log):
    """The linux-source tarball, extracted once per version: returns the source tree."""
    dest = os.path.join(cache, "src", f"linux-{version}")
    tree = os.path.join(dest, LINUX_TOPDIR)
    if os.path.isdir(tree):
        say(f"[1/7] linux source: {tree} (already extracted)")
        return tree
    say(f"[1/7] linux source: extracting {LINUX_TARBALL} ({LINUX_PKG} {version}), once")
    tmp = scratch_dir(dest)
    run(["nice", "-n", "10", "tar", "-xJf", LINUX_TARBALL, "-C", tmp], log, label="extracting")
    if not os.path.isfile(os.path.join(tmp, LINUX_TOPDIR, "Makefile")):
        raise BuildError(f"{LINUX_TARBALL} has no {LINUX_TOPDIR}/Makefile", log)
    os.rename(tmp, dest)
    return tree


def fetch_busybox(cache, apt, version, log):
    """The busybox source package, fetched and unpacked once per version: returns its tree."""
    safe = version.replace(":", "_")
    dest = os.path.join(cache, "src", f"busybox-{safe}")
    tree = os.path.join(dest, "busybox")
    if os.path.isdir(tree):
        say(f"[2/7] busybox source: {tree} (already unpacked)")
        return tree
    say(f"[2/7] busybox source: apt-get source {BUSYBOX_PKG}={version}, dpkg-source -x")
    tmp = scratch_dir(dest)
    try:
        run(["apt-get"] + apt.opts() + ["source", "--download-only", f"{BUSYBOX_PKG}={version}"],
            log, cwd=tmp)
    except BuildError as e:
        raise StaleIndex(e.log)
    dscs = [n for n in os.listdir(tmp) if n.endswith(".dsc")]
    if len(dscs) != 1:
        raise BuildError(f"apt-get source left {len(dscs)} .dsc files in {tmp}", log)
    run(["dpkg-source", "--no-copy", "-x", dscs[0], "busybox"], log, cwd=tmp)
    os.rename(tmp, dest)
    return tree


# ---------------------------------------------------------------- stages

def build_busybox(src, work, cross, log, quiet):
    say("[4/7] busybox: allnoconfig + busybox.fragment, static, make -j2")
    obj = os.path.join(work, "busybox")
    os.makedirs(obj)
    frag = os.path.join(HERE, "busybox.fragment")
    settings = read_fragment(frag)
    make = ["nice", "-n", "10", "make", "-C", src, f"O={obj}", f"CROSS_COMPILE={cross}"]
    run(make + ["allnoconfig"], log)
    config = os.path.join(obj, ".config")
    apply_fragment(config, settings, forget=re.compile(r"CONFIG_(FEATURE|ASH)_\w+"))
    # oldconfig asks about every option it has no answer for: Enter takes the default
    run(make + ["oldconfig"], log, stdin=b"\n" * 5000)
    check_fragment(config, settings, frag)
    run(make + [f"-j{JOBS}", "busybox", "busybox.links"], log,
        show=None if quiet else re.compile(r"^\s+(CC|LD|AR|LINK)\s"), label="busybox")
    binary = os.path.join(obj, "busybox")
    links = os.path.join(obj, "busybox.links")
    if not os.path.isfile(binary) or not os.path.isfile(links):
        raise BuildError("busybox build made no busybox or busybox.links", log)
    return binary, links, config


def build_init(work, cross, log):
    say("[3/7] init: init.c, static")
    out = os.path.join(work, "init")
    run([f"{cross}gcc", "-static", "-Os", "-s", "-std=gnu11", "-Wall", "-Wextra", "-Werror",
         "-o", out, os.path.join(HERE, "init.c")], log)
    return out


def build_initramfs(linux_src, work, init, busybox, links, log):
    say("[5/7] initramfs: file list + usr/gen_init_cpio "
        f"(mtime pinned to {time.strftime('%Y-%m-%d', time.gmtime(PINNED_EPOCH))})")
    gen = os.path.join(work, "gen_init_cpio")
    run(["gcc", "-O2", "-o", gen, os.path.join(linux_src, "usr", "gen_init_cpio.c")], log)
    dirs = {"/dev": "0755", "/proc": "0755", "/sys": "0755", "/tmp": "1777", "/root": "0700",
            "/etc": "0755", "/bin": "0755", "/sbin": "0755", "/usr": "0755"}
    entries = []
    with open(links) as f:
        applets = sorted({line.strip() for line in f if line.strip()})
    for path in applets:
        if not path.startswith("/") or path == "/bin/busybox":
            continue
        parent = os.path.dirname(path)
        while parent != "/":
            dirs.setdefault(parent, "0755")
            parent = os.path.dirname(parent)
        entries.append(f"slink {path} /bin/busybox 0777 0 0")
    listing = ["# initramfs of the hvlab Linux guest, made by guests/linux/build.py"]
    listing += [f"dir {d} {dirs[d]} 0 0" for d in sorted(dirs)]
    listing += ["nod /dev/console 0600 0 0 c 5 1",
                f"file /init {init} 0755 0 0",
                "slink /bin/hvlab-check /init 0777 0 0",
                f"file /bin/busybox {busybox} 0755 0 0"]
    listing += entries
    lst = os.path.join(work, "initramfs.list")
    with open(lst, "w") as f:
        f.write("\n".join(listing) + "\n")
    # gen_init_cpio stamps files with their own mtime (only the rest with -t): pin those too
    for path in (init, busybox):
        os.utime(path, (PINNED_EPOCH, PINNED_EPOCH))
    cpio = os.path.join(work, "initramfs.cpio")
    with open(cpio, "wb") as out, open(log, "ab") as err:
        res = subprocess.run([gen, "-t", str(PINNED_EPOCH), lst], stdout=out, stderr=err)
    if res.returncode != 0:
        raise BuildError(f"gen_init_cpio failed (exit {res.returncode})", log)
    return lst, cpio, len(entries)


def configure_kernel(linux_src, obj, karch, cross, cpio, log):
    say("[6/7] kernel config: tinyconfig + config.fragment, olddefconfig")
    frag = os.path.join(HERE, "config.fragment")
    settings = read_fragment(frag)
    settings = {k: v.replace("@INITRAMFS_CPIO@", cpio) for k, v in settings.items()}
    make = ["nice", "-n", "10", "make", "-C", linux_src, f"O={obj}", f"ARCH={karch}",
            f"CROSS_COMPILE={cross}"]
    run(make + ["tinyconfig"], log)
    config = os.path.join(obj, ".config")
    apply_fragment(config, settings)
    run(make + ["olddefconfig"], log)
    check_fragment(config, settings, frag)
    return make, config


def build_kernel(make, obj, image_rel, log, quiet):
    say(f"[7/7] kernel: make -j{JOBS} Image (nice -n 10; the longest stage)")
    run(make + [f"-j{JOBS}", "Image"], log, label="the kernel",
        show=None if quiet else re.compile(r"^\s+[A-Z][A-Z0-9_]*\s+\S"))
    image = os.path.join(obj, image_rel)
    if not os.path.isfile(image) or os.path.getsize(image) == 0:
        raise BuildError(f"the kernel build made no {image_rel}", log)
    return image


# ---------------------------------------------------------------- driver

def cache_root():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "hvlab", "linux")


def compute_key(arch, versions):
    h = hashlib.sha256()
    h.update(f"arch={arch}\n".encode())
    for name, v in versions.items():
        h.update(f"{name}={v}\n".encode())
    for name in KEY_FILES:
        with open(os.path.join(HERE, name), "rb") as f:
            data = f.read()
        h.update(f"{name} {len(data)}\n".encode() + data)
    return h.hexdigest()[:16]


def preflight(cross):
    missing = sorted({pkg for tool, pkg in TOOLS.items() if not shutil.which(tool)})
    if not shutil.which(f"{cross}gcc"):
        missing.append("gcc-riscv64-linux-gnu")
    if missing:
        raise BuildError("missing build tools: apt-get install " + " ".join(missing))


@contextlib.contextmanager
def cache_lock(cache):
    """One build.py at a time works in the cache; the others wait here."""
    os.makedirs(cache, exist_ok=True)
    with open(os.path.join(cache, ".lock"), "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"waiting for another build.py (lock {lock.name}) ...")
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def refresh_index(cache):
    with cache_lock(cache):
        Apt(os.path.join(cache, "apt")).update(os.path.join(cache, "setup.log"))


def build(args, cache):
    karch, cross, image_rel = ARCHES[args.arch]
    preflight(cross)
    apt = Apt(os.path.join(cache, "apt"))
    setup_log = os.path.join(cache, "setup.log")
    if not apt.has_index():
        with cache_lock(cache):
            if not apt.has_index():
                apt.update(setup_log)

    versions = {LINUX_PKG: linux_version(), BUSYBOX_PKG: busybox_version(apt, setup_log),
                "cc": capture([f"{cross}gcc", "-dumpfullversion"]) or "unknown"}
    key = compute_key(args.arch, versions)
    final = os.path.join(cache, args.arch, key)
    image = os.path.join(final, "Image")
    if os.path.isfile(image) and not args.force:
        say(f"cached: {image} (key {key})")
        return image

    os.makedirs(os.path.dirname(final), exist_ok=True)
    with cache_lock(cache):
        if os.path.isfile(image) and not args.force:
            say(f"cached (built meanwhile): {image} (key {key})")
            return image
        return build_locked(args, cache, apt, versions, key, final, image)


def build_locked(args, cache, apt, versions, key, final, image):
    karch, cross, image_rel = ARCHES[args.arch]
    # Only one build runs (the lock): any temporary directory is a leftover of an interrupted
    # or failed one.
    parent = os.path.dirname(final)
    for name in os.listdir(parent):
        if ".tmp-" in name:
            shutil.rmtree(os.path.join(parent, name), ignore_errors=True)
    srcdir = os.path.join(cache, "src")
    if os.path.isdir(srcdir):
        for name in os.listdir(srcdir):
            if ".tmp-" in name:
                shutil.rmtree(os.path.join(srcdir, name), ignore_errors=True)

    tmp = f"{final}.tmp-{os.getpid()}"
    work = os.path.join(tmp, "work")
    logs = os.path.join(tmp, "logs")
    os.makedirs(work)
    os.makedirs(logs)
    start = time.monotonic()
    say(f"building {args.arch} guest, key {key}: {LINUX_PKG} {versions[LINUX_PKG]}, "
        f"busybox {versions[BUSYBOX_PKG]}, {cross}gcc {versions['cc']}")
    say(f"  in {tmp} (logs in {logs})")

    linux_src = extract_linux(cache, versions[LINUX_PKG], os.path.join(logs, "sources.log"))
    bb_src = fetch_busybox(cache, apt, versions[BUSYBOX_PKG], os.path.join(logs, "sources.log"))
    init = build_init(work, cross, os.path.join(logs, "init.log"))
    busybox, links, bb_config = build_busybox(bb_src, work, cross, os.path.join(logs, "busybox.log"),
                                              args.quiet)
    lst, cpio, napplets = build_initramfs(linux_src, work, init, busybox, links,
                                          os.path.join(logs, "initramfs.log"))
    kobj = os.path.join(work, "kernel")
    klog = os.path.join(logs, "kernel.log")
    make, kconfig = configure_kernel(linux_src, kobj, karch, cross, cpio, klog)
    built = build_kernel(make, kobj, image_rel, klog, args.quiet)

    # Keep what a VM, a debugger or a curious student needs; drop the object trees.
    for src, name in ((built, "Image"), (os.path.join(kobj, "vmlinux"), "vmlinux"),
                      (os.path.join(kobj, "System.map"), "System.map"),
                      (bb_config, "busybox.config"), (busybox, "busybox"), (init, "init"),
                      (cpio, "initramfs.cpio")):
        if os.path.exists(src):
            shutil.copy2(src, os.path.join(tmp, name))
    # the file list and the kernel config name files by their temporary paths: name the kept
    # copies instead (the Image itself holds no path)
    renames = ((busybox, os.path.join(final, "busybox")), (init, os.path.join(final, "init")),
               (cpio, os.path.join(final, "initramfs.cpio")))
    for src, name in ((lst, "initramfs.list"), (kconfig, "kernel.config")):
        with open(src) as f:
            text = f.read()
        for old, new in renames:
            text = re.sub(re.escape(old) + r"(?=[\s\"])", new, text)
        with open(os.path.join(tmp, name), "w") as f:
            f.write(text)
    elapsed = time.monotonic() - start
    info = {"arch": args.arch, "key": key, "versions": versions, "key_files": list(KEY_FILES),
            "image_bytes": os.path.getsize(os.path.join(tmp, "Image")),
            "busybox_applets": napplets, "build_seconds": round(elapsed),
            "pinned_epoch": PINNED_EPOCH,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    with open(os.path.join(tmp, "build-info.json"), "w") as f:
        json.dump(info, f, indent=2)
        f.write("\n")
    shutil.rmtree(work)
    if os.path.isdir(final):  # --force: replace the old build
        old = f"{final}.tmp-old-{os.getpid()}"
        os.rename(final, old)
        shutil.rmtree(old, ignore_errors=True)
    os.rename(tmp, final)
    say(f"done in {fmt_time(elapsed)}: {image} ({info['image_bytes'] / 2**20:.1f} MiB, "
        f"busybox with {napplets} applets)")
    return image


def main():
    ap = argparse.ArgumentParser(description="Build (or reuse) the hvlab Linux guest kernel Image.")
    ap.add_argument("--arch", default="riscv64", help="guest architecture (only riscv64)")
    ap.add_argument("--print-path", action="store_true",
                    help="print the Image's path on stdout (and nothing else there)")
    ap.add_argument("--force", action="store_true", help="rebuild even if a cached build exists")
    ap.add_argument("--quiet", action="store_true",
                    help="no compiler lines, only stages and a 'still building' line every 30 s")
    args = ap.parse_args()
    if args.arch not in ARCHES:
        say(f"error: unsupported --arch {args.arch} (supported: {', '.join(ARCHES)})")
        return 2
    cache = cache_root()
    signal.signal(signal.SIGTERM, on_termination)
    signal.signal(signal.SIGHUP, on_termination)
    try:
        for attempt in (1, 2):
            try:
                image = build(args, cache)
                break
            except StaleIndex as e:
                if attempt == 2:
                    raise BuildError("the busybox source download failed, also after refreshing "
                                     "the private apt index", e.args[0])
                say("busybox source download failed: refreshing the private apt index, retrying")
                refresh_index(cache)
    except BuildError as e:
        say(f"error: {e}")
        if e.log and os.path.isfile(e.log):
            with open(e.log, errors="replace") as f:
                tail = f.readlines()[-LOG_TAIL:]
            say(f"last {len(tail)} lines of {e.log}:")
            sys.stderr.write("".join("    " + line for line in tail))
            say("(the failed build is left for inspection; the next run removes it)")
        return 1
    except KeyboardInterrupt:
        say("interrupted: nothing finished was written; run again to build (leftovers are removed)")
        return 130
    if args.print_path:
        print(image, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
