/*
 * xlsx_minizip - the parts libxlsxwriter writes are stored, not deflated.
 *
 * libxlsxwriter deflates every part of a workbook through minizip's
 * zipOpenNewFileInZip4_64 at zlib's default level, and has no option for
 * it. For a small book that was the largest single cost of an export: a
 * deflate state set up and torn down per part (about 270 KB, 17-19 parts)
 * and the compression itself. Stored, the 1 000-entry book's budget
 * workbook is written in 6.8 ms instead of 9.2 ms (docs/performance.md);
 * the file is 88 KB instead of 20 KB. A package may hold stored parts
 * (ECMA-376 Part 2, the ZIP items of the Open Packaging Conventions: stored
 * or deflated); Excel and LibreOffice read them as any other. The one part
 * that grows with the book, the journal sheet, is written and deflated by
 * samla itself (xlsx_zip.c), so a large workbook stays small.
 *
 * samla defines the function itself. Where libxlsxwriter is a shared
 * library calling minizip's (Debian's build), the dynamic linker binds its
 * call to this definition in the executable (the Makefile exports it), as
 * it would an interposed malloc; this one asks minizip's own for a stored
 * part and changes nothing else. Where libxlsxwriter carries its own
 * minizip, nothing is interposed and the parts are deflated as before.
 */
#include <dlfcn.h>

/* minizip's zipOpenNewFileInZip4_64 (minizip/zip.h), its typedefs spelled
 * out (zipFile is a pointer, uInt and uLong unsigned int and long), so the
 * build does not need minizip's headers. The typedef declares the function
 * below and types the pointer to minizip's own. */
typedef int open_fn(void *file, const char *filename, const void *zipfi,
                    const void *extrafield_local,
                    unsigned size_extrafield_local,
                    const void *extrafield_global,
                    unsigned size_extrafield_global, const char *comment,
                    int method, int level, int raw, int windowBits,
                    int memLevel, int strategy, const char *password,
                    unsigned long crcForCrypting, unsigned long versionMadeBy,
                    unsigned long flagBase, int zip64);
open_fn zipOpenNewFileInZip4_64;

#define ZIP_STORED 0 /* the ZIP method "stored" (Z_DEFLATED is 8) */
#define ZIP_INTERNALERROR (-104)

int zipOpenNewFileInZip4_64(void *file, const char *filename,
                            const void *zipfi, const void *extrafield_local,
                            unsigned size_extrafield_local,
                            const void *extrafield_global,
                            unsigned size_extrafield_global,
                            const char *comment, int method, int level,
                            int raw, int windowBits, int memLevel,
                            int strategy, const char *password,
                            unsigned long crcForCrypting,
                            unsigned long versionMadeBy,
                            unsigned long flagBase, int zip64)
{
    open_fn *next = (open_fn *)dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64");
    if (!next)
        return ZIP_INTERNALERROR;
    /* A raw (precompressed) part keeps its method. */
    if (!raw) {
        method = ZIP_STORED;
        level = 0;
    }
    return next(file, filename, zipfi, extrafield_local, size_extrafield_local,
                extrafield_global, size_extrafield_global, comment, method,
                level, raw, windowBits, memLevel, strategy, password,
                crcForCrypting, versionMadeBy, flagBase, zip64);
}
