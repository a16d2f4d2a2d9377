// libcurl.so.4, opened on first use (Sources/CLibraryLoader says how and why).
#include "CCurl.h"

#include <CLibraryLoader.h>
#include <pthread.h>
#include <stdio.h>

static struct {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *h);
    CURLcode (*easy_perform)(CURL *h);
    CURLcode (*easy_recv)(CURL *h, void *buffer, size_t length, size_t *received);
    CURLcode (*easy_send)(CURL *h, const void *buffer, size_t length, size_t *sent);
    const char *(*easy_strerror)(CURLcode code);
    CURLcode (*easy_setopt)(CURL *h, CURLoption option, ...);
    CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *item);
    void (*slist_free_all)(struct curl_slist *list);
} curl;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_error[512];
static int loaded;

static void load(void) {
    const struct wsa_symbol symbols[] = {
        {"curl_global_init", (void **)&curl.global_init},
        {"curl_easy_init", (void **)&curl.easy_init},
        {"curl_easy_cleanup", (void **)&curl.easy_cleanup},
        {"curl_easy_perform", (void **)&curl.easy_perform},
        {"curl_easy_recv", (void **)&curl.easy_recv},
        {"curl_easy_send", (void **)&curl.easy_send},
        {"curl_easy_strerror", (void **)&curl.easy_strerror},
        {"curl_easy_setopt", (void **)&curl.easy_setopt},
        {"curl_easy_getinfo", (void **)&curl.easy_getinfo},
        {"curl_slist_append", (void **)&curl.slist_append},
        {"curl_slist_free_all", (void **)&curl.slist_free_all},
    };
    size_t count = sizeof symbols / sizeof symbols[0];
    if (!wsa_open_library("libcurl.so.4", symbols, count, load_error, sizeof load_error)) {
        return;
    }
    // curl_global_init is not thread-safe before libcurl 7.84: the once guard makes it so.
    CURLcode code = curl.global_init(CURL_GLOBAL_DEFAULT);
    if (code != CURLE_OK) {
        snprintf(load_error, sizeof load_error, "curl_global_init: %s", curl.easy_strerror(code));
        return;
    }
    loaded = 1;
}

const char *wsa_curl_load(void) {
    pthread_once(&load_once, load);
    return loaded ? NULL : load_error;
}

CURL *wsa_easy_init(void) { return curl.easy_init(); }
void wsa_easy_cleanup(CURL *h) { curl.easy_cleanup(h); }
CURLcode wsa_easy_perform(CURL *h) { return curl.easy_perform(h); }
CURLcode wsa_easy_recv(CURL *h, void *buffer, size_t length, size_t *received) {
    return curl.easy_recv(h, buffer, length, received);
}
CURLcode wsa_easy_send(CURL *h, const void *buffer, size_t length, size_t *sent) {
    return curl.easy_send(h, buffer, length, sent);
}
const char *wsa_easy_strerror(CURLcode code) { return curl.easy_strerror(code); }
struct curl_slist *wsa_slist_append(struct curl_slist *list, const char *item) {
    return curl.slist_append(list, item);
}
void wsa_slist_free_all(struct curl_slist *list) { curl.slist_free_all(list); }

CURLcode wsa_setopt_long(CURL *h, CURLoption o, long v) { return curl.easy_setopt(h, o, v); }
CURLcode wsa_setopt_string(CURL *h, CURLoption o, const char *v) { return curl.easy_setopt(h, o, v); }
CURLcode wsa_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl.easy_setopt(h, o, v); }
CURLcode wsa_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl.easy_setopt(h, o, v); }
CURLcode wsa_setopt_protocols(CURL *h, const char *schemes) {
    return curl.easy_setopt(h, CURLOPT_PROTOCOLS_STR, schemes);
}
CURLcode wsa_setopt_redirect_protocols(CURL *h, const char *schemes) {
    return curl.easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, schemes);
}
CURLcode wsa_setopt_write_function(CURL *h, CURLoption o, wsa_write_callback f) {
    return curl.easy_setopt(h, o, f);
}
CURLcode wsa_setopt_debug_function(CURL *h, wsa_debug_callback f) {
    return curl.easy_setopt(h, CURLOPT_DEBUGFUNCTION, f);
}
CURLcode wsa_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl.easy_getinfo(h, i, v); }
CURLcode wsa_getinfo_socket(CURL *h, CURLINFO i, curl_socket_t *v) { return curl.easy_getinfo(h, i, v); }
CURLcode wsa_getinfo_off_t(CURL *h, CURLINFO i, curl_off_t *v) { return curl.easy_getinfo(h, i, v); }
CURLcode wsa_getinfo_slist(CURL *h, CURLINFO i, struct curl_slist **v) { return curl.easy_getinfo(h, i, v); }
