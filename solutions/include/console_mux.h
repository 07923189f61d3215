/* @since 5 */
/*
 * console_mux.h - one serial console shared by every VM. Each VM's lines are labelled
 * when several run; what is typed goes to the VM that has the focus. The focus moves
 * with Ctrl-T followed by a key:
 *
 *   Ctrl-T 0..9    input goes to that VM (if it exists and still runs)
 *   Ctrl-T n       input goes to the next VM that is still running
 *   Ctrl-T ?       the hypervisor lists the VMs and says which has the focus
 *   Ctrl-T Ctrl-T  a Ctrl-T for the VM itself
 */
#ifndef HVLAB_CONSOLE_MUX_H
#define HVLAB_CONSOLE_MUX_H

#include <types.h>

struct vm;

#define CONSOLE_MUX_ESCAPE 0x14 /* Ctrl-T */

/*
 * Takes over the console for vms[0..nr_vms): labels their output when there are two or
 * more, gives vm0 the focus, and switches the host UART to receive interrupts.
 */
void console_mux_start(struct vm *vms, int nr_vms);
/*
 * Does typed input go to the VM with the focus (console_mux_start() has switched the
 * UART to receive interrupts)? Then each VM reads only its own queued input; if not
 * (a UART that cannot interrupt), a VM that asks reads the UART itself, as before lab 5.
 */
bool console_mux_active(void);
/* One character typed on the console: a focus command, or input for the focused VM. */
void console_mux_input(char c);

#endif
