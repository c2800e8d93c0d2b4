#include <zlib.h>

/* inflateInit2 is a macro: Swift calls this instead. 16 + MAX_WBITS reads a gzip header. */
static inline int czlib_inflate_init_gzip(z_streamp stream) {
    return inflateInit2(stream, 16 + MAX_WBITS);
}
