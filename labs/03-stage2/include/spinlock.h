/*
 * spinlock.h - ticket locks: mutual exclusion between the CPUs that run the hypervisor.
 *
 * A CPU takes a ticket (an atomic fetch-and-add on `next`) and spins until `owner`
 * reaches it; unlocking hands the lock to the next ticket. CPUs get the lock in the
 * order they asked for it, so none waits forever while others keep taking it. The
 * hypervisor never takes an interrupt in its own code (RISC-V: sstatus.SIE stays 0;
 * arm64: PSTATE.I stays set at EL2), so a lock holder is never interrupted by code that
 * wants the same lock.
 *
 * The atomics are GCC's __atomic builtins: on RISC-V an AMOADD.W takes the ticket, and
 * the compiler adds the FENCEs that acquire and release need around the loads and the
 * store (Unprivileged Spec, chapter 8 "A" extension, and appendix A, the memory model);
 * on arm64 it emits an LDAXR/STLXR loop (or LDADDAL with LSE) and LDAR/STLR.
 */
#ifndef HVLAB_SPINLOCK_H
#define HVLAB_SPINLOCK_H

#include <types.h>

typedef struct {
	u32 next; /* the ticket the next CPU to ask gets */
	u32 owner; /* the ticket that holds the lock */
} spinlock_t;

#define SPINLOCK_INIT ((spinlock_t){0, 0})

static inline void spin_lock(spinlock_t *lock)
{
	u32 ticket = __atomic_fetch_add(&lock->next, 1, __ATOMIC_RELAXED);

	/* Acquire: nothing the holder does moves before it has the lock. */
	while (__atomic_load_n(&lock->owner, __ATOMIC_ACQUIRE) != ticket)
		;
}

static inline void spin_unlock(spinlock_t *lock)
{
	/* Release: everything done under the lock is visible before the next holder runs. */
	__atomic_store_n(&lock->owner, lock->owner + 1, __ATOMIC_RELEASE);
}

#endif
