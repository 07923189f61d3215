/* @since 5 */
/*
 * uart16550.c - "ns16550a": an emulated 16550A UART, the serial port of a VM.
 *
 * Nothing of it exists in hardware: its page is left out of the VM's stage-2 tables, so
 * every guest load and store there traps and lands in uart_read()/uart_write(). The
 * registers behave as the 16550A's datasheets (National's PC16550D, TI's TL16C550C)
 * describe, for the parts a driver can see:
 *
 *   offset  DLAB=0 read   DLAB=0 write   DLAB=1
 *   0       RBR receive   THR transmit   DLL divisor latch, low byte
 *   1       IER interrupt enable         DLM divisor latch, high byte
 *   2       IIR ident.    FCR FIFO control
 *   3       LCR line control (bit 7 is DLAB)
 *   4       MCR modem control (bit 4: loopback)
 *   5       LSR line status
 *   6       MSR modem status
 *   7       SCR scratch
 *
 * Transmitting is instant: a byte written to THR goes to the VM's console line at once,
 * so THR is always empty again and LSR always shows THRE and TEMT. Received bytes come
 * from what was typed while the VM had the console's focus (vm_console_input()); they
 * enter a 16-byte FIFO (1 byte with FIFOs off). The interrupt output is a level on the
 * VM's virtual PLIC: high while IIR names a cause.
 */
#include <errno.h>
#include <printf.h>
#include <string.h>
#include <vdev.h>
#include <vintc.h>
#include <vm.h>
#include <vuart.h>

#define UART_RBR 0 /* receive buffer (read) */
#define UART_THR 0 /* transmit holding (write) */
#define UART_DLL 0 /* divisor latch low (DLAB) */
#define UART_IER 1 /* interrupt enable */
#define UART_DLM 1 /* divisor latch high (DLAB) */
#define UART_IIR 2 /* interrupt identification (read) */
#define UART_FCR 2 /* FIFO control (write) */
#define UART_LCR 3 /* line control */
#define UART_MCR 4 /* modem control */
#define UART_LSR 5 /* line status */
#define UART_MSR 6 /* modem status */
#define UART_SCR 7 /* scratch */

#define IER_RDI	 0x01 /* received data available */
#define IER_THRI 0x02 /* transmit holding register empty */
#define IER_RLSI 0x04 /* receiver line status */
#define IER_MSI	 0x08 /* modem status */
#define IER_MASK 0x0f /* the others are reserved and read as 0 */

#define IIR_NO_INT  0x01 /* bit 0 set: nothing pending */
#define IIR_MSI	    0x00
#define IIR_THRI    0x02
#define IIR_RDI	    0x04
#define IIR_RLSI    0x06
#define IIR_FIFO_ON 0xc0 /* bits 7:6 read 11 while the FIFOs are enabled */

#define FCR_ENABLE   0x01
#define FCR_CLEAR_RX 0x02
#define FCR_CLEAR_TX 0x04
#define FCR_KEPT     0xc9 /* enable, DMA mode, receive trigger level */

#define LCR_DLAB 0x80

#define MCR_DTR	 0x01
#define MCR_RTS	 0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10
#define MCR_MASK 0x1f

#define LSR_DR	 0x01 /* data ready */
#define LSR_OE	 0x02 /* overrun: a byte was lost */
#define LSR_THRE 0x20 /* THR empty */
#define LSR_TEMT 0x40 /* transmitter empty */

#define MSR_DCTS   0x01 /* the delta bits: CTS, DSR or DCD changed since MSR was read */
#define MSR_DDSR   0x02
#define MSR_TERI   0x04 /* RI went from on to off */
#define MSR_DDCD   0x08
#define MSR_DELTAS 0x0f
#define MSR_CTS	   0x10
#define MSR_DSR	   0x20
#define MSR_RI	   0x40
#define MSR_DCD	   0x80

#define UART_FIFO_SIZE 16
#define UART_MMIO_SIZE 0x1000 /* one page: it is trapped a page at a time */

struct vuart {
	struct mmio_device dev;
	struct vm *vm;
	u32 irq; /* source of the VM's virtual PLIC */
	u8 ier, fcr, lcr, mcr, scr, dll, dlm;
	u8 lsr_errors; /* LSR_OE until LSR is read */
	u8 msr; /* modem lines (bits 7:4) and their deltas (bits 3:0) */
	bool thri_pending; /* "THR empty" not yet acknowledged (IIR read or THR write) */
	u8 rx[UART_FIFO_SIZE];
	unsigned int rx_head, rx_count;
};

static struct vuart vuarts[VM_MAX];
static int nr_vuarts;

static unsigned int uart_fifo_depth(const struct vuart *u)
{
	return u->fcr & FCR_ENABLE ? UART_FIFO_SIZE : 1;
}

static void uart_rx_push(struct vuart *u, u8 c)
{
	if (u->rx_count == uart_fifo_depth(u)) {
		u->lsr_errors |= LSR_OE;
		return;
	}
	u->rx[(u->rx_head + u->rx_count) % UART_FIFO_SIZE] = c;
	u->rx_count++;
}

static inline u8 uart_rx_pop(struct vuart *u)
{
	u8 c;

	if (!u->rx_count)
		return 0;
	c = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % UART_FIFO_SIZE;
	u->rx_count--;
	return c;
}

/* Moves typed input into the FIFO while it has room (not in loopback: the line is cut). */
static void uart_rx_refill(struct vuart *u)
{
	int c;

	while (!(u->mcr & MCR_LOOP) && u->rx_count < uart_fifo_depth(u) &&
	       (c = vm_console_getc(u->vm)) >= 0)
		uart_rx_push(u, (u8)c);
}

/*
 * The modem lines. Nothing is attached, so they read as a cable that is ready (DCD, DSR
 * and CTS on); in loopback the outputs are wired back to them: DTR to DSR, RTS to CTS,
 * OUT1 to RI, OUT2 to DCD (datasheet, "MCR bit 4"). A change sets the matching delta.
 */
static void uart_update_modem_lines(struct vuart *u)
{
	u8 lines = MSR_DCD | MSR_DSR | MSR_CTS;
	u8 old = u->msr;

	if (u->mcr & MCR_LOOP)
		lines = (u->mcr & MCR_DTR ? MSR_DSR : 0) | (u->mcr & MCR_RTS ? MSR_CTS : 0) |
			(u->mcr & MCR_OUT1 ? MSR_RI : 0) | (u->mcr & MCR_OUT2 ? MSR_DCD : 0);
	u->msr = lines | (old & MSR_DELTAS);
	if ((old ^ lines) & MSR_CTS)
		u->msr |= MSR_DCTS;
	if ((old ^ lines) & MSR_DSR)
		u->msr |= MSR_DDSR;
	if ((old ^ lines) & MSR_DCD)
		u->msr |= MSR_DDCD;
	if ((old & MSR_RI) && !(lines & MSR_RI))
		u->msr |= MSR_TERI;
}

/*
 * The interrupt the UART reports in IIR, highest priority first (datasheet, table
 * "Interrupt Control Functions"): line status, received data, THR empty, modem status.
 * Each counts only while its IER bit is set.
 */
static u8 uart_pending_interrupt(const struct vuart *u)
{
	/* @lab 5 begin: Return the IIR code of the highest-priority cause that is both
	 * present and enabled in u->ier: IIR_RLSI for a line error (u->lsr_errors),
	 * IIR_RDI while the receive FIFO holds data, IIR_THRI while u->thri_pending,
	 * IIR_MSI while a delta bit of u->msr is set; IIR_NO_INT when there is none. */
	if ((u->ier & IER_RLSI) && u->lsr_errors)
		return IIR_RLSI;
	if ((u->ier & IER_RDI) && u->rx_count)
		return IIR_RDI;
	if ((u->ier & IER_THRI) && u->thri_pending)
		return IIR_THRI;
	if ((u->ier & IER_MSI) && (u->msr & MSR_DELTAS))
		return IIR_MSI;
	return IIR_NO_INT;
	/* @lab 5 stub: vm_crash(u->vm, "uart_pending_interrupt() in vdev/uart16550.c is not written yet"); */
	/* @lab 5 stub: return IIR_NO_INT; */
	/* @lab 5 end */
}

/* The interrupt line is high exactly while there is something to report. */
static void uart_update_irq(struct vuart *u)
{
	vintc_set_level(u->vm, u->irq, uart_pending_interrupt(u) != IIR_NO_INT);
}

/* A guest read of the register at `reg`. */
static u8 uart_read_reg(struct vuart *u, unsigned int reg)
{
	u8 value;

	/* @lab 5 begin: Return what the register at `reg` holds; the comment at the top
	 * of this file maps them. The reads with side effects: RBR takes a byte out of
	 * the FIFO (uart_rx_pop; then uart_rx_refill for what waits behind it); IIR
	 * reporting IIR_THRI acknowledges it (u->thri_pending = false) and has bits 7:6
	 * set while FIFOs are on; LSR clears u->lsr_errors; MSR clears its delta bits.
	 * LSR: LSR_DR while the FIFO holds data, always LSR_THRE | LSR_TEMT. With
	 * LCR_DLAB set, offsets 0 and 1 are the divisor latch instead. */
	switch (reg) {
	case UART_RBR: /* or DLL */
		if (u->lcr & LCR_DLAB)
			return u->dll;
		value = uart_rx_pop(u);
		uart_rx_refill(u);
		return value;
	case UART_IER: /* or DLM */
		return u->lcr & LCR_DLAB ? u->dlm : u->ier;
	case UART_IIR:
		value = uart_pending_interrupt(u);
		if (value == IIR_THRI)
			u->thri_pending = false;
		return value | (u->fcr & FCR_ENABLE ? IIR_FIFO_ON : 0);
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		value = (u->rx_count ? LSR_DR : 0) | LSR_THRE | LSR_TEMT | u->lsr_errors;
		u->lsr_errors = 0;
		return value;
	case UART_MSR:
		value = u->msr;
		u->msr &= ~MSR_DELTAS;
		return value;
	case UART_SCR:
		return u->scr;
	}
	return 0;
	/* @lab 5 stub: (void)reg, (void)value; */
	/* @lab 5 stub: vm_crash(u->vm, "uart_read_reg() in vdev/uart16550.c is not written yet"); */
	/* @lab 5 stub: return 0; */
	/* @lab 5 end */
}

/* A guest write of `value` to the register at `reg`. */
static void uart_write_reg(struct vuart *u, unsigned int reg, u8 value)
{
	/* @lab 5 begin: Change the register at `reg`. THR: the byte goes to the VM's
	 * console (vm_console_putc), or into the receive FIFO in loopback (MCR_LOOP);
	 * either way THR is empty again at once, so THR-empty is pending again. IER:
	 * keep IER_MASK bits; switching IER_THRI on while THR is empty (always) makes
	 * THR-empty pending - Linux's 8250 driver tests exactly that. FCR: keep FCR_KEPT
	 * bits; turning FIFOs on or off, or FCR_CLEAR_RX, empties the receive FIFO (then
	 * refill it). MCR: keep MCR_MASK bits and update the modem lines. With LCR_DLAB
	 * set, offsets 0 and 1 are the divisor latch instead. */
	switch (reg) {
	case UART_THR: /* or DLL */
		if (u->lcr & LCR_DLAB) {
			u->dll = value;
			return;
		}
		if (u->mcr & MCR_LOOP)
			uart_rx_push(u, value);
		else
			vm_console_putc(u->vm, (char)value);
		u->thri_pending = true;
		return;
	case UART_IER: /* or DLM */
		if (u->lcr & LCR_DLAB) {
			u->dlm = value;
			return;
		}
		if ((value & IER_THRI) && !(u->ier & IER_THRI))
			u->thri_pending = true;
		u->ier = value & IER_MASK;
		return;
	case UART_FCR:
		if ((value ^ u->fcr) & FCR_ENABLE || value & FCR_CLEAR_RX)
			u->rx_head = u->rx_count = 0;
		u->fcr = value & FCR_KEPT;
		uart_rx_refill(u);
		return;
	case UART_LCR:
		u->lcr = value;
		return;
	case UART_MCR:
		u->mcr = value & MCR_MASK;
		uart_update_modem_lines(u);
		uart_rx_refill(u);
		return;
	case UART_SCR:
		u->scr = value;
		return;
	}
	/* LSR and MSR are read-only. */
	/* @lab 5 stub: (void)reg, (void)value; */
	/* @lab 5 stub: vm_crash(u->vm, "uart_write_reg() in vdev/uart16550.c is not written yet"); */
	/* @lab 5 end */
}

/*
 * The registers are bytes at offsets 0-7 (reg-shift 0). A wider access reads or writes
 * the register at its offset, as the low byte; the rest of the page reads as 0.
 */
static int uart_read(struct mmio_device *dev, u64 offset, unsigned int width, u64 *value)
{
	struct vuart *u = dev->priv;

	(void)width;
	*value = offset < 8 ? uart_read_reg(u, (unsigned int)offset) : 0;
	uart_update_irq(u);
	return 0;
}

static int uart_write(struct mmio_device *dev, u64 offset, unsigned int width, u64 value)
{
	struct vuart *u = dev->priv;

	(void)width;
	if (offset < 8)
		uart_write_reg(u, (unsigned int)offset, (u8)value);
	uart_update_irq(u);
	return 0;
}

/* Power-on state (datasheet, "Reset" table): everything 0 but the lines that are up. */
static void uart_power_on(struct vuart *u)
{
	u->ier = u->fcr = u->lcr = u->mcr = u->scr = u->dll = u->dlm = 0;
	u->lsr_errors = 0;
	u->thri_pending = false;
	u->rx_head = u->rx_count = 0;
	u->msr = 0;
	uart_update_modem_lines(u);
	u->msr &= ~MSR_DELTAS; /* the lines were up from the start */
	vintc_set_level(u->vm, u->irq, false); /* nothing is enabled: no interrupt */
}

static void uart_reset(struct mmio_device *dev)
{
	uart_power_on(dev->priv);
}

void vuart_input_ready(struct vuart *u)
{
	uart_rx_refill(u);
	uart_update_irq(u);
}

int vuart_create(struct vm *vm, const struct vm_device_config *dc, char *why, size_t why_size)
{
	struct vuart *u;
	int err;

	if (dc->size != UART_MMIO_SIZE) {
		snprintf(why, why_size, "its reg must be 0x%x bytes", UART_MMIO_SIZE);
		return -EINVAL;
	}
	if (!dc->irq || dc->irq > vintc_nr_lines(vm)) {
		snprintf(why, why_size,
			 "it needs an interrupt between 1 and %u of the VM's interrupt controller",
			 vintc_nr_lines(vm));
		return -EINVAL;
	}
	if (vm->vuart) {
		snprintf(why, why_size, "the VM has a UART already: its console is one line");
		return -EEXIST;
	}
	if (nr_vuarts == ARRAY_SIZE(vuarts)) {
		snprintf(why, why_size, "no more UARTs");
		return -ENOSPC;
	}
	u = &vuarts[nr_vuarts];
	memset(u, 0, sizeof(*u));
	u->vm = vm;
	u->irq = dc->irq;
	uart_power_on(u);
	u->dev = (struct mmio_device){
		.name = "uart16550",
		.base = dc->base,
		.size = UART_MMIO_SIZE,
		.read = uart_read,
		.write = uart_write,
		.reset = uart_reset,
		.priv = u,
	};
	if ((err = mmio_register(&vm->mmio, &u->dev)))
		return err;
	nr_vuarts++;
	vm->vuart = u;
	return 0;
}
