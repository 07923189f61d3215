/* errno.h - error numbers returned (negated) by hypervisor functions. */
#ifndef HVLAB_ERRNO_H
#define HVLAB_ERRNO_H

/* The values follow Linux so that a number in a log means the same thing everywhere. */
#define EPERM	  1
#define ENOENT	  2
#define EIO	  5
#define E2BIG	  7
#define ENOMEM	  12
#define EFAULT	  14
#define EBUSY	  16
#define EEXIST	  17
#define ENODEV	  19
#define EINVAL	  22
#define ENOSPC	  28
#define ERANGE	  34
#define ENOSYS	  38
#define EOVERFLOW 75
#define ENOTSUP	  95

/* errno_name - "ENOMEM" for -ENOMEM or ENOMEM; "E?" for an unknown number. */
const char *errno_name(int err);

#endif
