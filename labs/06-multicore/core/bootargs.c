/* bootargs.c - find hvlab's options ("hvlab.test=palloc") in the boot command line. */
#include <bootargs.h>
#include <errno.h>
#include <string.h>

int bootarg_get(const char *args, const char *key, char *val, size_t val_size)
{
	size_t key_len = strlen(key);

	while (*args) {
		const char *word = args;
		size_t len = 0;

		while (word[len] && word[len] != ' ')
			len++;
		args = word + len;
		while (*args == ' ')
			args++;
		if (len <= key_len || strncmp(word, key, key_len) || word[key_len] != '=')
			continue;
		len -= key_len + 1;
		if (len + 1 > val_size)
			return -E2BIG;
		memcpy(val, word + key_len + 1, len);
		val[len] = '\0';
		return (int)len;
	}
	return -ENOENT;
}
