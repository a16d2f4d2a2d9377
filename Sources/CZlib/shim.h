// deflateInit2 and inflateInit2 are macros that pass zlib's version and the size of
// z_stream to the real functions; Swift does not import function-like macros, so each
// gets a typed wrapper.
#ifndef WSAUTH_CZLIB_SHIM_H
#define WSAUTH_CZLIB_SHIM_H

#include <zlib.h>

static inline int wsa_deflateInit2(z_streamp strm, int level, int windowBits, int memLevel, int strategy) {
    return deflateInit2(strm, level, Z_DEFLATED, windowBits, memLevel, strategy);
}
static inline int wsa_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}

#endif
