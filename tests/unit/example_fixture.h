/*
 * example_fixture.h - a cmocka fixture shared by unit tests that work on a
 * scratch copy of the example book (ledgers/samla, found from $ROOT or the
 * current folder): setup copies and loads it, teardown frees and removes
 * it. Header-only because each test binary is one .c file plus src/.
 */
#ifndef SAMLA_EXAMPLE_FIXTURE_H
#define SAMLA_EXAMPLE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "book.h"

typedef struct {
    char dir[64];
    book b;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    snprintf(fx->dir, sizeof fx->dir, "/tmp/samla-unit-XXXXXX");
    if (!mkdtemp(fx->dir)) {
        free(fx);
        return -1;
    }
    const char *root = getenv("ROOT");
    char cmd[512];
    snprintf(cmd, sizeof cmd, "cp -R '%s/ledgers/samla/.' '%s/'",
             root && *root ? root : ".", fx->dir);
    if (system(cmd) != 0) {
        free(fx);
        return -1;
    }
    diag_list dl;
    diag_init(&dl);
    int rc = book_load(&fx->b, fx->dir, &dl);
    diag_free(&dl);
    if (rc != SAMLA_OK) {
        book_free(&fx->b);
        free(fx);
        return -1;
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    char cmd[128];
    book_free(&fx->b);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    int rc = system(cmd);
    free(fx);
    return rc == 0 ? 0 : -1;
}

#endif
