/* bundle.h - the VM bundle: the device tree, loaded as the initrd, that describes the VMs. */
#ifndef HVLAB_BUNDLE_H
#define HVLAB_BUNDLE_H

#include <fdt.h>
#include <machine.h>

#define VM_MAX	       4 /* VMs in a bundle */
#define VM_MAX_VCPUS   8 /* vCPUs of one VM */
#define VM_MAX_REGIONS 4 /* RAM regions of one VM */


/* One VM as the bundle describes it; pointers point into the bundle. */
struct vm_config {
	int index; /* N of the node vm@N */
	const char *name;
	unsigned int nr_vcpus;
	struct mem_range mem[VM_MAX_REGIONS]; /* guest-physical RAM */
	int nr_mem;
	bool identity; /* GPA = HPA: the regions are host RAM at the same address */
	const void *kernel; /* the image, inside the bundle */
	u32 kernel_size;
	paddr_t kernel_gpa; /* where it is loaded */
	paddr_t entry; /* where vCPU 0 starts */
	const char *bootargs;
};

/*
 * Finds the bundle in the host's initrd (/chosen linux,initrd-start) and reads every VM
 * of it into cfg[]. Returns the number of VMs (0 when there is no initrd), or -EINVAL
 * after describing the problem in 'why', naming the VM and the property.
 */
int bundle_load(const struct machine *m, struct vm_config *cfg, int max, char *why,
		size_t why_size);

#endif
