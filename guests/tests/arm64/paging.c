/*
 * paging.c - the guest turns on its own stage-1 translation (TTBR0_EL1, 4 KiB pages,
 * 39-bit virtual addresses) and reads data back through both stages: guest-virtual ->
 * guest-physical (its tables) -> host-physical (the hypervisor's stage-2 tables).
 *
 * With TCR_EL1.T0SZ = 25 and a 4 KiB granule the walk starts at level 1 (Arm ARM D8.2):
 *
 *   38       30 29      21 20      12 11         0
 *   | level 1  | level 2  | level 3  | page offset |
 *
 * A descriptor (D8.3) is a table (0b11) or a block (0b01) at levels 1 and 2, a page
 * (0b11) at level 3, and invalid when bit 0 is clear.
 */
#include <arm64.h>
#include <hvtest.h>

#define ALIAS_VA 0xC0000000UL /* a guest-virtual address with nothing behind it but this */

/* Descriptor bits (D8.3): type, MAIR_EL1 index (AttrIndx, 4:2), inner shareable, AF. */
#define DESC_TABLE    (3UL << 0)
#define DESC_PAGE     (3UL << 0)
#define DESC_BLOCK    (1UL << 0)
#define DESC_ATTR0    (0UL << 2) /* MAIR_EL1.Attr0: Normal, write-back */
#define DESC_SH_INNER (3UL << 8)
#define DESC_AF	      (1UL << 10) /* accessed: or the first access takes an access flag fault */
#define DESC_XN	      (3UL << 53) /* PXN and UXN: data, not code */
#define DESC_NORMAL   (DESC_ATTR0 | DESC_SH_INNER | DESC_AF) /* AP = 00: EL1 read/write */

/* TCR_EL1: the TTBR0_EL1 half only. */
#define TCR_T0SZ       (25UL << 0) /* 2^(64 - 25) = 512 GiB of VA */
#define TCR_IRGN0_WBWA (1UL << 8) /* table walks cacheable (when SCTLR_EL1.C is set) */
#define TCR_ORGN0_WBWA (1UL << 10)
#define TCR_SH0_INNER  (3UL << 12)
#define TCR_TG0_4K     (0UL << 14)
#define TCR_EPD1       (1UL << 23) /* no walks through TTBR1_EL1: it has no tables */
#define TCR_IPS_40     (2UL << 32) /* output addresses of 40 bits, as stage-2's input */

#define MAIR_ATTR0_NORMAL_WB 0xffUL /* Normal, inner and outer write-back, allocating */
#define SCTLR_M		     (1UL << 0)

/* ESR_EL1's DFSC for a translation fault is 0b0001LL, LL the level (D17.2.37). */
#define ESR_DFSC(esr)		  ((esr)&0x3f)
#define DFSC_IS_TRANSLATION(dfsc) (((dfsc)&0x3c) == 0x04)

static u64 level1[512] __attribute__((aligned(4096)));
static u64 level2[512] __attribute__((aligned(4096)));
static u64 level3[512] __attribute__((aligned(4096)));
static u64 data[512] __attribute__((aligned(4096)));

/*
 * Forget every stage-1 translation of this VM (TLBI VMALLE1: the hardware tags them with
 * the VMID, so other VMs' stay) once the table writes are done, then wait for it.
 */
static void tlb_flush(void)
{
	__asm__ volatile("dsb ishst\n tlbi vmalle1\n dsb ish\n isb" : : : "memory");
}

int main(unsigned long cpu, unsigned long dtb)
{
	volatile u64 *alias = (volatile u64 *)ALIAS_VA;
	unsigned long at;

	/* 0x40000000-0x7fffffff: a 1 GiB identity block, so the code runs on unchanged. */
	level1[1] = 0x40000000UL | DESC_NORMAL | DESC_BLOCK;
	/* 0xc0000000: through a level-2 and a level-3 table to the 4 KiB page `data`. */
	level1[3] = (u64)(uintptr_t)level2 | DESC_TABLE;
	level2[0] = (u64)(uintptr_t)level3 | DESC_TABLE;
	level3[0] = (u64)(uintptr_t)data | DESC_NORMAL | DESC_XN | DESC_PAGE;
	for (int i = 0; i < 512; i++)
		data[i] = 0x1111111100000000UL | (u64)i;

	/*
	 * The MMU on, the data cache still off (SCTLR_EL1.C = 0): every access, table walks
	 * included, stays Non-cacheable as it was with the MMU off, so what was written
	 * before needs no cache maintenance.
	 */
	write_sysreg(mair_el1, MAIR_ATTR0_NORMAL_WB);
	write_sysreg(tcr_el1, TCR_T0SZ | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER |
				      TCR_TG0_4K | TCR_EPD1 | TCR_IPS_40);
	write_sysreg(ttbr0_el1, level1);
	tlb_flush();
	write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | SCTLR_M);
	isb();
	hvtest_check(read_sysreg(sctlr_el1) & SCTLR_M, "paging.enabled", "SCTLR_EL1.M is clear");

	hvtest_check(alias[7] == (0x1111111100000000UL | 7) && alias[511] == 0x11111111000001ffUL,
		     "paging.read_through_both_stages", "alias[7] = 0x%lx",
		     (unsigned long)alias[7]);
	alias[42] = 0xfeedf00ddeadbeefUL;
	/* Read back through the identity view of `data` (volatile: from memory, not a copy). */
	hvtest_check(((volatile u64 *)data)[42] == 0xfeedf00ddeadbeefUL,
		     "paging.write_through_both_stages",
		     "data[42] = 0x%lx after a write through the alias",
		     (unsigned long)((volatile u64 *)data)[42]);

	/*
	 * A VA the guest did not map (level3[1] is invalid): its own data abort at EL1, a
	 * stage-1 translation fault - not the hypervisor's business.
	 */
	trap_expect();
	__asm__ volatile("adr %0, 1f\n1: ldr xzr, [%x1]"
			 : "=&r"(at)
			 : "r"(ALIAS_VA + 0x1000)
			 : "memory");
	hvtest_check(trap_seen.count == 1 && ESR_EC(trap_seen.cause) == EC_DABT_CUR &&
			     DFSC_IS_TRANSLATION(ESR_DFSC(trap_seen.cause)) &&
			     trap_seen.epc == at && trap_seen.tval == ALIAS_VA + 0x1000,
		     "paging.own_page_fault",
		     "count %lu ESR_EL1 0x%lx ELR_EL1 0x%lx (load at 0x%lx) FAR_EL1 0x%lx",
		     trap_seen.count, trap_seen.cause, trap_seen.epc, at, trap_seen.tval);

	write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) & ~SCTLR_M);
	isb();
	hvtest_finish();
}
