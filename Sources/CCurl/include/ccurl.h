#ifndef AGENTINDEX_CCURL_H
#define AGENTINDEX_CCURL_H
// Non-variadic wrappers around libcurl's variadic setopt/getinfo, which Swift cannot call.
#include <curl/curl.h>

typedef size_t (*ccurl_write_callback)(char *data, size_t size, size_t count, void *context);
typedef int (*ccurl_progress_callback)(void *context, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow);

CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode ccurl_setopt_write_callback(CURL *handle, ccurl_write_callback callback);
CURLcode ccurl_setopt_header_callback(CURL *handle, ccurl_write_callback callback);
CURLcode ccurl_setopt_progress_callback(CURL *handle, ccurl_progress_callback callback);
CURLcode ccurl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
CURLcode ccurl_getinfo_string(CURL *handle, CURLINFO info, char **value);
CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode ccurl_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);

#endif
