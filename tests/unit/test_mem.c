/*
 * Unit tests for mem (the allocation shim and its one out-of-memory policy)
 * and for diag's conventions (samla_strerror, the Swedish errno texts,
 * SAMLA_REQUIRE).
 *
 * The policy ends the process, so those cases run in a forked child whose
 * exit status and stderr are checked exactly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "mem.h"

/* Under AddressSanitizer an impossible malloc aborts inside the sanitizer
 * unless it is told to return NULL as the C library does; this hook (read
 * by ASan at start, unused otherwise) makes both builds test the same
 * thing: mem's own policy. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

/* Run fn in a child with stderr into a pipe; returns the wait status and
 * the child's stderr in buf. */
static int in_child(void (*fn)(void), char *buf, size_t size)
{
    int fd[2];
    assert_int_equal(pipe(fd), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], 2);
        fn();
        _exit(0);
    }
    close(fd[1]);
    size_t n = 0;
    ssize_t r;
    while (n + 1 < size && (r = read(fd[0], buf + n, size - 1 - n)) > 0)
        n += (size_t)r;
    buf[n] = '\0';
    close(fd[0]);
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return st;
}

static void test_alloc_and_copy(void **state)
{
    (void)state;
    char *s = mem_strdup("Lön februari");
    assert_string_equal(s, "Lön februari");
    free(s);
    s = mem_strndup("abcdef", 3);
    assert_string_equal(s, "abc");
    free(s);
    s = mem_strndup("ab", 10); /* stops at the NUL */
    assert_string_equal(s, "ab");
    free(s);
    s = mem_printf("%s:%d", "2025", 17);
    assert_string_equal(s, "2025:17");
    free(s);
    int *z = mem_calloc(5, sizeof *z);
    for (int i = 0; i < 5; i++)
        assert_int_equal(z[i], 0);
    free(z);
    void *p = mem_alloc(0); /* a unique pointer, as malloc(1) */
    assert_non_null(p);
    free(p);
}

static void test_grow(void **state)
{
    (void)state;
    long *v = NULL;
    size_t cap = 0;
    for (size_t n = 0; n < 1000; n++) {
        mem_grow((void **)&v, &cap, n + 1, sizeof *v);
        assert_true(cap >= n + 1);
        v[n] = (long)n;
    }
    assert_int_equal(cap, 1024); /* 16, doubled */
    for (size_t n = 0; n < 1000; n++)
        assert_int_equal(v[n], (long)n);
    size_t before = cap;
    mem_grow((void **)&v, &cap, 10, sizeof *v); /* enough already */
    assert_int_equal(cap, before);
    free(v);
}

/* The last line of a child's stderr (ASan may warn before it). */
static const char *last_line(const char *err)
{
    size_t n = strlen(err);
    if (n > 0 && err[n - 1] == '\n')
        n--;
    while (n > 0 && err[n - 1] != '\n')
        n--;
    return err + n;
}

static void overflow_array(void)
{
    void *p = mem_realloc_array(NULL, SIZE_MAX / 2 + 2, 2);
    (void)p;
}

static void overflow_calloc(void)
{
    (void)mem_calloc(SIZE_MAX / 8, 16);
}

static void too_much(void)
{
    (void)mem_alloc(SIZE_MAX - 4096);
}

/* An overflowing count times size is refused, never wrapped round into a
 * small allocation; a request that cannot be met ends the process with
 * status 1 and one Swedish line. */
static void test_policy(void **state)
{
    (void)state;
    char err[512];
    int st = in_child(overflow_array, err, sizeof err);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 1);
    assert_string_equal(last_line(err), "samla: slut på minne (en storlek som "
                                        "inte ryms i minnet begärdes)\n");
    st = in_child(overflow_calloc, err, sizeof err);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 1);
    assert_string_equal(last_line(err), "samla: slut på minne (en storlek som "
                                        "inte ryms i minnet begärdes)\n");
    st = in_child(too_much, err, sizeof err);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 1);
    char want[128];
    snprintf(want, sizeof want, "samla: slut på minne (%zu byte behövdes)\n",
             (size_t)SIZE_MAX - 4096);
    assert_string_equal(last_line(err), want);
}

static void broken(void)
{
    int divisor = 0;
    SAMLA_REQUIRE(divisor != 0);
}

/* A broken precondition aborts in every build, naming the condition. */
static void test_require(void **state)
{
    (void)state;
    char err[512];
    int st = in_child(broken, err, sizeof err);
    assert_true(WIFSIGNALED(st));
    assert_int_equal(WTERMSIG(st), SIGABRT);
    assert_non_null(strstr(err, "samla: internt fel: villkoret \"divisor != 0\" "
                                "gäller inte i broken (tests/unit/test_mem.c:"));
    SAMLA_REQUIRE(1 + 1 == 2); /* a kept one costs nothing */
}

static void test_texts(void **state)
{
    (void)state;
    assert_string_equal(samla_strerror(SAMLA_OK), "inget fel");
    assert_string_equal(samla_strerror(SAMLA_EDATA), "fel i data");
    assert_string_equal(samla_strerror(SAMLA_ELOCK),
                        "boken är låst av en annan process");
    assert_string_equal(samla_strerror((samla_err)99), "okänt fel");
    assert_string_equal(diag_errno_text(ENOSPC), "disken är full");
    assert_string_equal(diag_errno_text(EACCES), "åtkomst nekad");
    assert_string_equal(diag_errno_text(ENOENT), "filen eller mappen finns inte");
    assert_string_equal(diag_errno_text(EISDIR), "är en mapp");
    assert_non_null(diag_errno_text(EHOSTDOWN)); /* the C library's text */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_and_copy),
        cmocka_unit_test(test_grow),
        cmocka_unit_test(test_policy),
        cmocka_unit_test(test_require),
        cmocka_unit_test(test_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
