/*
 * sysregs.c - a vCPU's EL1 system registers, FP/SIMD registers and (virtual) GIC CPU
 * interface are its own. Lab 2's test runs it in two VMs, one after the other on one CPU:
 * each must find every register as a CPU fresh out of reset has it - not as the VM before
 * left them - then fills them with a pattern of its own, makes many calls to the
 * hypervisor and finds the pattern intact. (sysregs_b.c is this guest linked elsewhere, for the second VM.)
 */
#include <arm64.h>
#include <hvtest.h>

#define SCTLR_EL1_RES1 0x30d00800UL
#define SCTLR_EL1_TRAPS ((1UL << 26) | (1UL << 15) | (1UL << 14)) /* UCI, UCT, DZE */
#define CPACR_FPEN (3UL << 20)

/* The registers, in one list: a name, and its value after reset (hvlab's vCPU reset). */
#define SYSREGS(X)                                                                         \
	X(sctlr_el1, SCTLR_EL1_RES1) X(ttbr0_el1, 0) X(ttbr1_el1, 0) X(tcr_el1, 0)          \
	X(mair_el1, 0) X(amair_el1, 0) X(contextidr_el1, 0) X(esr_el1, 0) X(far_el1, 0)     \
	X(afsr0_el1, 0) X(afsr1_el1, 0) X(par_el1, 0) X(sp_el0, 0) X(elr_el1, 0)            \
	X(spsr_el1, 0) X(tpidr_el0, 0) X(tpidrro_el0, 0) X(tpidr_el1, 0) X(csselr_el1, 0)   \
	X(cntkctl_el1, 0) X(cntv_ctl_el0, 0) X(cntv_cval_el0, 0) X(icc_pmr_el1, 0)          \
	X(icc_igrpen1_el1, 0)

#define COUNT(reg, reset) +1
enum { NR_SYSREGS = 0 SYSREGS(COUNT) };

static const char *const names[NR_SYSREGS] = {
#define NAME(reg, reset) #reg,
	SYSREGS(NAME)
};

static void sysregs_read(u64 *v)
{
	int i = 0;
#define READ(reg, reset) v[i++] = read_sysreg(reg);
	SYSREGS(READ)
}

/* Values of p's making for each register, within what the register holds. */
static void sysregs_write(u64 p)
{
	write_sysreg(sctlr_el1, SCTLR_EL1_RES1 | (p & SCTLR_EL1_TRAPS));
	write_sysreg(ttbr0_el1, p & 0xfffffffff000UL);
	write_sysreg(ttbr1_el1, (p >> 4) & 0xfffffffff000UL);
	write_sysreg(tcr_el1, (p & 0x3f) | 1UL << 23); /* T0SZ; EPD1: walk no TTBR1 */
	write_sysreg(mair_el1, p);
	write_sysreg(amair_el1, 0);
	write_sysreg(contextidr_el1, p & 0xffffffff);
	write_sysreg(esr_el1, p & 0x1ffffff);
	write_sysreg(far_el1, ~p);
	write_sysreg(afsr0_el1, p & 0xffffffff);
	write_sysreg(afsr1_el1, (p >> 32) & 0xffffffff);
	write_sysreg(par_el1, p & 0xfffffffff000UL);
	write_sysreg(sp_el0, p & ~15UL);
	write_sysreg(elr_el1, p & ~3UL);
	write_sysreg(spsr_el1, 0x3c5);
	write_sysreg(tpidr_el0, p);
	write_sysreg(tpidrro_el0, ~p);
	write_sysreg(tpidr_el1, p ^ 0x5555);
	write_sysreg(csselr_el1, 2); /* level 2 */
	write_sysreg(cntkctl_el1, 3); /* EL0 may read both counters */
	write_sysreg(cntv_cval_el0, p);
	write_sysreg(cntv_ctl_el0, 2); /* disabled, its interrupt masked */
	/* The GIC CPU interface (the virtual one: HCR_EL2.IMO): 5 priority bits, group 1 on. */
	write_sysreg(icc_pmr_el1, (p & 0xf8) | 0x08);
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
}

/* FP/SIMD: vN.2d = {p * (N + 1), p * (N + 1)} (fp_fill), and which vN differ (fp_diff). */
void fp_fill(u64 p);
u64 fp_diff(u64 p);

__asm__(".text\n"
	".globl fp_fill\n"
	"fp_fill:\n"
	"	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31\n"
	"	mov	x2, #(\\n + 1)\n"
	"	mul	x1, x0, x2\n"
	"	dup	v\\n\\().2d, x1\n"
	"	.endr\n"
	"	ret\n"
	".globl fp_diff\n"
	"fp_diff:\n"
	"	mov	x3, x0\n"
	"	mov	x0, #0\n"
	"	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31\n"
	"	mov	x2, #(\\n + 1)\n"
	"	mul	x1, x3, x2\n"
	"	umov	x2, v\\n\\().d[0]\n"
	"	umov	x4, v\\n\\().d[1]\n"
	"	eor	x2, x2, x1\n"
	"	eor	x4, x4, x1\n"
	"	orr	x2, x2, x4\n"
	"	cbz	x2, 1f\n"
	"	mov	x2, #1\n"
	"	lsl	x2, x2, #\\n\n"
	"	orr	x0, x0, x2\n"
	"1:\n"
	"	.endr\n"
	"	ret\n");

/* Which registers differ from want: one line each, and how many. */
static int sysregs_compare(const u64 *want, const char *what)
{
	u64 now[NR_SYSREGS];
	int wrong = 0;

	sysregs_read(now);
	for (int i = 0; i < NR_SYSREGS; i++)
		if (now[i] != want[i]) {
			guest_printf("hvtest: sysregs: %s is 0x%lx, %s 0x%lx\n", names[i], now[i],
				     what, want[i]);
			wrong++;
		}
	return wrong;
}

int main(unsigned long cpu, unsigned long dtb)
{
	u64 reset[NR_SYSREGS] = {
#define RESET(reg, value) value,
		SYSREGS(RESET)
	};
	u64 p = (counter_now() | 1) * 0x9e3779b97f4a7c15UL, kept[NR_SYSREGS], mpidr;
	int wrong;

	/* VBAR_EL1 is left out: start.S has set it already. */
	wrong = sysregs_compare(reset, "after reset it should be");
	wrong += read_sysreg(cpacr_el1) != 0;
	hvtest_check(!wrong, "sysregs.fresh", "%d registers not as a reset leaves them", wrong);
	write_sysreg(cpacr_el1, CPACR_FPEN); /* FP/SIMD on at EL1 and EL0 */
	isb();
	hvtest_check(fp_diff(0) == 0 && read_sysreg(fpcr) == 0 && read_sysreg(fpsr) == 0,
		     "sysregs.fp_fresh", "non-zero FP registers: mask 0x%lx, FPCR 0x%lx, FPSR 0x%lx",
		     fp_diff(0), read_sysreg(fpcr), read_sysreg(fpsr));
	mpidr = read_sysreg(mpidr_el1);
	hvtest_check(mpidr == 0x80000000UL, "sysregs.mpidr",
		     "MPIDR_EL1 = 0x%lx, not bit 31 with Aff0 = 0 for vCPU 0", mpidr);

	sysregs_write(p);
	sysregs_read(kept);
	fp_fill(p);
	write_sysreg(fpcr, 0x03c00000); /* AHP, DN, FZ, RMode = 1 */
	write_sysreg(fpsr, 0x9f); /* IDC and the cumulative flags */
	for (int i = 0; i < 100; i++)
		smccc_hvc(PSCI_VERSION, 0, 0, 0);
	wrong = sysregs_compare(kept, "but this VM wrote");
	hvtest_check(!wrong, "sysregs.kept", "%d registers changed across 100 calls", wrong);
	hvtest_check(fp_diff(p) == 0 && read_sysreg(fpcr) == 0x03c00000 && read_sysreg(fpsr) == 0x9f,
		     "sysregs.fp_kept", "changed FP registers: mask 0x%lx, FPCR 0x%lx, FPSR 0x%lx",
		     fp_diff(p), read_sysreg(fpcr), read_sysreg(fpsr));
	/* The patterns stay behind in the CPU for whoever runs next. */
	hvtest_finish();
}
