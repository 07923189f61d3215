/*
 * vintc.h - a VM's virtual interrupt controller, whichever the architecture's is (RISC-V:
 * a virtual PLIC, vdev/vplic.c; arm64: a virtual GICv3, to come). The core and the
 * devices see only its lines: a device raises or lowers one, and the controller decides
 * what the guest's vCPUs see. Each arch implements these in its arch/<arch>/vintc.c
 * (arm64: stubs in not_yet.c until its lab 4).
 */
#ifndef HVLAB_VINTC_H
#define HVLAB_VINTC_H

#include <types.h>

struct vm;

/*
 * Gives vm its controller, at the guest-physical address its guests expect, as a device
 * on its MMIO bus (whose reset hook returns it to its power-on state when the VM
 * reboots). 0, or a negative errno after describing the problem in 'why'.
 */
int vintc_create(struct vm *vm, char *why, size_t why_size);

/* Lines 1 .. vintc_nr_lines() exist for the VM's devices. */
u32 vintc_nr_lines(const struct vm *vm);

/* A device's interrupt line is high or low now. The caller holds vm->mmio.lock. */
void vintc_set_level(struct vm *vm, u32 line, bool high);

#endif
