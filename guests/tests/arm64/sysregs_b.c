/* sysregs_b.c - sysregs.c linked at 0x46000000: the second identity-mapped VM of lab 2. */
#include "sysregs.c"
