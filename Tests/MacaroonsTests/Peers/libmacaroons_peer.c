/* Interop peer for MacaroonsTests: libmacaroons (Debian libmacaroons-dev 0.3.0, V1 format only).
 *   libmacaroons_peer mint KEY_HEX ID_HEX LOCATION [CAVEAT_HEX...]  -> prints the serialized macaroon
 *   libmacaroons_peer read KEY_HEX TOKEN   -> "valid 0|1", "location L", "id HEX", "caveat HEX"..., "signature HEX"
 *   libmacaroons_peer bench KEY_HEX TOKEN N -> "ops_per_second X" for deserialize + verify
 * Build: cc -O2 -o libmacaroons_peer libmacaroons_peer.c -lmacaroons */
#include <macaroons.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static size_t unhex(const char* hex, unsigned char* out) {
    size_t n = strlen(hex) / 2;
    for (size_t i = 0; i < n; i++) sscanf(hex + 2 * i, "%2hhx", &out[i]);
    return n;
}

static void print_hex(const char* label, const unsigned char* bytes, size_t n) {
    printf("%s ", label);
    for (size_t i = 0; i < n; i++) printf("%02x", bytes[i]);
    printf("\n");
}

static void fail(const char* what, enum macaroon_returncode err) {
    fprintf(stderr, "libmacaroons: %s failed (%d)\n", what, (int)err);
    exit(2);
}

/* The general caveat checker: prints every predicate it is shown, in chain order, and accepts it. */
static int print_caveat(void* quiet, const unsigned char* predicate, size_t size) {
    if (!*(int*)quiet) print_hex("caveat", predicate, size);
    return 0;
}

static int verify(struct macaroon* m, const unsigned char* key, size_t key_size, int quiet) {
    enum macaroon_returncode err = MACAROON_SUCCESS;
    struct macaroon_verifier* v = macaroon_verifier_create();
    if (macaroon_verifier_satisfy_general(v, print_caveat, &quiet, &err) != 0) fail("satisfy_general", err);
    int result = macaroon_verify(v, m, key, key_size, NULL, 0, &err);
    macaroon_verifier_destroy(v);
    return result == 0;
}

int main(int argc, char** argv) {
    static unsigned char key[4096], id[65536], caveat[65536];
    enum macaroon_returncode err = MACAROON_SUCCESS;
    if (argc >= 5 && strcmp(argv[1], "mint") == 0) {
        size_t key_size = unhex(argv[2], key), id_size = unhex(argv[3], id);
        struct macaroon* m = macaroon_create((const unsigned char*)argv[4], strlen(argv[4]), key, key_size, id, id_size, &err);
        if (!m) fail("create", err);
        for (int i = 5; i < argc; i++) {
            struct macaroon* next = macaroon_add_first_party_caveat(m, caveat, unhex(argv[i], caveat), &err);
            if (!next) fail("add_first_party_caveat", err);
            macaroon_destroy(m);
            m = next;
        }
        size_t size = macaroon_serialize_size_hint(m);
        char* out = malloc(size);
        if (macaroon_serialize(m, out, size, &err) < 0) fail("serialize", err);
        printf("%s\n", out);
        return 0;
    }
    if (argc == 4 && strcmp(argv[1], "read") == 0) {
        size_t key_size = unhex(argv[2], key);
        struct macaroon* m = macaroon_deserialize(argv[3], &err);
        if (!m) fail("deserialize", err);
        const unsigned char* bytes;
        size_t size;
        macaroon_location(m, &bytes, &size);
        printf("location %.*s\n", (int)size, bytes);
        macaroon_identifier(m, &bytes, &size);
        print_hex("id", bytes, size);
        macaroon_signature(m, &bytes, &size);
        print_hex("signature", bytes, size);
        int valid = verify(m, key, key_size, 0);
        printf("valid %d\n", valid);
        return 0;
    }
    if (argc == 5 && strcmp(argv[1], "bench") == 0) {
        size_t key_size = unhex(argv[2], key);
        long n = atol(argv[4]);
        struct timespec start, end;
        clock_gettime(CLOCK_MONOTONIC, &start);
        for (long i = 0; i < n; i++) {
            struct macaroon* m = macaroon_deserialize(argv[3], &err);
            if (!m || !verify(m, key, key_size, 1)) fail("bench verify", err);
            macaroon_destroy(m);
        }
        clock_gettime(CLOCK_MONOTONIC, &end);
        double seconds = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
        printf("ops_per_second %.0f\n", n / seconds);
        return 0;
    }
    fprintf(stderr, "usage: %s mint KEY_HEX ID_HEX LOCATION [CAVEAT_HEX...] | read KEY_HEX TOKEN | bench KEY_HEX TOKEN N\n", argv[0]);
    return 64;
}
