/*
 * mmio.h - a VM's MMIO bus: emulated devices claim guest-physical ranges; a guest load
 * or store there traps (no stage-2 mapping) and the hypervisor hands it to the device.
 */
#ifndef HVLAB_MMIO_H
#define HVLAB_MMIO_H

#include <spinlock.h>
#include <types.h>

#define MMIO_MAX_DEVICES 8

struct mmio_device {
	const char *name;
	paddr_t base;
	u64 size;
	/* width is 1, 2, 4 or 8 and the access naturally aligned; errors are -errno. */
	int (*read)(struct mmio_device *dev, u64 offset, unsigned int width, u64 *value);
	int (*write)(struct mmio_device *dev, u64 offset, unsigned int width, u64 value);
	/* Back to the power-on state (the VM reboots); NULL: the device keeps no state. */
	void (*reset)(struct mmio_device *dev);
	void *priv;
};

struct mmio_bus {
	struct mmio_device *devices[MMIO_MAX_DEVICES];
	int nr_devices;
	/*
	 * One access at a time to the VM's emulated devices: its vCPUs may run on several
	 * CPUs (lab 6), and host interrupts reach its devices too. Taken by mmio_read()
	 * and mmio_write(); others who touch a device's state take it themselves.
	 */
	spinlock_t lock;
};

/* -EEXIST when the range overlaps another device's, -ENOSPC when the bus is full. */
int mmio_register(struct mmio_bus *bus, struct mmio_device *dev);
struct mmio_device *mmio_find(const struct mmio_bus *bus, paddr_t gpa);

/* Resets every device of the bus (the VM reboots). The caller holds bus->lock. */
void mmio_reset(struct mmio_bus *bus);

/* Forward one access to the device at gpa: -ENODEV if none, -EINVAL if misaligned. */
int mmio_read(struct mmio_bus *bus, paddr_t gpa, unsigned int width, u64 *value);
int mmio_write(struct mmio_bus *bus, paddr_t gpa, unsigned int width, u64 value);

#endif
