/*
 * echo.c - reads one line typed on its emulated UART (interrupt-driven, lab 5) and says
 * what it got. Two of these share the console in the grader's multiplexing test: each
 * must get only what was typed while it had the focus.
 */
#include <hvtest.h>
#include <rv.h>

#define UART 0x10000000UL
#define UART_IRQ 10
#define RBR 0
#define IER 1
#define LSR 5
#define IER_RDI 0x01
#define LSR_DR 0x01

static char line[64];
static volatile unsigned int line_len;
static volatile int line_done;

static void on_irq(unsigned long cause)
{
	volatile u8 *uart = (volatile u8 *)UART;
	u32 src;

	if (cause != (CAUSE_IRQ | IRQ_EXT))
		return;
	src = mmio_read32(PLIC_CLAIM(PLIC_S_CONTEXT));
	while (src == UART_IRQ && (uart[LSR] & LSR_DR)) {
		char c = (char)uart[RBR];

		if (c == '\r' || c == '\n')
			line_done = 1;
		else if (!line_done && line_len < sizeof(line) - 1)
			line[line_len++] = c;
	}
	if (src)
		mmio_write32(PLIC_CLAIM(PLIC_S_CONTEXT), src);
}

int main(unsigned long hart, unsigned long dtb)
{
	unsigned long start;

	plic_irq_on(UART_IRQ, on_irq);
	*(volatile u8 *)(UART + IER) = IER_RDI;

	guest_printf("echo: ready\n");
	start = rdtime();
	while (!line_done && rdtime() - start < 60000 * TICKS_PER_MS)
		__asm__ volatile("" ::: "memory");
	line[line_len] = '\0';
	guest_printf("echo: got '%s'\n", line);
	hvtest_check(line_done, "echo.line", "no complete line within 60 s");
	hvtest_finish();
}
