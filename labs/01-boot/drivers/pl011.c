/*
 * pl011.c - polled driver for the Arm PrimeCell UART PL011 (Arm DDI 0183, "PrimeCell
 * UART (PL011) Technical Reference Manual", section 3.3: register summary). QEMU's
 * model needs no baud rate or line setup; real hardware would (UARTIBRD, UARTLCR_H).
 */
#include <pl011.h>

#define UARTDR	  0x00 /* data */
#define UARTFR	  0x18 /* flags */
#define UARTCR	  0x30 /* control */
#define FR_RXFE	  (1U << 4) /* receive FIFO empty */
#define FR_TXFF	  (1U << 5) /* transmit FIFO full */
#define CR_UARTEN (1U << 0)
#define CR_TXE	  (1U << 8)
#define CR_RXE	  (1U << 9)

static volatile u8 *pl011_base;

static inline volatile u32 *pl011_reg(unsigned int offset)
{
	return (volatile u32 *)(pl011_base + offset);
}

void pl011_init(paddr_t base)
{
	pl011_base = (volatile u8 *)(uintptr_t)base;
	if (!(*pl011_reg(UARTCR) & CR_UARTEN))
		*pl011_reg(UARTCR) = CR_UARTEN | CR_TXE | CR_RXE;
}

void pl011_putc(char c)
{
	while (*pl011_reg(UARTFR) & FR_TXFF)
		;
	*pl011_reg(UARTDR) = (u8)c;
}

int pl011_getc(void)
{
	if (*pl011_reg(UARTFR) & FR_RXFE)
		return -1;
	return *pl011_reg(UARTDR) & 0xff;
}

static const struct console_driver pl011_driver = {
	.name = "pl011",
	.putc = pl011_putc,
	.getc = pl011_getc,
};

const struct console_driver *pl011_console(const struct machine *m)
{
	pl011_init(m->uart.base);
	return &pl011_driver;
}
