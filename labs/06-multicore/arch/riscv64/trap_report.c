/*
 * trap_report.c - turn a trap frame into a report a person can act on.
 * Cause numbers: RISC-V Privileged Spec v1.12, Table 4.2 (scause) and Table 8.7 (H).
 */
#include <asm/csr.h>
#include <asm/trap.h>
#include <printf.h>

const char *const riscv_reg_names[32] = {
	"zero", "ra", "sp", "gp", "tp",	 "t0",	"t1", "t2", "s0", "s1", "a0",
	"a1",	"a2", "a3", "a4", "a5",	 "a6",	"a7", "s2", "s3", "s4", "s5",
	"s6",	"s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

static const char *const exception_names[] = {
	[EXC_INST_MISALIGNED] = "instruction address misaligned",
	[EXC_INST_ACCESS] = "instruction access fault",
	[EXC_ILLEGAL_INST] = "illegal instruction",
	[EXC_BREAKPOINT] = "breakpoint",
	[EXC_LOAD_MISALIGNED] = "load address misaligned",
	[EXC_LOAD_ACCESS] = "load access fault",
	[EXC_STORE_MISALIGNED] = "store/AMO address misaligned",
	[EXC_STORE_ACCESS] = "store/AMO access fault",
	[EXC_ECALL_U] = "environment call from U-mode or VU-mode",
	[EXC_ECALL_S] = "environment call from HS-mode",
	[EXC_ECALL_VS] = "environment call from VS-mode",
	[EXC_ECALL_M] = "environment call from M-mode",
	[EXC_INST_PAGE_FAULT] = "instruction page fault",
	[EXC_LOAD_PAGE_FAULT] = "load page fault",
	[EXC_STORE_PAGE_FAULT] = "store/AMO page fault",
	[EXC_INST_GUEST_PAGE_FAULT] = "instruction guest-page fault",
	[EXC_LOAD_GUEST_PAGE_FAULT] = "load guest-page fault",
	[EXC_VIRTUAL_INST] = "virtual instruction",
	[EXC_STORE_GUEST_PAGE_FAULT] = "store/AMO guest-page fault",
};

static const char *const interrupt_names[] = {
	[1] = "supervisor software interrupt",
	[2] = "virtual supervisor software interrupt",
	[5] = "supervisor timer interrupt",
	[6] = "virtual supervisor timer interrupt",
	[9] = "supervisor external interrupt",
	[10] = "virtual supervisor external interrupt",
	[12] = "supervisor guest external interrupt",
};

const char *trap_cause_name(unsigned long scause)
{
	/* The top bit says interrupt or exception; the rest is the code (Privileged 4.1.8). */
	unsigned long code = scause & ~CAUSE_INTERRUPT;
	const char *name = NULL;

	if (scause & CAUSE_INTERRUPT) {
		if (code < ARRAY_SIZE(interrupt_names))
			name = interrupt_names[code];
	} else if (code < ARRAY_SIZE(exception_names)) {
		name = exception_names[code];
	}
	return name ? name : "unknown cause";
}

void trap_report(const struct trap_frame *tf)
{
	printf("\n=== trap report: unexpected %s in HS-mode ===\n",
	       tf->scause & CAUSE_INTERRUPT ? "interrupt" : "exception");
	printf("scause  0x%016lx (%s)\n", tf->scause, trap_cause_name(tf->scause));
	printf("sepc    0x%016lx  stval   0x%016lx\n", tf->sepc, tf->stval);
	printf("htval   0x%016lx  htinst  0x%016lx\n", tf->htval, tf->htinst);
	printf("sstatus 0x%016lx  hstatus 0x%016lx\n", tf->sstatus, tf->hstatus);
	for (int i = 1; i < 32; i++) {
		char name[12];

		snprintf(name, sizeof(name), "x%d/%s", i, riscv_reg_names[i]);
		printf("%-8s 0x%016lx%s", name, tf->x[i], i % 3 == 0 || i == 31 ? "\n" : "  ");
	}
	printf("=== end of trap report ===\n");
}
