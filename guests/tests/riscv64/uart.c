/*
 * uart.c - the emulated 16550A UART (lab 5), register by register, as Linux's 8250 driver
 * uses it: scratch, divisor latch, IER, IIR/FCR, LCR, MCR loopback and MSR, LSR, THR and
 * RBR - then its interrupts: THR-empty when enabled, and received data for what the
 * grader types ("hvlab-uart" and Enter), read in the interrupt handler.
 */
#include <hvtest.h>
#include <rv.h>

#define UART 0x10000000UL
#define UART_IRQ 10
#define RBR 0
#define THR 0
#define DLL 0
#define IER 1
#define DLM 1
#define IIR 2
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define MSR 6
#define SCR 7

#define IER_RDI 0x01
#define IER_THRI 0x02
#define IIR_NO_INT 0x01
#define IIR_THRI 0x02
#define IIR_RDI 0x04
#define IIR_ID 0x0f
#define FCR_ENABLE 0x01
#define FCR_CLEAR 0x06
#define LCR_8N1 0x03
#define LCR_DLAB 0x80
#define MCR_LOOP 0x10
#define LSR_DR 0x01
#define LSR_OE 0x02
#define LSR_THRE_TEMT 0x60

#define EXPECTED_INPUT "hvlab-uart"

static u8 in(unsigned int reg)
{
	return *(volatile u8 *)(UART + reg);
}

static void out(unsigned int reg, u8 v)
{
	*(volatile u8 *)(UART + reg) = v;
}

static volatile int thre_irqs, rx_irqs, other_irqs;
static volatile u8 thre_iir;
static char line[64];
static volatile unsigned int line_len;
static volatile int line_done;

/* One PLIC claim: what the UART says in IIR decides what to do. */
static void on_irq(unsigned long cause)
{
	u32 src;
	u8 iir;

	if (cause != (CAUSE_IRQ | IRQ_EXT))
		return;
	src = mmio_read32(PLIC_CLAIM(PLIC_S_CONTEXT));
	if (src != UART_IRQ) {
		other_irqs++;
		if (src)
			mmio_write32(PLIC_CLAIM(PLIC_S_CONTEXT), src);
		return;
	}
	iir = in(IIR);
	if ((iir & IIR_ID) == IIR_THRI) {
		thre_irqs++;
		thre_iir = iir;
	} else if ((iir & IIR_ID) == IIR_RDI) {
		rx_irqs++;
		while (in(LSR) & LSR_DR) {
			char c = (char)in(RBR);

			if (c == '\r' || c == '\n')
				line_done = 1;
			else if (!line_done && line_len < sizeof(line) - 1)
				line[line_len++] = c;
		}
	}
	mmio_write32(PLIC_CLAIM(PLIC_S_CONTEXT), src);
}

/* Waits (at most 10 ms) for THR to be empty before each byte, as a polling driver does. */
static void uart_puts(const char *s)
{
	for (; *s; s++) {
		unsigned long start = rdtime();

		while ((in(LSR) & LSR_THRE_TEMT) != LSR_THRE_TEMT)
			if (rdtime() - start > 10 * TICKS_PER_MS) {
				hvtest_fail("uart.thr_empty", "LSR never shows THRE and TEMT");
				return;
			}
		out(THR, (u8)*s);
	}
}

/* Spins until *counter reaches target or ms milliseconds pass, interrupts on. */
static void spin_until(volatile int *counter, int target, unsigned long ms)
{
	unsigned long start = rdtime();

	while (*counter < target && rdtime() - start < ms * TICKS_PER_MS)
		__asm__ volatile("" ::: "memory");
}

static void check_registers(void)
{
	u8 a, b, dll, dlm, ier;

	out(SCR, 0x5a);
	a = in(SCR);
	out(SCR, 0xa5);
	b = in(SCR);
	hvtest_check(a == 0x5a && b == 0xa5, "uart.scratch", "SCR read 0x%x, 0x%x", a, b);

	out(IER, 0);
	out(LCR, LCR_DLAB | LCR_8N1);
	out(DLL, 0x12);
	out(DLM, 0x34);
	dll = in(DLL);
	dlm = in(DLM);
	out(LCR, LCR_8N1);
	ier = in(IER);
	hvtest_check(dll == 0x12 && dlm == 0x34 && ier == 0 && in(LCR) == LCR_8N1,
		     "uart.divisor_latch", "DLL 0x%x DLM 0x%x, then IER 0x%x LCR 0x%x", dll, dlm,
		     ier, in(LCR));

	out(IER, 0xff);
	ier = in(IER);
	out(IER, 0);
	hvtest_check(ier == 0x0f, "uart.ier_bits", "IER = 0xff read back 0x%x", ier);

	out(FCR, 0);
	a = in(IIR);
	out(FCR, FCR_ENABLE | FCR_CLEAR);
	b = in(IIR);
	hvtest_check(a == IIR_NO_INT && b == (0xc0 | IIR_NO_INT), "uart.iir_fifo_bits",
		     "IIR 0x%x with FIFOs off, 0x%x on", a, b);

	a = in(LSR);
	hvtest_check((a & (LSR_THRE_TEMT | LSR_DR)) == LSR_THRE_TEMT, "uart.lsr_idle",
		     "LSR 0x%x", a);
}

/* Loopback (MCR bit 4): outputs wired to the modem inputs, THR to RBR, nothing sent. */
static void check_loopback(void)
{
	u8 msr1, msr2, msr3, lsr, c, lsr_after, iir1, iir2, iir3, iir4;

	out(MCR, MCR_LOOP | 0x0a); /* RTS and OUT2: Linux's autoconfig test */
	msr1 = in(MSR) & 0xf0;
	out(MCR, MCR_LOOP | 0x05); /* DTR and OUT1 */
	msr2 = in(MSR) & 0xf0;
	hvtest_check(msr1 == 0x90 && msr2 == 0x60, "uart.loopback_modem_lines",
		     "MSR 0x%x for RTS|OUT2 (want 0x90), 0x%x for DTR|OUT1 (want 0x60)", msr1,
		     msr2);
	out(THR, 'Z');
	lsr = in(LSR);
	c = in(RBR);
	lsr_after = in(LSR);
	hvtest_check((lsr & LSR_DR) && c == 'Z' && !(lsr_after & LSR_DR), "uart.loopback_data",
		     "LSR 0x%x, RBR '%c', then LSR 0x%x", lsr, c, lsr_after);

	/* Received data outranks THR empty; an IIR read reporting it leaves THRI pending. */
	out(FCR, FCR_ENABLE | FCR_CLEAR);
	out(IER, IER_RDI | IER_THRI);
	out(THR, 'Q');
	iir1 = in(IIR) & IIR_ID;
	iir2 = in(IIR) & IIR_ID;
	(void)in(RBR);
	iir3 = in(IIR) & IIR_ID;
	iir4 = in(IIR) & IIR_ID;
	out(IER, 0);
	hvtest_check(iir1 == IIR_RDI && iir2 == IIR_RDI && iir3 == IIR_THRI && iir4 == IIR_NO_INT,
		     "uart.iir_priority",
		     "IIR 0x%x 0x%x with data and THR empty, 0x%x 0x%x after reading RBR (want "
		     "4 4, 2 1)",
		     iir1, iir2, iir3, iir4);

	out(FCR, FCR_ENABLE);
	out(THR, '1');
	out(THR, '2');
	out(FCR, FCR_ENABLE | FCR_CLEAR);
	lsr = in(LSR);
	hvtest_check(!(lsr & LSR_DR), "uart.fifo_clear", "LSR 0x%x after clearing", lsr);

	out(FCR, 0); /* one-byte holding register: a second byte overruns */
	out(THR, '1');
	out(THR, '2');
	lsr = in(LSR);
	lsr_after = in(LSR);
	c = in(RBR);
	hvtest_check((lsr & LSR_OE) && !(lsr_after & LSR_OE) && c == '1', "uart.overrun",
		     "LSR 0x%x then 0x%x, RBR '%c'", lsr, lsr_after, c);

	out(MCR, 0x0b); /* DTR, RTS, OUT2: back on the line */
	msr3 = in(MSR);
	hvtest_check((msr3 & 0xf0) == 0xb0 && (msr3 & 0x0f), "uart.modem_lines",
		     "MSR 0x%x (want DCD, DSR, CTS and a delta)", msr3);
	msr3 = in(MSR);
	hvtest_check((msr3 & 0x0f) == 0, "uart.msr_deltas_clear", "MSR 0x%x read again", msr3);
	out(FCR, FCR_ENABLE | FCR_CLEAR);
}

static void check_interrupts(void)
{
	u8 iir;

	plic_irq_on(UART_IRQ, on_irq);

	/* THR is empty: enabling its interrupt raises it; reading IIR acknowledges it. */
	out(IER, IER_THRI);
	spin_until(&thre_irqs, 1, 100);
	iir = in(IIR);
	hvtest_check(thre_irqs == 1 && (thre_iir & IIR_ID) == IIR_THRI &&
			     (iir & IIR_ID) == IIR_NO_INT,
		     "uart.thre_interrupt", "%d interrupts, IIR 0x%x, then 0x%x", thre_irqs,
		     thre_iir, iir);
	/*
	 * Linux's 8250 startup test: off and on again, THR still empty and nothing written,
	 * and a real 16550 interrupts again (one that does not gets UART_BUG_THRE).
	 */
	out(IER, 0);
	out(IER, IER_THRI);
	spin_until(&thre_irqs, 2, 100);
	hvtest_check(thre_irqs == 2, "uart.thre_reasserted", "%d interrupts after IER off, on",
		     thre_irqs);
	out(IER, 0);

	uart_puts("uart: transmitted through THR\n");

	/* The grader types a line once it sees this. */
	out(IER, IER_RDI);
	guest_printf("uart: waiting for input\n");
	spin_until(&line_done, 1, 30000);
	line[line_len] = '\0';
	hvtest_check(line_done && !strcmp(line, EXPECTED_INPUT) && rx_irqs >= 1,
		     "uart.receive_interrupt", "line '%s' (complete: %d) in %d interrupts",
		     line, line_done, rx_irqs);
	hvtest_check(!(in(LSR) & LSR_DR) && (in(IIR) & IIR_ID) == IIR_NO_INT, "uart.rx_drained",
		     "LSR 0x%x IIR 0x%x after reading everything", in(LSR), in(IIR));
	out(IER, 0);
	uart_puts("uart: received '");
	uart_puts(line);
	uart_puts("'\n");
	hvtest_check(other_irqs == 0, "uart.no_stray_interrupt", "%d other sources", other_irqs);
}

int main(unsigned long hart, unsigned long dtb)
{
	check_registers();
	check_loopback();
	check_interrupts();
	hvtest_finish();
}
