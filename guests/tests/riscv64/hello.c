/* hello.c - output through both SBI consoles: the legacy putchar and DBCN. */
#include <hvtest.h>
#include <sbi.h>

static const char dbcn_text[] = "hello from DBCN\n";

int main(unsigned long hart, unsigned long dtb)
{
	struct sbiret ret;

	guest_puts("hello from the legacy console\n");
	hvtest_pass("hello.legacy");

	/* DBCN write takes the text's guest physical address (SBI v2.0, section 12.1). */
	ret = sbi_call(SBI_EXT_DBCN, SBI_DBCN_WRITE, sizeof(dbcn_text) - 1,
		       (unsigned long)dbcn_text, 0, 0);
	hvtest_check(ret.error == SBI_SUCCESS && ret.value == sizeof(dbcn_text) - 1,
		     "hello.dbcn_write", "error %ld, value %ld", ret.error, ret.value);
	ret = sbi_call(SBI_EXT_DBCN, SBI_DBCN_WRITE_BYTE, '!', 0, 0, 0);
	guest_putc('\n');
	hvtest_check(ret.error == SBI_SUCCESS, "hello.dbcn_write_byte", "error %ld", ret.error);
	hvtest_finish();
}
