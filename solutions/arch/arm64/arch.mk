# arch.mk - how to build the arm64 hypervisor; included by the top Makefile of the tree.
CROSS_COMPILE ?= aarch64-linux-gnu-

# armv8-a: what cortex-a72 (QEMU's default CPU for hvlab) implements, no LSE atomics.
# -mgeneral-regs-only: no FP/SIMD in the hypervisor, so guest FP state is never disturbed.
# -mstrict-align: the MMU is off at EL2, which makes every data access Device memory,
# where an unaligned access faults (Arm ARM B2.5.2). -mno-outline-atomics: atomics inline,
# not through libgcc helpers that ask a Linux kernel which instructions exist.
ARCH_CFLAGS := -march=armv8-a -mgeneral-regs-only -mstrict-align -mno-outline-atomics
ARCH_LDFLAGS :=
LDSCRIPT := arch/arm64/hvlab.ld

arch-objs := \
	arch/arm64/head.o \
	arch/arm64/trap_entry.o \
	arch/arm64/trap.o \
	arch/arm64/trap_report.o \
	arch/arm64/cpu.o \
	arch/arm64/machine.o \
	arch/arm64/platform.o \
	arch/arm64/psci.o \
	drivers/pl011.o
# @since 2 begin
arch-objs += arch/arm64/exits.o arch/arm64/fp.o arch/arm64/switch.o arch/arm64/vcpu.o \
	arch/arm64/vpsci.o
# @since 2 end
# @since 3 begin
arch-objs += arch/arm64/insn.o arch/arm64/vm.o
# @since 3 end
# @since 4 begin
arch-objs += arch/arm64/not_yet.o
# @since 4 end
