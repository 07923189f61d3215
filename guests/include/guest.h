/* guest.h - the test guests' runtime: console output, firmware calls, traps. */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Console: every character through the firmware's console (arch_console_putc). */
void guest_putc(char c);
void guest_puts(const char *s);
int guest_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int guest_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int guest_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

/* Stops this guest's VM; status 0 is success (riscv64: SBI SRST; arm64: PSCI SYSTEM_OFF,
 * or hvlab's shutdown call with a status). */
void guest_shutdown(int status) __attribute__((noreturn));

/*
 * Traps the guest takes in its own trap handler (VS-mode's stvec, EL1's VBAR_EL1). A test
 * that expects one arms trap_expect(); the handler records it in trap_seen and resumes
 * after the trapping instruction. An unexpected trap fails the guest. The fields are
 * scause, sepc and stval on riscv64; ESR_EL1, ELR_EL1 and FAR_EL1 on arm64.
 */
struct guest_trap {
	unsigned long cause;
	unsigned long epc;
	unsigned long tval;
	unsigned long count;
};
extern volatile struct guest_trap trap_seen;
void trap_expect(void);

/* Interrupts (riscv64: scause with its top bit set) go to this handler when one is set. */
extern void (*volatile irq_handler)(unsigned long cause);

/* Entry point of every test guest: 'cpu' is the vCPU id the hypervisor passed. */
int main(unsigned long cpu, unsigned long dtb);

#endif
