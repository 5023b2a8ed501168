#ifndef SCHEMASYNC_CZLIB_SHIM_H
#define SCHEMASYNC_CZLIB_SHIM_H

#include <zlib.h>

#endif
