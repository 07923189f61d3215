/* tlb.h - TLB maintenance for a VM's translations (Arm ARM D8.13, "TLB maintenance"). */
#ifndef ARM64_TLB_H
#define ARM64_TLB_H

#include <asm/sysreg.h>

/*
 * Every stage-1 and stage-2 translation tagged with the VMID of vttbr, on every CPU of
 * the inner-shareable domain (TLBI VMALLS12E1IS works on the VMID in VTTBR_EL2, so that
 * is vttbr for a moment). DSB waits for the invalidation to complete, ISB for its effect.
 */
static inline void tlb_flush_vmid(u64 vttbr)
{
	u64 old = read_sysreg(vttbr_el2);

	write_sysreg(vttbr_el2, vttbr);
	isb();
	__asm__ volatile("dsb ishst\n tlbi vmalls12e1is\n dsb ish\n isb" ::: "memory");
	write_sysreg(vttbr_el2, old);
	isb();
}

#endif
