/* bundle.h - the VM bundle: the device tree, loaded as the initrd, that describes the VMs. */
#ifndef HVLAB_BUNDLE_H
#define HVLAB_BUNDLE_H

#include <fdt.h>
#include <machine.h>

#define VM_MAX	       4 /* VMs in a bundle */
#define VM_MAX_VCPUS   8 /* vCPUs of one VM */
#define VM_MAX_REGIONS 4 /* RAM regions of one VM */

#define VM_MAX_DEVICES 4 /* emulated devices of one VM */

/* An emulated device: a child node of vm@N with a compatible string and a reg. */
struct vm_device_config {
	const char *compatible;
	paddr_t base; /* guest-physical */
	u64 size;
	u32 irq; /* a passthrough device's host interrupt, or 0 */
};

/* One VM as the bundle describes it; pointers point into the bundle. */
struct vm_config {
	int index; /* N of the node vm@N */
	const char *name;
	unsigned int nr_vcpus;
	unsigned int vcpu_cpu[VM_MAX_VCPUS]; /* the physical CPU of each vCPU (affinity) */
	struct mem_range mem[VM_MAX_REGIONS]; /* guest-physical RAM */
	int nr_mem;
	bool identity; /* GPA = HPA: the regions are host RAM at the same address */
	const void *kernel; /* the image, inside the bundle */
	u32 kernel_size;
	paddr_t kernel_gpa; /* where it is loaded */
	paddr_t entry; /* where vCPU 0 starts */
	const char *bootargs;
	struct vm_device_config devices[VM_MAX_DEVICES];
	int nr_devices;
	/* A stray access gets an access fault in the guest instead of stopping the VM. */
	bool inject_faults;
	const void *dtb; /* the guest's device tree (for Linux), or NULL */
	u32 dtb_size;
	paddr_t dtb_gpa; /* where it is loaded; vCPU 0 gets it in a1 */
};

/*
 * Finds the bundle in the host's initrd (/chosen linux,initrd-start) and reads every VM
 * of it into cfg[]. Returns the number of VMs (0 when there is no initrd), or -EINVAL
 * after describing the problem in 'why', naming the VM and the property.
 */
int bundle_load(const struct machine *m, struct vm_config *cfg, int max, char *why,
		size_t why_size);

#endif
