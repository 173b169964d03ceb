/*
 * import_priv - what the import's three files share and nothing else sees:
 * import_rules.c (the rules file), import_source.c (the extract) and
 * import.c (mapping rows, fingerprints, saving).
 */
#ifndef SAMLA_IMPORT_PRIV_H
#define SAMLA_IMPORT_PRIV_H

#include "csvio.h"
#include "import.h"

/* The column settings' names, in IC_ order ("kolumn datum", ...). */
extern const char *const import_col_settings[IC_N];

/* The index of the column named `name` in header row h (names compared as
 * uiutil.h's ui_name_eq does: case and surrounding spaces ignored), or -1. */
int import_find_col(const csvio_row *h, const char *name);

#endif
