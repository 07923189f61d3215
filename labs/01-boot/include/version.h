/* version.h - the hypervisor's name and version, printed in the boot banner. */
#ifndef HVLAB_VERSION_H
#define HVLAB_VERSION_H

#define HVLAB_VERSION "0.1.0"

#endif
