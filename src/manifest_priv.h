/*
 * manifest_priv - what manifest.c (hashes, writing) and manifest_check.c
 * (checking a closed year) share: a manifest's rows and the things of the
 * book they cover, as items.
 */
#ifndef SAMLA_MANIFEST_PRIV_H
#define SAMLA_MANIFEST_PRIV_H

#include "manifest.h"
#include "schema.h"

typedef enum { IT_SUMMARY, IT_VOUCHER, IT_DECISION, IT_BUDGET, IT_N } manifest_item_kind;

extern const char *const manifest_kind_names[IT_N];

/* One row of a manifest, or one thing of the book that a row covers. */
typedef struct {
    manifest_item_kind kind;
    char key[96];  /* unique within its kind; vouchers zero-padded */
    char hash[65];
    long line;     /* in its file (0 for a row not yet written) */
    size_t index;  /* book side: index into entries/decisions/budget */
    long match;    /* book side: the manifest item it matched, or -1 */
    int seen;      /* manifest side: matched */
    const char *date, *account, *amount; /* manifest side: its columns */
} manifest_item;

typedef struct {
    manifest_item *v;
    size_t n, cap;
} manifest_item_list;

/* The columns of a manifest, and of the first manifests (vouchers only). */
/* The columns of both forms are declared in schema.h (schema_manifest,
 * schema_manifest_legacy). */
extern const char *const manifest_event_names[3];

/* Append a zeroed item of this kind. */
manifest_item *manifest_item_push(manifest_item_list *l, manifest_item_kind kind);
/* The key of voucher `ver` (zero-padded, so keys sort as numbers). */
void manifest_voucher_key(char *key, size_t size, long ver);
/* Everything of `year` that a manifest covers, as the book holds it now,
 * with hashes (see manifest.c). */
void manifest_book_items(const book *b, int year, manifest_item_list *out);
/* The hash of a close's own figures. */
void manifest_summary_hash(int year, const dec_t *result, const dec_t *closing,
                           long count, char *hex);

#endif
