/*
 * paging.c - the guest turns on its own Sv39 translation (vsatp, as the guest's satp)
 * and reads data back through both stages: guest-virtual -> guest-physical (its tables)
 * -> host-physical (the hypervisor's stage-2 tables).
 */
#include <hvtest.h>
#include <rv.h>

#define ALIAS_VA 0xC0000000UL /* a guest-virtual address with nothing behind it but this */

static u64 root[512] __attribute__((aligned(4096)));
static u64 level1[512] __attribute__((aligned(4096)));
static u64 level0[512] __attribute__((aligned(4096)));
static u64 data[512] __attribute__((aligned(4096)));

static u64 pte(const void *pa, u64 flags)
{
	return ((u64)(uintptr_t)pa >> 12) << 10 | flags | PTE_V;
}

int main(unsigned long hart, unsigned long dtb)
{
	volatile u64 *alias = (volatile u64 *)ALIAS_VA;
	unsigned long at;

	/* 0x80000000-0xbfffffff: a 1 GiB identity leaf, so the code runs on unchanged. */
	root[2] = pte((void *)0x80000000UL, PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
	/* 0xc0000000: through two more tables to the 4 KiB page `data`. */
	root[3] = pte(level1, 0);
	level1[0] = pte(level0, 0);
	level0[0] = pte(data, PTE_R | PTE_W | PTE_A | PTE_D);
	for (int i = 0; i < 512; i++)
		data[i] = 0x1111111100000000UL | (u64)i;

	__asm__ volatile("csrw satp, %0\n sfence.vma" : : "r"(SATP_SV39 | (u64)(uintptr_t)root >> 12)
			 : "memory");
	hvtest_pass("paging.enabled");

	hvtest_check(alias[7] == (0x1111111100000000UL | 7) && alias[511] == 0x11111111000001ffUL,
		     "paging.read_through_both_stages", "alias[7] = 0x%lx", (unsigned long)alias[7]);
	alias[42] = 0xfeedf00ddeadbeefUL;
	/* Read back through the identity view of `data` (volatile: from memory, not a copy). */
	hvtest_check(((volatile u64 *)data)[42] == 0xfeedf00ddeadbeefUL,
		     "paging.write_through_both_stages", "data[42] = 0x%lx after a write through "
		     "the alias", (unsigned long)((volatile u64 *)data)[42]);

	/* A VA the guest did not map: its own page fault (delegated), not the hypervisor's. */
	trap_expect();
	__asm__ volatile("la %0, 1f\n1: ld zero, 0(%1)" : "=&r"(at) : "r"(ALIAS_VA + 0x1000)
			 : "memory");
	hvtest_check(trap_seen.count == 1 && trap_seen.cause == 13 && trap_seen.epc == at &&
			     trap_seen.tval == ALIAS_VA + 0x1000,
		     "paging.own_page_fault", "count %lu cause %lu tval 0x%lx", trap_seen.count,
		     trap_seen.cause, trap_seen.tval);

	__asm__ volatile("csrw satp, zero\n sfence.vma" : : : "memory");
	hvtest_finish();
}
