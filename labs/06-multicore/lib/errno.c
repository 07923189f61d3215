/* errno.c - names for error numbers, so that logs say ENOMEM rather than -12. */
#include <errno.h>

static const char *const errno_names[] = {
	[EPERM] = "EPERM",   [ENOENT] = "ENOENT",	[EIO] = "EIO",	       [E2BIG] = "E2BIG",
	[ENOMEM] = "ENOMEM", [EFAULT] = "EFAULT",	[EBUSY] = "EBUSY",     [EEXIST] = "EEXIST",
	[ENODEV] = "ENODEV", [EINVAL] = "EINVAL",	[ENOSPC] = "ENOSPC",   [ERANGE] = "ERANGE",
	[ENOSYS] = "ENOSYS", [EOVERFLOW] = "EOVERFLOW", [ENOTSUP] = "ENOTSUP",
};

const char *errno_name(int err)
{
	if (err < 0)
		err = -err;
	if (err < (int)(sizeof(errno_names) / sizeof(errno_names[0])) && errno_names[err])
		return errno_names[err];
	return "E?";
}
