// Swift cannot call C variadic functions, so curl_easy_setopt and
// curl_easy_getinfo get one typed, non-variadic wrapper per argument kind.
#ifndef WSAUTH_CCURL_SHIM_H
#define WSAUTH_CCURL_SHIM_H

#include <curl/curl.h>
#include <poll.h>

static inline CURLcode wsa_setopt_long(CURL *h, CURLoption o, long v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode wsa_setopt_string(CURL *h, CURLoption o, const char *v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode wsa_setopt_pointer(CURL *h, CURLoption o, void *v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode wsa_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) {
    return curl_easy_setopt(h, o, v);
}
// CURLOPT_PROTOCOLS_STR and CURLOPT_REDIR_PROTOCOLS_STR (libcurl >= 7.85): the
// schemes a transfer, and a redirect it follows, may use.
static inline CURLcode wsa_setopt_protocols(CURL *h, const char *schemes) {
    return curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, schemes);
}
static inline CURLcode wsa_setopt_redirect_protocols(CURL *h, const char *schemes) {
    return curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, schemes);
}
typedef size_t (*wsa_write_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);
static inline CURLcode wsa_setopt_write_function(CURL *h, CURLoption o, wsa_write_callback f) {
    return curl_easy_setopt(h, o, f);
}
typedef int (*wsa_debug_callback)(CURL *handle, curl_infotype type, char *data, size_t size, void *userdata);
static inline CURLcode wsa_setopt_debug_function(CURL *h, wsa_debug_callback f) {
    return curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, f);
}
static inline CURLcode wsa_getinfo_long(CURL *h, CURLINFO i, long *v) {
    return curl_easy_getinfo(h, i, v);
}
static inline CURLcode wsa_getinfo_socket(CURL *h, CURLINFO i, curl_socket_t *v) {
    return curl_easy_getinfo(h, i, v);
}
static inline CURLcode wsa_getinfo_off_t(CURL *h, CURLINFO i, curl_off_t *v) {
    return curl_easy_getinfo(h, i, v);
}
static inline CURLcode wsa_getinfo_string(CURL *h, CURLINFO i, char **v) {
    return curl_easy_getinfo(h, i, v);
}
static inline CURLcode wsa_getinfo_slist(CURL *h, CURLINFO i, struct curl_slist **v) {
    return curl_easy_getinfo(h, i, v);
}

#endif
