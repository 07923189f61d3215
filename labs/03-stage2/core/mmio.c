/* mmio.c - the per-VM bus that routes trapped loads and stores to emulated devices. */
#include <errno.h>
#include <mmio.h>

int mmio_register(struct mmio_bus *bus, struct mmio_device *dev)
{
	if (bus->nr_devices == MMIO_MAX_DEVICES)
		return -ENOSPC;
	for (int i = 0; i < bus->nr_devices; i++) {
		const struct mmio_device *d = bus->devices[i];

		if (dev->base < d->base + d->size && d->base < dev->base + dev->size)
			return -EEXIST;
	}
	bus->devices[bus->nr_devices++] = dev;
	return 0;
}

struct mmio_device *mmio_find(const struct mmio_bus *bus, paddr_t gpa)
{
	for (int i = 0; i < bus->nr_devices; i++) {
		struct mmio_device *d = bus->devices[i];

		if (gpa >= d->base && gpa - d->base < d->size)
			return d;
	}
	return NULL;
}

/*
 * Last registered, first reset: a device may lower a line of the interrupt controller,
 * registered before every other device, which then starts from the lines as they are.
 */
void mmio_reset(struct mmio_bus *bus)
{
	for (int i = bus->nr_devices - 1; i >= 0; i--)
		if (bus->devices[i]->reset)
			bus->devices[i]->reset(bus->devices[i]);
}

/* The device holding all of [gpa, gpa + width), for a naturally aligned access. */
static struct mmio_device *mmio_target(const struct mmio_bus *bus, paddr_t gpa, unsigned int width,
				       int *err)
{
	struct mmio_device *d = mmio_find(bus, gpa);

	*err = 0;
	if (!d)
		*err = -ENODEV;
	else if ((width != 1 && width != 2 && width != 4 && width != 8) || gpa % width ||
		 gpa - d->base + width > d->size)
		*err = -EINVAL;
	return *err ? NULL : d;
}

/* One access, under the bus lock: a store writes *value to the device, a load fills it. */
static int mmio_access(struct mmio_bus *bus, paddr_t gpa, unsigned int width, u64 *value,
		       bool store)
{
	int err;
	struct mmio_device *d = mmio_target(bus, gpa, width, &err);

	if (!d)
		return err;
	spin_lock(&bus->lock);
	err = store ? d->write(d, gpa - d->base, width, *value)
		    : d->read(d, gpa - d->base, width, value);
	spin_unlock(&bus->lock);
	return err;
}

int mmio_read(struct mmio_bus *bus, paddr_t gpa, unsigned int width, u64 *value)
{
	return mmio_access(bus, gpa, width, value, false);
}

int mmio_write(struct mmio_bus *bus, paddr_t gpa, unsigned int width, u64 value)
{
	return mmio_access(bus, gpa, width, &value, true);
}
