/*
 * psci.c - calling the firmware's PSCI (Arm DEN 0022): QEMU implements it itself, and
 * the device tree's /psci node says how to reach it - "smc" when QEMU runs a hypervisor
 * at EL2 (virtualization=on), "hvc" otherwise. Arguments and results follow the SMC
 * Calling Convention (Arm DEN 0028, section 2.7): function id in w0, arguments in x1-x3,
 * the result in x0.
 */
#include <types.h>

#include "cpu.h"

static bool psci_hvc;

void psci_set_conduit(bool hvc)
{
	psci_hvc = hvc;
}

long psci_call(u32 function, u64 arg0, u64 arg1, u64 arg2)
{
	register u64 x0 __asm__("x0") = function;
	register u64 x1 __asm__("x1") = arg0;
	register u64 x2 __asm__("x2") = arg1;
	register u64 x3 __asm__("x3") = arg2;

	if (psci_hvc)
		__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	else
		__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return (long)x0;
}
