/* Unit tests of suggest (the nearest valid codes to a mistyped one). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "suggest.h"

static void test_distance(void **state)
{
    (void)state;
    assert_int_equal(suggest_distance("PROC", "PROC"), 0);
    assert_int_equal(suggest_distance("PRC", "PROC"), 1);     /* deletion */
    assert_int_equal(suggest_distance("PROCC", "PROC"), 1);   /* insertion */
    assert_int_equal(suggest_distance("PRUC", "PROC"), 1);    /* substitution */
    assert_int_equal(suggest_distance("PORC", "PROC"), 1);    /* swap */
    assert_int_equal(suggest_distance("proc", "PROC"), 0);    /* ASCII case */
    assert_int_equal(suggest_distance("ALINGSÅS", "ALINGSAS"), 1); /* one character */
    assert_int_equal(suggest_distance("", "SMM"), 3);
    assert_int_equal(suggest_distance("XYZ", "SMM"), 3);
}

static void phrase_is(const char *got, const char *want)
{
    static const char *const codes[] = {"PROC", "REGSAM", "KOMM", "SMM",
                                        "FACT", "KONF", "MHFA", "GEM"};
    char buf[160];
    suggest_phrase(got, codes, sizeof codes / sizeof *codes, buf, sizeof buf);
    assert_string_equal(buf, want);
}

static void test_phrase(void **state)
{
    (void)state;
    phrase_is("PRC", "; menade du PROC?");
    phrase_is("prc", "; menade du PROC?");
    phrase_is("GEN", "; menade du GEM?");
    /* Equally near: every one, in the list's order. */
    phrase_is("KOM", "; menade du KOMM?");
    phrase_is("KONM", "; menade du KOMM eller KONF?");
    /* A beginning of at least two characters points at the whole code. */
    phrase_is("RE", "; menade du REGSAM?");
    /* Too far, or an exact code: nothing. */
    phrase_is("XYZ", "");
    phrase_is("X", "");
    phrase_is("SMM", "");
    phrase_is("", "");
    /* At most three, nearest first. */
    static const char *const many[] = {"A1", "A2", "A3", "A4", "AB"};
    char buf[160];
    suggest_phrase("A", many, 5, buf, sizeof buf);
    assert_string_equal(buf, "; menade du A1, A2 eller A3?");
    /* A small buffer is cut, never overrun. */
    suggest_phrase("PRC", (const char *const[]){"PROC"}, 1, buf, 8);
    assert_int_equal(strlen(buf), 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distance),
        cmocka_unit_test(test_phrase),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
