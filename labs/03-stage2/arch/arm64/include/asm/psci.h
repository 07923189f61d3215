/*
 * asm/psci.h - PSCI and SMCCC function ids and return values (Arm DEN 0022, "Power State
 * Coordination Interface", 5.1 and 5.2.2; Arm DEN 0028, "SMC Calling Convention", 7).
 * The hypervisor calls the firmware's PSCI (QEMU's) and offers its own to guests.
 */
#ifndef ASM_PSCI_H
#define ASM_PSCI_H

#define PSCI_VERSION		 0x84000000
#define PSCI_CPU_SUSPEND	 0xc4000001
#define PSCI_CPU_OFF		 0x84000002
#define PSCI_CPU_ON		 0xc4000003
#define PSCI_AFFINITY_INFO	 0xc4000004
#define PSCI_MIGRATE		 0xc4000005
#define PSCI_MIGRATE_INFO_TYPE	 0x84000006
#define PSCI_MIGRATE_INFO_UP_CPU 0xc4000007
#define PSCI_SYSTEM_OFF		 0x84000008
#define PSCI_SYSTEM_RESET	 0x84000009
#define PSCI_FEATURES		 0x8400000a
#define PSCI_SYSTEM_SUSPEND	 0xc400000e
#define PSCI_SYSTEM_RESET2	 0xc4000012

#define PSCI_SUCCESS		0
#define PSCI_NOT_SUPPORTED	(-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_DENIED		(-3)
#define PSCI_ALREADY_ON		(-4)
#define PSCI_ON_PENDING		(-5)
#define PSCI_INTERNAL_FAILURE	(-6)
#define PSCI_NOT_PRESENT	(-7)
#define PSCI_DISABLED		(-8)
#define PSCI_INVALID_ADDRESS	(-9)

/* AFFINITY_INFO's answers (5.1.5). */
#define PSCI_AFFINITY_ON	 0
#define PSCI_AFFINITY_OFF	 1
#define PSCI_AFFINITY_ON_PENDING 2

/* SMCCC: the architecture calls (7.2) and what unknown calls answer (5.2). */
#define SMCCC_VERSION		0x80000000
#define SMCCC_ARCH_FEATURES	0x80000001
#define SMCCC_NOT_SUPPORTED	(-1)
#define SMCCC_INVALID_PARAMETER (-3)

#endif
