# arch.mk - how the arm64 test guests are built.
CROSS_COMPILE ?= aarch64-linux-gnu-
# Guests run with their MMU off at first (Device memory: unaligned accesses fault), and
# use no FP/SIMD unless a test asks for it in inline assembly.
ARCH_CFLAGS := -march=armv8-a -mgeneral-regs-only -mstrict-align -mno-outline-atomics
ARCH_LDFLAGS :=
LDSCRIPT := arch/arm64/guest.ld
GUEST_LOAD := 0x44000000
runtime-objs := arch/arm64/start.o arch/arm64/vectors.o arch/arm64/trap.o arch/arm64/smccc.o \
		arch/arm64/cpus.o
# sysregs_b: sysregs.c again, 32 MiB higher - lab 2's second identity-mapped VM.
LOAD_sysregs_b := 0x46000000
