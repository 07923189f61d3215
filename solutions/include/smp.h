/* @since 6 */
/*
 * smp.h - several CPUs: starting them, and the messages they send each other.
 *
 * One rule keeps the SMP hypervisor simple: a vCPU is changed only by the CPU it is
 * pinned to (its affinity, vcpu->cpu). Another CPU that wants it started, interrupted
 * or fenced puts a message in that CPU's mailbox and sends it a physical IPI; the
 * owner handles the message the next time it is in the hypervisor - at once if the IPI
 * took it out of a guest or woke it from WFI.
 */
#ifndef HVLAB_SMP_H
#define HVLAB_SMP_H

#include <bundle.h>
#include <spinlock.h>
#include <types.h>

struct cpu;
struct vcpu;
struct vm;

enum cpu_msg_type {
	CPU_MSG_VCPU_START, /* start a START_PENDING vCPU: arg[0] entry, arg[1] its a1 */
	CPU_MSG_VIRQ, /* raise or lower one of a vCPU's interrupts: arg[0] irq, arg[1] level */
	CPU_MSG_FENCE, /* flush a VM's translations here: arg[] as arch_vm_fence() */
	CPU_MSG_TYPES,
};

struct cpu_msg {
	enum cpu_msg_type type;
	struct vcpu *vcpu; /* the vCPU it is about (START, VIRQ) */
	struct vm *vm; /* the VM it is about (FENCE) */
	unsigned long arg[4];
	u32 *done; /* when not NULL: decremented once the message has been handled */
};

/*
 * Enough for every message that can be waiting at once: two STARTs per vCPU (only a
 * START_PENDING vCPU gets one, and one may be left over from before a reboot), a VIRQ
 * per vCPU and interrupt (cpu_msg_send() merges repeats), a FENCE per other CPU (each
 * waits for its fence before it sends another).
 */
#define CPU_MAILBOX_SIZE (VM_MAX * VM_MAX_VCPUS * 4 + CPU_MAX)

/* A ring of messages for one CPU; any CPU may post, only the owner takes them out. */
struct cpu_mailbox {
	spinlock_t lock;
	struct cpu_msg msgs[CPU_MAILBOX_SIZE];
	unsigned int head, count;
};

/* The hypervisor will run on every hart of the machine: nr_cpus = nr_cpus_present. */
void smp_init(void);

/* Starts every other CPU; each prepares itself to run guests, then calls work(). */
void smp_start_secondaries(void (*work)(void));

/* Posts msg to CPU `cpu` and interrupts it. It never waits: a full mailbox is a bug. */
void cpu_msg_send(unsigned int cpu, const struct cpu_msg *msg);

/* Handles every message waiting for this CPU. */
void cpu_msgs_handle(void);

/* Makes CPU `cpu` look at its mailbox and its vCPUs again (a physical IPI). */
void cpu_kick(unsigned int cpu);

/* Waits until *counter reaches 0, handling this CPU's messages meanwhile (no deadlock). */
void cpu_wait_for(u32 *counter);

/* Arch hooks: start a hart at _start_secondary; send it an IPI; stop this hart for good. */
int arch_cpu_start(struct cpu *cpu);
void arch_cpu_send_ipi(const struct cpu *cpu);
void __noreturn arch_cpu_park(void);

#endif
