/*
 * csr_isolation.c - every supervisor CSR a guest can write is its own. Two VMs run this
 * guest on one hart and take turns (time slices). Each fills the CSRs with a pattern of
 * its own, then for a while checks them and writes them again, over and over: whatever
 * the other VM wrote must never show up here. The hypervisor keeps the VS copies
 * (vsstatus, vstvec, ...) and the CSRs without one (scounteren, senvcfg) per vCPU, and
 * the floating-point state with it.
 */
#include <hvtest.h>
#include <rv.h>

#define SSTATUS_FS_INITIAL (1UL << 13)
#define SSTATUS_SUM (1UL << 18)
#define SSTATUS_MXR (1UL << 19)
#define SLICE_TICKS (10 * TICKS_PER_MS) /* the hypervisor's time slice */
#define RUN_TICKS (400 * TICKS_PER_MS)

enum { SSCRATCH, SEPC, SCAUSE, STVAL, STVEC, SIE, SIP, SSTATUS, SCOUNTEREN, SENVCFG, FCSR, NR };

static const char *const names[NR] = {"sscratch", "sepc",	"scause",  "stval",
				      "stvec",	  "sie",	"sip",	   "sstatus",
				      "scounteren", "senvcfg", "fcsr"};

static void csrs_write(const unsigned long *v)
{
	csr_write(sscratch, v[SSCRATCH]);
	csr_write(sepc, v[SEPC]);
	csr_write(scause, v[SCAUSE]);
	csr_write(stval, v[STVAL]);
	csr_write(stvec, v[STVEC]);
	csr_write(sie, v[SIE]);
	csr_write(sip, v[SIP]);
	csr_write(sstatus, v[SSTATUS]);
	csr_write(scounteren, v[SCOUNTEREN]);
	csr_write(senvcfg, v[SENVCFG]);
	csr_write(0x003, v[FCSR]); /* fcsr, by number: this guest is built without F */
}

static void csrs_read(unsigned long *v)
{
	v[SSCRATCH] = csr_read(sscratch);
	v[SEPC] = csr_read(sepc);
	v[SCAUSE] = csr_read(scause);
	v[STVAL] = csr_read(stval);
	v[STVEC] = csr_read(stvec);
	v[SIE] = csr_read(sie);
	v[SIP] = csr_read(sip);
	v[SSTATUS] = csr_read(sstatus);
	v[SCOUNTEREN] = csr_read(scounteren);
	v[SENVCFG] = csr_read(senvcfg);
	v[FCSR] = csr_read(0x003);
}

/* A pattern for every CSR, from p. Interrupts stay off (sstatus.SIE = 0) all along, so
 * stvec may point anywhere meanwhile. */
static void pattern(unsigned long p, unsigned long *want)
{
	want[SSCRATCH] = p;
	want[SEPC] = p & ~3UL;
	want[SCAUSE] = p >> 1;
	want[STVAL] = ~p;
	want[STVEC] = (p << 2) & ~3UL;
	want[SIE] = p & (SIE_SSIE | SIE_STIE | SIE_SEIE);
	want[SIP] = p & SIE_SSIE;
	want[SSTATUS] = (csr_read(sstatus) & ~(SSTATUS_SUM | SSTATUS_MXR | SSTATUS_SIE)) |
			SSTATUS_FS_INITIAL | (p & (SSTATUS_SUM | SSTATUS_MXR));
	want[SCOUNTEREN] = p & 0xffffffffUL;
	want[SENVCFG] = p & 0xffUL;
	want[FCSR] = (p >> 8) & 0xffUL;
}

/*
 * Two patterns, p and ~p, take turns: every time this VM gets the hart back it first
 * checks the values it left, then switches to the other pattern. Even where both VMs
 * happened to pick the same bits of a field, the next round makes them differ.
 */
int main(unsigned long hart, unsigned long dtb)
{
	unsigned long p = (rdtime() | 1) * 0x9e3779b97f4a7c15UL; /* differs between the VMs */
	unsigned long want[2][NR], kept[2][NR], now[NR], saved_stvec = csr_read(stvec);
	unsigned long bad[NR] = {0}, expected[NR] = {0}, seen[NR] = {0}, start, last, t;
	unsigned int switches = 0, phase = 0;
	int first_bad[NR];

	pattern(p, want[0]);
	pattern(~p, want[1]);
	for (int k = 1; k >= 0; k--) {
		csrs_write(want[k]);
		csrs_read(kept[k]); /* what the hart keeps of it (WARL fields) */
	}
	for (int i = 0; i < NR; i++)
		first_bad[i] = -1;
	start = last = rdtime();
	while ((t = rdtime()) - start < RUN_TICKS) {
		bool switched = t - last > SLICE_TICKS / 2; /* the other VM ran meanwhile */

		last = t;
		csrs_read(now);
		for (int i = 0; i < NR; i++)
			if (now[i] != kept[phase][i] && bad[i]++ == 0) {
				first_bad[i] = (int)switches;
				expected[i] = kept[phase][i];
				seen[i] = now[i];
			}
		if (switched) {
			switches++;
			phase ^= 1;
		}
		csrs_write(want[phase]); /* again and again: the other VM does the same */
	}
	csr_write(stvec, saved_stvec);
	for (int i = 0; i < NR; i++) {
		char name[32];

		guest_snprintf(name, sizeof(name), "csr_isolation.%s", names[i]);
		hvtest_check(!bad[i], name,
			     "changed under this VM %lu times (first after %d switches): "
			     "0x%lx became 0x%lx",
			     bad[i], first_bad[i], expected[i], seen[i]);
	}
	hvtest_check(switches >= 5, "csr_isolation.took_turns",
		     "the hart changed VMs only %u times in 400 ms", switches);
	hvtest_finish();
}
