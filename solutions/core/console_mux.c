/* @since 5 */
/*
 * console_mux.c - several VMs, one serial line. Output: every VM's lines carry a label
 * ("vm1| ") when more than one VM runs, so a reader (or the grader) knows who said what,
 * and the hypervisor's own lines carry none. Input: the host UART interrupts when a
 * character arrives; the character goes to the VM with the focus, unless it is part of
 * a Ctrl-T command that moves the focus (console_mux.h lists them).
 */
#include <console.h>
#include <console_mux.h>
#include <irq.h>
#include <machine.h>
#include <panic.h>
#include <printf.h>
#include <vm.h>

static struct vm *mux_vms;
static int mux_nr_vms;
static int focus; /* index of the VM that gets typed input */
static bool escape; /* the last character was Ctrl-T */
static bool routing; /* the UART interrupts on input, which goes to the focused VM */

bool console_mux_active(void)
{
	return routing;
}

static void console_mux_announce(void)
{
	struct vm *vm = &mux_vms[focus];

	printf("hvlab: console input goes to vm%d (%s); Ctrl-T then 0-%d or n moves it, "
	       "Ctrl-T ? lists the VMs\n",
	       vm->id, vm->config->name, mux_nr_vms - 1);
}

static void console_mux_list(void)
{
	for (int i = 0; i < mux_nr_vms; i++)
		printf("hvlab: %c vm%d (%s): %s\n", i == focus ? '*' : ' ', i,
		       mux_vms[i].config->name, !vm_stopped(&mux_vms[i]) ? "running" : "stopped");
}

/* Moves the focus to VM `target`, if it is still running; says what happened. */
static void console_mux_focus(int target)
{
	if (target < 0 || target >= mux_nr_vms) {
		printf("hvlab: there is no vm%d\n", target);
		return;
	}
	if (vm_stopped(&mux_vms[target])) {
		printf("hvlab: vm%d (%s) has stopped; input stays with vm%d\n", target,
		       mux_vms[target].config->name, focus);
		return;
	}
	focus = target;
	console_mux_announce();
}

/* The next running VM after the focused one, or the focused one if it is alone. */
static int console_mux_next(void)
{
	for (int step = 1; step <= mux_nr_vms; step++) {
		int i = (focus + step) % mux_nr_vms;

		if (!vm_stopped(&mux_vms[i]))
			return i;
	}
	return focus;
}

/* The key after Ctrl-T. */
static inline void console_mux_command(char c)
{
	if (c >= '0' && c <= '9')
		console_mux_focus(c - '0');
	else if (c == 'n')
		console_mux_focus(console_mux_next());
	else if (c == '?')
		console_mux_list();
	else
		printf("hvlab: Ctrl-T then 0-%d, n, ? or Ctrl-T (not 0x%02x)\n", mux_nr_vms - 1,
		       (unsigned char)c);
}

void console_mux_input(char c)
{
	/* @lab 5 begin: A Ctrl-T (CONSOLE_MUX_ESCAPE) is not input: remember it (escape)
	 * and let the next character be a command for console_mux_command() - except a
	 * second Ctrl-T, which the focused VM gets. Everything else goes to the focused
	 * VM with vm_console_input(). When that VM has stopped, move the focus on first
	 * (console_mux_next(), then console_mux_focus()), so typing is never lost in a VM
	 * that can no longer read it. */
	if (escape) {
		escape = false;
		if (c != CONSOLE_MUX_ESCAPE) {
			console_mux_command(c);
			return;
		}
	} else if (c == CONSOLE_MUX_ESCAPE) {
		escape = true;
		return;
	}
	if (vm_stopped(&mux_vms[focus])) {
		int next = console_mux_next();

		if (next == focus)
			return; /* every VM has stopped */
		console_mux_focus(next);
	}
	vm_console_input(&mux_vms[focus], c);
	/* @lab 5 stub: (void)c, (void)escape; */
	/* @lab 5 stub: panic("console_mux_input() in core/console_mux.c is not written yet"); */
	/* @lab 5 end */
}

/* The host UART's receive interrupt: everything it holds, one character at a time. */
static void console_mux_rx_interrupt(u32 irq)
{
	int c;

	(void)irq;
	while ((c = console_getc()) >= 0)
		console_mux_input((char)c);
}

void console_mux_start(struct vm *vms, int nr_vms)
{
	const struct console_driver *drv = console_driver();

	mux_vms = vms;
	mux_nr_vms = nr_vms;
	focus = 0;
	if (nr_vms > 1)
		for (int i = 0; i < nr_vms; i++)
			snprintf(vms[i].console_label, sizeof(vms[i].console_label), "vm%d| ", i);
	if (drv->enable_rx_interrupt &&
	    !irq_set_handler(host_machine->uart.irq, console_mux_rx_interrupt)) {
		drv->enable_rx_interrupt();
		routing = true;
	} else {
		printf("hvlab: the console UART cannot interrupt: input goes to the VM that reads "
		       "it\n");
	}
	if (nr_vms > 1 && routing)
		console_mux_announce();
}
