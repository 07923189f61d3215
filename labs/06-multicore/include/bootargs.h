/* bootargs.h - options for the hypervisor on the kernel command line (/chosen/bootargs). */
#ifndef HVLAB_BOOTARGS_H
#define HVLAB_BOOTARGS_H

#include <types.h>

/*
 * Looks up "key=value" among space-separated bootargs and copies the value into val.
 * Returns the value's length, or -ENOENT when the key is absent, -E2BIG when it does
 * not fit in val_size bytes (with its terminating NUL).
 */
int bootarg_get(const char *bootargs, const char *key, char *val, size_t val_size);

#endif
