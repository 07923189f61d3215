/*
 * ns16550.c - polled driver for a 16550-compatible UART (the console of QEMU's virt).
 *
 * The firmware has already set the line up (baud rate, 8N1), so only transmit and
 * receive are needed: wait for "transmitter holding register empty" before each
 * character, and check "data ready" before reading one (16550 datasheet, LSR). From
 * lab 5 on, once the VMs run, received characters also raise the UART's interrupt (IER
 * bit 0), so that typed input reaches the VM that has the console's focus without polling.
 */
#include <ns16550.h>

#define UART_RBR 0 /* receive buffer (read) */
#define UART_THR 0 /* transmit holding (write) */
#define UART_IER 1 /* interrupt enable */
#define IER_RDI	 0x01 /* interrupt when received data is available */
#define UART_LSR 5 /* line status */
#define LSR_DR	 0x01 /* data ready */
#define LSR_THRE 0x20 /* transmit holding register empty */

static volatile u8 *uart_base;
static unsigned int uart_shift;
static unsigned int uart_width;

static u8 uart_read(unsigned int reg)
{
	volatile void *addr = uart_base + (reg << uart_shift);

	/* Some boards only allow 32-bit accesses to their UART (reg-io-width = 4). */
	return uart_width == 4 ? (u8) * (volatile u32 *)addr : *(volatile u8 *)addr;
}

static void uart_write(unsigned int reg, u8 val)
{
	volatile void *addr = uart_base + (reg << uart_shift);

	if (uart_width == 4)
		*(volatile u32 *)addr = val;
	else
		*(volatile u8 *)addr = val;
}

static void ns16550_putc(char c)
{
	while (!(uart_read(UART_LSR) & LSR_THRE))
		;
	uart_write(UART_THR, (u8)c);
}

static int ns16550_getc(void)
{
	if (!(uart_read(UART_LSR) & LSR_DR))
		return -1;
	return uart_read(UART_RBR);
}

/* From now on the UART raises its interrupt while a received character waits. */
static void ns16550_enable_rx_interrupt(void)
{
	uart_write(UART_IER, IER_RDI);
}

static const struct console_driver ns16550_driver = {
	.name = "ns16550a",
	.putc = ns16550_putc,
	.getc = ns16550_getc,
	.enable_rx_interrupt = ns16550_enable_rx_interrupt,
};

const struct console_driver *ns16550_console(const struct machine *m)
{
	/* The MMU is off in HS-mode here: the physical address is the address. */
	uart_base = (volatile u8 *)(uintptr_t)m->uart.base;
	uart_shift = m->uart.reg_shift;
	uart_width = m->uart.reg_io_width;
	return &ns16550_driver;
}
