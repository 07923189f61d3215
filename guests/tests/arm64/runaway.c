/* runaway.c - a guest that never stops: the grader must end it as a TIMEOUT. */
#include <hvtest.h>

int main(unsigned long cpu, unsigned long dtb)
{
	guest_puts("hvtest: runaway looping forever\n");
	for (;;)
		__asm__ volatile("" ::: "memory");
}
