# arch.mk - how to build the riscv64 hypervisor; included by the top Makefile of the tree.
CROSS_COMPILE ?= riscv64-linux-gnu-

# rv64imac: no floating point in the hypervisor, so guest FP state is never disturbed.
# medany: the image runs at 0x80000000+, beyond the +-2 GiB reach of the default model.
# -mno-relax: no gp-relative addressing, so a guest's gp can never confuse the hypervisor.
ARCH_CFLAGS := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -mno-relax
ARCH_LDFLAGS := -Wl,--no-relax
LDSCRIPT := arch/riscv64/hvlab.ld

arch-objs := \
	arch/riscv64/head.o \
	arch/riscv64/trap_entry.o \
	arch/riscv64/trap.o \
	arch/riscv64/trap_report.o \
	arch/riscv64/cpu.o \
	arch/riscv64/machine.o \
	arch/riscv64/platform.o \
	arch/riscv64/sbi.o \
	drivers/ns16550.o
arch-objs += arch/riscv64/exits.o arch/riscv64/switch.o arch/riscv64/vcpu.o arch/riscv64/vsbi.o
arch-objs += arch/riscv64/insn.o arch/riscv64/vm.o
arch-objs += arch/riscv64/fp.o arch/riscv64/vintc.o arch/riscv64/vtimer.o drivers/plic.o \
	vdev/vplic.o
# Only fp.S may use floating-point instructions.
$(BUILD)/arch/riscv64/fp.o: ARCH_CFLAGS := -march=rv64imafdc_zicsr -mabi=lp64 -mcmodel=medany
arch-objs += arch/riscv64/smp.o
