# Makefile - hvlab, a teaching hypervisor in C taught as staged labs.
#
#   make run              boot the finished hypervisor (solutions/) in QEMU
#   make test             every release check: tools, grader, solution and lab trees
#   make grade LAB=N      grade labs 1..N of TREE (default: solutions/ or labs/0N-*)
#   make labs             regenerate labs/0N-*/ from solutions/
#   make check-labs       fail when labs/ differs from what make labs would write
#   make dist DEST=dir    write the student repository (no solutions) to dir
#   make bench [TREE=dir] exact instruction counts of the hypervisor's paths
#   make qemu | qemu-gdb | gdb | format | clean
#
# Every target installs what it needs from Debian first (tools/deps.sh).

ARCH ?= riscv64
LAB ?= all
JSON ?=
PYTHON := /usr/bin/python3
# TREE: the hypervisor tree to grade. Default: solutions/, or in a student repository
# (make dist: no solutions/) the tree of lab LAB.
TREE ?=


.PHONY: help deps needs-solutions build run qemu qemu-gdb gdb test grade bench labs check-labs \
	dist format clean
help:
	@sed -n '3,12p' Makefile | sed 's/^# //'

deps:
	@tools/deps.sh

# A student repository has no solutions/: its hypervisors are the lab trees.
needs-solutions:
	@test -f solutions/Makefile || { echo "this repository has no solutions/: work in a lab \
	tree instead, e.g. cd labs/01-boot && make qemu"; exit 2; }

build: deps needs-solutions
	@$(MAKE) -s -C solutions ARCH=$(ARCH)

# The finished hypervisor with a Linux guest, to a shell (Ctrl-A X leaves QEMU).
RUN_SCENARIO ?= guests/scenarios/$(ARCH)/linux.toml
run: build
	@test -f $(RUN_SCENARIO) || { echo "make run: no $(RUN_SCENARIO) (ARCH=$(ARCH) has no \
	Linux guest yet: the arm64 track has labs 1-3); try RUN_SCENARIO=guests/scenarios/$(ARCH)/two-vms.toml"; exit 2; }
	@$(MAKE) -s -C solutions ARCH=$(ARCH) qemu SCENARIO=$(RUN_SCENARIO)

qemu qemu-gdb gdb: deps needs-solutions
	@$(MAKE) -s -C solutions ARCH=$(ARCH) $@

# Both cores: pytest-xdist runs the checks in two workers.
test: deps
	$(PYTHON) -m pytest -n 2

grade: deps
	$(PYTHON) -m grader $(if $(TREE),--tree $(TREE)) --lab $(LAB) --arch $(ARCH) $(if $(JSON),--json $(JSON))

# Exact instruction counts of the hypervisor's paths (QEMU -icount), each measured twice;
# of solutions/, or of TREE (a lab tree measures what its lab has).
bench: deps $(if $(TREE),,needs-solutions)
	$(PYTHON) -m grader.bench $(if $(TREE),--tree $(TREE)) --arch $(ARCH)

labs:
	$(PYTHON) tools/labgen.py generate

check-labs:
	$(PYTHON) tools/labgen.py check

dist: deps
	@test -n "$(DEST)" || { echo "usage: make dist DEST=<new directory>"; exit 2; }
	$(PYTHON) tools/dist.py $(DEST)

format:
	clang-format -i $$(find solutions -name '*.[ch]' -not -path '*/build/*')

clean:
	$(MAKE) -s -C solutions clean
	rm -rf results
