/* vdev.h - the emulated devices a bundle can give a VM. */
#ifndef HVLAB_VDEV_H
#define HVLAB_VDEV_H

#include <bundle.h>

struct vm;

/* Creates the device dc describes and puts it on vm's MMIO bus. */
int vdev_create(struct vm *vm, const struct vm_device_config *dc, char *why, size_t why_size);

/* The devices, by compatible string. */
int testdev_create(struct vm *vm, const struct vm_device_config *dc, char *why, size_t why_size);
int passthrough_create(struct vm *vm, const struct vm_device_config *dc, char *why,
		       size_t why_size);

#endif
