# arch.mk - how the riscv64 test guests are built.
CROSS_COMPILE ?= riscv64-linux-gnu-
ARCH_CFLAGS := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -mno-relax
ARCH_LDFLAGS := -Wl,--no-relax
LDSCRIPT := arch/riscv64/guest.ld
GUEST_LOAD := 0x84000000
runtime-objs := arch/riscv64/start.o arch/riscv64/sbi.o arch/riscv64/trap.o \
		arch/riscv64/smp_entry.o arch/riscv64/smp.o arch/riscv64/user.o
