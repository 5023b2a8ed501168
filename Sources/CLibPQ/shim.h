#ifndef SCHEMASYNC_CLIBPQ_SHIM_H
#define SCHEMASYNC_CLIBPQ_SHIM_H

#include <libpq-fe.h>

#endif
