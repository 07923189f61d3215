/* vuart.h - the emulated 16550A UART a VM gets as its serial port (vdev/uart16550.c). */
#ifndef HVLAB_VUART_H
#define HVLAB_VUART_H

#include <bundle.h>

struct vm;
struct vuart;

/* "ns16550a" in the bundle: a UART at dc->base whose interrupt is line dc->irq of the
 * VM's interrupt controller. It returns to its power-on state when the VM reboots. */
int vuart_create(struct vm *vm, const struct vm_device_config *dc, char *why, size_t why_size);

/* Typed input is waiting in the VM's console queue: take it into the receive FIFO. */
void vuart_input_ready(struct vuart *u);

#endif
