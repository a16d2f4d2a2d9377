// libcurl, loaded on first use (docs/ARCHITECTURE.md, "Lean start-up"): commands that
// never open a connection (--version, token, status, codes …) must not pay for loading
// libcurl's ~40 libraries. curl.h gives the types and constants only; every call goes
// through these functions, which call libcurl.so.4 through pointers found by dlsym.
// Swift cannot call C variadic functions, so curl_easy_setopt and curl_easy_getinfo
// get one typed, non-variadic wrapper per argument kind.
#ifndef WSAUTH_CCURL_H
#define WSAUTH_CCURL_H

#include <curl/curl.h>
#include <poll.h>

// Loads libcurl.so.4 and runs curl_global_init, once per process (thread-safe).
// NULL when libcurl is ready, else why it is not (the loader's own words).
const char *wsa_curl_load(void);

// The calls below require a successful wsa_curl_load.
CURL *wsa_easy_init(void);
void wsa_easy_cleanup(CURL *h);
CURLcode wsa_easy_perform(CURL *h);
CURLcode wsa_easy_recv(CURL *h, void *buffer, size_t length, size_t *received);
CURLcode wsa_easy_send(CURL *h, const void *buffer, size_t length, size_t *sent);
const char *wsa_easy_strerror(CURLcode code);
struct curl_slist *wsa_slist_append(struct curl_slist *list, const char *item);
void wsa_slist_free_all(struct curl_slist *list);

CURLcode wsa_setopt_long(CURL *h, CURLoption o, long v);
CURLcode wsa_setopt_string(CURL *h, CURLoption o, const char *v);
CURLcode wsa_setopt_pointer(CURL *h, CURLoption o, void *v);
CURLcode wsa_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v);
// CURLOPT_PROTOCOLS_STR and CURLOPT_REDIR_PROTOCOLS_STR (libcurl >= 7.85): the
// schemes a transfer, and a redirect it follows, may use.
CURLcode wsa_setopt_protocols(CURL *h, const char *schemes);
CURLcode wsa_setopt_redirect_protocols(CURL *h, const char *schemes);
typedef size_t (*wsa_write_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);
CURLcode wsa_setopt_write_function(CURL *h, CURLoption o, wsa_write_callback f);
typedef int (*wsa_debug_callback)(CURL *handle, curl_infotype type, char *data, size_t size, void *userdata);
CURLcode wsa_setopt_debug_function(CURL *h, wsa_debug_callback f);
CURLcode wsa_getinfo_long(CURL *h, CURLINFO i, long *v);
CURLcode wsa_getinfo_socket(CURL *h, CURLINFO i, curl_socket_t *v);
CURLcode wsa_getinfo_off_t(CURL *h, CURLINFO i, curl_off_t *v);
CURLcode wsa_getinfo_slist(CURL *h, CURLINFO i, struct curl_slist **v);

#endif
