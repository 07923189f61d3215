/* @since 3 */
/*
 * vm_stage2.c - what building a VM's address space is on every arch: a VMID of its own,
 * stage-2 tables that map its RAM regions, and the dump of them the grader reads. The
 * arch then puts them in force (RISC-V: hgatp; arm64: VTTBR_EL2) - arch/<arch>/vm.c.
 */
#include <errno.h>
#include <printf.h>
#include <vm.h>

static u64 vmids_used = 1; /* bit n: VMID n is taken; 0 is never given out */

/* A VMID no live VM has: two VMs never share TLB entries tagged with one. */
int vmid_alloc(unsigned int vmid_bits)
{
	/* @lab 3 begin: Return the lowest VMID whose bit in vmids_used is clear, after
	 * setting it: VMID 0 stays reserved, and there are 2^vmid_bits of them (at most
	 * the 64 that vmids_used can track). -ENOSPC when all are taken. */
	unsigned int limit = vmid_bits >= 6 ? 64 : 1U << vmid_bits;

	for (unsigned int vmid = 1; vmid < limit; vmid++) {
		if (!(vmids_used & (1UL << vmid))) {
			vmids_used |= 1UL << vmid;
			return (int)vmid;
		}
	}
	return -ENOSPC;
	/* @lab 3 stub: (void)vmids_used; */
	/* @lab 3 stub: return -ENOSYS; */
	/* @lab 3 end */
}

struct dump_run {
	const struct vm *vm;
	u64 gpa, hpa, size, leaf;
	unsigned int prot, leaves;
};

static void dump_flush(struct dump_run *r)
{
	if (!r->leaves)
		return;
	printf("vm%d (%s): stage-2 0x%lx-0x%lx -> 0x%lx %c%c%c, %u x %lu KiB\n", r->vm->id,
	       r->vm->config->name, r->gpa, r->gpa + r->size, r->hpa,
	       r->prot & STAGE2_R ? 'r' : '-', r->prot & STAGE2_W ? 'w' : '-',
	       r->prot & STAGE2_X ? 'x' : '-', r->leaves, r->leaf / KiB);
	r->leaves = 0;
}

/* Leaves of one size that continue the run in both address spaces join it. */
static void dump_leaf(void *arg, u64 gpa, u64 hpa, u64 size, unsigned int prot)
{
	struct dump_run *r = arg;

	if (r->leaves && size == r->leaf && prot == r->prot && gpa == r->gpa + r->size &&
	    hpa == r->hpa + r->size) {
		r->size += size;
		r->leaves++;
		return;
	}
	dump_flush(r);
	*r = (struct dump_run){r->vm, gpa, hpa, size, size, prot, 1};
}

/* One line per run of equal leaves: what the grader reads to see superpages. */
static void stage2_dump(const struct vm *vm, const struct stage2 *s2)
{
	struct dump_run run = {.vm = vm};

	stage2_walk(s2, dump_leaf, &run);
	dump_flush(&run);
}

/*
 * While the lab's stage-2 code is still being written (its functions answer -ENOSYS),
 * an identity-mapped VM can run the way lab 2 ran it, without translation: say so, and
 * return -ENOSYS for the arch to do that. Any other VM needs the translation.
 */
static int stage2_missing(struct vm *vm, const char *what, char *why, size_t why_size)
{
	if (vm->config->identity) {
		printf("vm%d (%s): %s is not written yet: running identity-mapped without stage-2 "
		       "translation, as in lab 2\n",
		       vm->id, vm->config->name, what);
		return -ENOSYS;
	}
	snprintf(why, why_size, "vm%d (%s): %s is not written yet (ENOSYS) - see its TODO", vm->id,
		 vm->config->name, what);
	return -EINVAL;
}

int vm_stage2_setup(struct vm *vm, struct stage2 *s2, unsigned int vmid_bits, unsigned int *vmid,
		    char *why, size_t why_size)
{
	int id = vmid_bits ? vmid_alloc(vmid_bits) : 0, err;

	if (id == -ENOSYS)
		return stage2_missing(vm, "vmid_alloc()", why, why_size);
	if (id < 0) {
		snprintf(why, why_size, "vm%d (%s): no free VMID (%u VMID bits)", vm->id,
			 vm->config->name, vmid_bits);
		return id;
	}
	*vmid = id;
	if ((err = stage2_init(s2))) {
		snprintf(why, why_size, "vm%d (%s): no memory for a stage-2 root table", vm->id,
			 vm->config->name);
		return err;
	}
	for (int i = 0; i < vm->nr_mem; i++) {
		const struct vm_region *r = &vm->mem[i];

		err = stage2_map(s2, r->gpa, r->hpa, r->size, STAGE2_RWX);
		if (err == -ENOSYS)
			return stage2_missing(vm, "stage2_map()", why, why_size);
		if (err) {
			snprintf(why, why_size, "vm%d (%s): stage2_map(0x%lx -> 0x%lx, 0x%lx): %s",
				 vm->id, vm->config->name, r->gpa, r->hpa, r->size,
				 errno_name(err));
			return err;
		}
	}
	printf("vm%d (%s): VMID %u, %lu stage-2 tables\n", vm->id, vm->config->name, *vmid,
	       s2->tables);
	stage2_dump(vm, s2);
	return 0;
}
