/* version.h - the hypervisor's name and version, printed in the boot banner. */
#ifndef HVLAB_VERSION_H
#define HVLAB_VERSION_H

#define HVLAB_VERSION "0.2.0"
/* The same as one number, major << 16 | minor << 8 | patch (SBI get_impl_version). */
#define HVLAB_VERSION_CODE 0x000200

#endif
