/*
 * testdev.c - "hvlab,testdev": a bank of registers for testing the MMIO path at every
 * width. Offsets (little-endian, any naturally aligned 1, 2, 4 or 8-byte access):
 *
 *   0x00  ID, read-only: the bytes "HVTESTDV"
 *   0x08  seven 64-bit scratch registers, read/write, up to 0x3f
 *   0x40  accesses so far (read-only; counts this read too)
 *   0x48  write N: raise line N (1 .. 127) of the VM's interrupt controller (lab 4)
 *   0x50  write N: lower it again
 *
 * Everything else reads as 0 and ignores writes.
 */
#include <errno.h>
#include <mmio.h>
#include <printf.h>
#include <string.h>
#include <vdev.h>
#include <vm.h>
#include <vintc.h>

#define TESTDEV_ID	0x5644545345545648UL /* "HVTESTDV" in little-endian bytes */
#define TESTDEV_SCRATCH 0x08
#define TESTDEV_COUNT	0x40
#define TESTDEV_IRQ_RAISE 0x48
#define TESTDEV_IRQ_LOWER 0x50
#define TESTDEV_LINES	  128
#define TESTDEV_SIZE 0x1000

struct testdev {
	struct mmio_device dev;
	u8 regs[0x40]; /* ID and scratch, as bytes: any width at any aligned offset */
	u64 accesses;
	struct vm *vm;
	u32 raised[TESTDEV_LINES / 32]; /* the lines it holds high */
};

static struct testdev testdevs[VM_MAX * VM_MAX_DEVICES];
static int nr_testdevs;

static int testdev_read(struct mmio_device *dev, u64 offset, unsigned int width, u64 *value)
{
	struct testdev *t = dev->priv;

	t->accesses++;
	*value = 0;
	if (offset + width <= sizeof(t->regs))
		memcpy(value, &t->regs[offset], width); /* little-endian host and guest */
	else if (offset == TESTDEV_COUNT && width == 8)
		*value = t->accesses;
	return 0;
}

static void testdev_set_line(struct testdev *t, u32 line, bool high)
{
	if (high)
		t->raised[line / 32] |= 1U << (line % 32);
	else
		t->raised[line / 32] &= ~(1U << (line % 32));
	vintc_set_level(t->vm, line, high);
}

static int testdev_write(struct mmio_device *dev, u64 offset, unsigned int width, u64 value)
{
	struct testdev *t = dev->priv;

	t->accesses++;
	if (offset >= TESTDEV_SCRATCH && offset + width <= sizeof(t->regs))
		memcpy(&t->regs[offset], &value, width);
	/* An interrupt line the guest controls: for testing its interrupt controller. */
	if ((offset == TESTDEV_IRQ_RAISE || offset == TESTDEV_IRQ_LOWER) && value < TESTDEV_LINES)
		testdev_set_line(t, (u32)value, offset == TESTDEV_IRQ_RAISE);
	return 0;
}

/* Power-on state: the ID, scratch and the access count as new, every line low. */
static void testdev_reset(struct mmio_device *dev)
{
	struct testdev *t = dev->priv;
	u64 id = TESTDEV_ID;

	memset(t->regs, 0, sizeof(t->regs));
	memcpy(t->regs, &id, sizeof(id));
	t->accesses = 0;
	for (u32 line = 0; line < TESTDEV_LINES; line++)
		if (t->raised[line / 32] & (1U << (line % 32)))
			testdev_set_line(t, line, false);
}

int testdev_create(struct vm *vm, const struct vm_device_config *dc, char *why, size_t why_size)
{
	struct testdev *t;

	if (dc->size != TESTDEV_SIZE) {
		snprintf(why, why_size, "its reg must be 0x%x bytes", TESTDEV_SIZE);
		return -EINVAL;
	}
	if (nr_testdevs == ARRAY_SIZE(testdevs)) {
		snprintf(why, why_size, "no more test devices");
		return -ENOSPC;
	}
	t = &testdevs[nr_testdevs++];
	memset(t, 0, sizeof(*t));
	t->vm = vm;
	t->dev = (struct mmio_device){
		.name = "testdev",
		.base = dc->base,
		.size = TESTDEV_SIZE,
		.read = testdev_read,
		.write = testdev_write,
		.reset = testdev_reset,
		.priv = t,
	};
	testdev_reset(&t->dev);
	return mmio_register(&vm->mmio, &t->dev);
}
