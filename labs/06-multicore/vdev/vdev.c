/* vdev.c - create a VM's emulated devices from its bundle description. */
#include <errno.h>
#include <printf.h>
#include <string.h>
#include <vdev.h>
#include <vm.h>
#include <vuart.h>

static const struct {
	const char *compatible;
	int (*create)(struct vm *vm, const struct vm_device_config *dc, char *why, size_t why_size);
} vdev_types[] = {
	{"hvlab,testdev", testdev_create},
	{"hvlab,passthrough", passthrough_create},
	{"ns16550a", vuart_create},
};

int vdev_create(struct vm *vm, const struct vm_device_config *dc, char *why, size_t why_size)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(vdev_types); i++)
		if (!strcmp(dc->compatible, vdev_types[i].compatible))
			return vdev_types[i].create(vm, dc, why, why_size);
	snprintf(why, why_size, "unknown device \"%s\"", dc->compatible);
	return -ENODEV;
}
