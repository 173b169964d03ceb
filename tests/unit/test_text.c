/* test_text - the text helpers of text.h that other tests do not reach. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "text.h"

static void test_utoa(void **state)
{
    (void)state;
    char buf[24];
    assert_int_equal(text_utoa(0, buf), 1);
    assert_string_equal(buf, "0");
    assert_int_equal(text_utoa(7, buf), 1);
    assert_string_equal(buf, "7");
    assert_int_equal(text_utoa(1048576, buf), 7); /* a sheet's last row */
    assert_string_equal(buf, "1048576");
    size_t n = text_utoa(ULONG_MAX, buf);
    assert_int_equal(n, strlen(buf));
    if (sizeof(unsigned long) == 8)
        assert_string_equal(buf, "18446744073709551615");
    else
        assert_string_equal(buf, "4294967295");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utoa),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
