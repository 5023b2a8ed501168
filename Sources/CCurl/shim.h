#ifndef SCHEMASYNC_CCURL_SHIM_H
#define SCHEMASYNC_CCURL_SHIM_H

#include <curl/curl.h>

/* Typed wrappers around libcurl's variadic calls, which Swift cannot import. */

static inline CURLcode schemasync_curl_set_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode schemasync_curl_set_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode schemasync_curl_set_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode schemasync_curl_set_pointer(CURL *handle, CURLoption option, const void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode schemasync_curl_set_list(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

typedef size_t (*schemasync_curl_data_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode schemasync_curl_set_callback(
    CURL *handle, CURLoption option, schemasync_curl_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

static inline CURLcode schemasync_curl_get_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

#endif
