/*
 * smp.c - the other CPUs: starting them, and the mailboxes that carry requests between
 * CPUs (see smp.h for the rule they serve: a vCPU is changed only by its own CPU).
 */
#include <arch.h>
#include <errno.h>
#include <panic.h>
#include <percpu.h>
#include <printf.h>
#include <smp.h>
#include <vcpu.h>
#include <vm.h>

static void (*secondary_work)(void);

void smp_init(void)
{
	nr_cpus = nr_cpus_present;
	printf("smp: %u CPU(s):", nr_cpus);
	for (unsigned int i = 0; i < nr_cpus; i++)
		printf(" cpu %u = %s %lu%s", i, arch_cpu_hwid_name, cpus[i].hwid,
		       i + 1 < nr_cpus ? "," : "\n");
}

/* What to do about an arch_cpu_start() failure, when there is more to say than its errno. */
static const char *cpu_start_hint(int err)
{
	switch (err) {
	case -ENOSYS:
		return " - arch_cpu_start() is not written yet, see its TODO";
	case -ENOTSUP:
		return " - this arch runs on one CPU so far: boot it with -smp 1";
	default:
		return "";
	}
}

void smp_start_secondaries(void (*work)(void))
{
	secondary_work = work;
	for (unsigned int i = 1; i < nr_cpus; i++) {
		int err = arch_cpu_start(&cpus[i]);

		if (err)
			fatal("smp: cannot start cpu %u (%s %lu): %s%s", i, arch_cpu_hwid_name,
			      cpus[i].hwid, errno_name(err), cpu_start_hint(err));
	}
}

/* A secondary CPU's first C code (head.S, _start_secondary): tp and sp are its own. */
void __noreturn hv_secondary_main(struct cpu *cpu);

void hv_secondary_main(struct cpu *cpu)
{
	arch_virt_init();
	/* Online before the first look at the mailbox: a sender that saw it offline (and
	 * sent no IPI) posted before this point, so the scheduler finds the message. */
	__atomic_store_n(&cpu->online, true, __ATOMIC_SEQ_CST);
	printf("smp: cpu %u (%s %lu) online\n", cpu->id, arch_cpu_hwid_name, cpu->hwid);
	secondary_work();
	arch_cpu_park();
}

void cpu_kick(unsigned int cpu)
{
	if (cpu == cpu_id())
		return; /* it will see its mail before it runs a guest again */
	/* The message is posted before `online` is read (pairs with hv_secondary_main). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&cpus[cpu].online, __ATOMIC_SEQ_CST))
		arch_cpu_send_ipi(&cpus[cpu]);
}

/*
 * A raised or lowered interrupt that is still waiting in the mailbox just changes its
 * level: only the last one matters, and the mailbox can never fill up with them.
 */
static inline bool cpu_msg_merge(struct cpu_mailbox *mb, const struct cpu_msg *msg)
{
	if (msg->type != CPU_MSG_VIRQ)
		return false;
	for (unsigned int i = 0; i < mb->count; i++) {
		struct cpu_msg *m = &mb->msgs[(mb->head + i) % CPU_MAILBOX_SIZE];

		if (m->type == CPU_MSG_VIRQ && m->vcpu == msg->vcpu && m->arg[0] == msg->arg[0]) {
			m->arg[1] = msg->arg[1];
			return true;
		}
	}
	return false;
}

void cpu_msg_send(unsigned int cpu, const struct cpu_msg *msg)
{
	struct cpu_mailbox *mb = &cpus[cpu].mailbox;

	/* TODO(lab 6): Under the mailbox's lock, append msg to the ring (msgs[], head,
	 * count) - unless cpu_msg_merge() folds it into one already waiting. A full
	 * mailbox is a hypervisor bug (smp.h explains why it cannot fill): panic. Then,
	 * outside the lock, cpu_kick() the CPU so that it reads its mail now. See README.md. */
	(void)mb;
	panic("cpu_msg_send() in core/smp.c is not written yet - see its TODO");
}

static bool cpu_msg_take(struct cpu_mailbox *mb, struct cpu_msg *msg)
{
	bool got;

	spin_lock(&mb->lock);
	got = mb->count > 0;
	if (got) {
		*msg = mb->msgs[mb->head];
		mb->head = (mb->head + 1) % CPU_MAILBOX_SIZE;
		mb->count--;
	}
	spin_unlock(&mb->lock);
	return got;
}

static void msg_vcpu_start(struct cpu_msg *msg)
{
	vcpu_start_here(msg->vcpu, msg->arg[0], msg->arg[1]);
}

static void msg_virq(struct cpu_msg *msg)
{
	arch_vcpu_set_virq(msg->vcpu, (enum virq)msg->arg[0], msg->arg[1]);
}

static void msg_fence(struct cpu_msg *msg)
{
	arch_vm_fence(msg->vm, (enum vm_fence)msg->arg[0], msg->arg[1]);
}

static void (*const cpu_msg_handlers[CPU_MSG_TYPES])(struct cpu_msg *msg) = {
	[CPU_MSG_VCPU_START] = msg_vcpu_start,
	[CPU_MSG_VIRQ] = msg_virq,
	[CPU_MSG_FENCE] = msg_fence,
};

void cpu_msgs_handle(void)
{
	struct cpu_msg msg;

	while (cpu_msg_take(&this_cpu()->mailbox, &msg)) {
		cpu_msg_handlers[msg.type](&msg);
		/* Release: what the handler did is visible to whoever waits for it. */
		if (msg.done)
			__atomic_fetch_sub(msg.done, 1, __ATOMIC_RELEASE);
	}
}

void cpu_wait_for(u32 *counter)
{
	while (__atomic_load_n(counter, __ATOMIC_ACQUIRE))
		cpu_msgs_handle();
}
