/*
 * xlsx_minizip - the compression level of the parts libxlsxwriter writes.
 *
 * libxlsxwriter deflates every part of a workbook through minizip's
 * zipOpenNewFileInZip4_64 at zlib's default level (6) and has no option
 * for it. For a small book that deflate was the largest single cost of an
 * export (about 9 M of the 45 M instructions of `export annual` on the
 * 1 000-entry book, docs/performance.md). Level 1 deflates the same XML
 * about three times faster for a file some 15 % larger; the journal sheet,
 * which samla writes itself (xlsx_zip.c), is deflated at level 1 already.
 *
 * samla defines the function itself. Where libxlsxwriter is a shared
 * library calling minizip's (Debian's build), the dynamic linker binds its
 * call to this definition in the executable, as it would an interposed
 * malloc; this one asks minizip's own for level 1 and changes nothing
 * else. Where libxlsxwriter carries its own minizip, nothing is
 * interposed and the workbook is the same, only slower to write.
 */
#include <dlfcn.h>

/* minizip's declaration (minizip/zip.h), with its typedefs spelled out
 * (zipFile is a pointer, uInt and uLong unsigned int and long), so the
 * build does not need minizip's headers. */
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
                            unsigned long flagBase, int zip64);

typedef int open_fn(void *, const char *, const void *, const void *,
                    unsigned, const void *, unsigned, const char *, int, int,
                    int, int, int, int, const char *, unsigned long,
                    unsigned long, unsigned long, int);

#define XLSX_PART_LEVEL 1 /* zlib's fastest */
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
    /* A raw (precompressed) part, or one stored, keeps its level. */
    if (!raw && method != 0 && level != 0)
        level = XLSX_PART_LEVEL;
    return next(file, filename, zipfi, extrafield_local, size_extrafield_local,
                extrafield_global, size_extrafield_global, comment, method,
                level, raw, windowBits, memLevel, strategy, password,
                crcForCrypting, versionMadeBy, flagBase, zip64);
}
