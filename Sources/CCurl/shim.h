#ifndef SCHEMASYNC_CCURL_SHIM_H
#define SCHEMASYNC_CCURL_SHIM_H

#include <curl/curl.h>

#endif
